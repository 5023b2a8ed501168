import Foundation
package import HTTPClient

/// Obtains an `X-Auth-Token` from IAM with a password (`POST /v3/auth/tokens`, scoped to the
/// project) and keeps it until shortly before it expires. Shared by every request of a run.
package actor IAMTokenSource {
    /// The IAM user, its password, its account (domain) name.
    let user: String
    private let password: String
    let domain: String
    /// `https://iam.<region>.myhuaweicloud.com` or the config's `iam_endpoint`.
    package let endpoint: String
    let projectID: String
    private let retrying: Retrying
    private var cached: (token: String, refreshAt: Date)?
    private var login: Task<String, any Error>?

    /// A source logging in as `user` of account `domain`, scoped to `projectID`.
    package init(
        user: String, password: String, domain: String, endpoint: String, projectID: String, client: HTTPClient,
        retry: RetryPolicy, log: @escaping @Sendable (String) -> Void
    ) {
        self.user = user
        self.password = password
        self.domain = domain
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.projectID = projectID
        self.retrying = Retrying(client: client, policy: retry, service: "IAM", log: log)
    }

    /// A token valid for a while yet: the cached one, or a new one from IAM (one login at a
    /// time: callers arriving meanwhile wait for it).
    package func token() async throws -> String {
        if let cached, Date() < cached.refreshAt { return cached.token }
        if let login { return try await login.value }
        let task = Task { try await self.logIn() }
        login = task
        defer { login = nil }
        return try await task.value
    }

    /// Forgets the cached token (after the API refused it: revoked, or expired early).
    package func invalidate() {
        cached = nil
    }

    private func logIn() async throws -> String {
        let body: [String: Any] = [
            "auth": [
                "identity": [
                    "methods": ["password"],
                    "password": ["user": ["name": user, "password": password, "domain": ["name": domain]]],
                ],
                "scope": ["project": ["id": projectID]],
            ]
        ]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        let url = endpoint + "/v3/auth/tokens?nocatalog=true"
        let (response, _) = try await retrying.send {
            HTTPRequest(
                method: "POST", url: url, headers: [("Content-Type", "application/json;charset=utf-8")], body: data)
        }
        let origin = Endpoint.origin(of: url)
        guard (200...299).contains(response.status) else {
            let (code, message) = apiError(in: response.body)
            throw DeliveryRefused(
                service: "IAM", origin: origin, status: response.status, errorCode: code, errorMessage: message,
                requestID: response.header("X-Request-Id"),
                hint: "check sink.auth.user, password and domain (the account name), and sink.auth.iam_endpoint")
        }
        guard let token = response.header("X-Subject-Token"), !token.isEmpty else {
            throw DeliveryUnavailable(
                service: "IAM", origin: origin, attempts: 1, seconds: 0,
                lastFailure: "the answer has no X-Subject-Token header",
                hint: "check that sink.auth.iam_endpoint is Huawei Cloud IAM")
        }
        let now = Date()
        let expires = Self.expiry(in: response.body) ?? now.addingTimeInterval(3600)
        // Renewed ten minutes before it expires, or halfway for a short-lived token.
        let margin = min(600, max(0, expires.timeIntervalSince(now) / 2))
        cached = (token, expires.addingTimeInterval(-margin))
        return token
    }

    /// `token.expires_at` (`2026-11-26T06:00:00.000000Z`).
    static func expiry(in body: Data) -> Date? {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any],
            let token = object["token"] as? [String: Any], let text = token["expires_at"] as? String
        else { return nil }
        // Whole seconds are enough: the fraction (IAM prints six digits) is dropped.
        var whole = text
        if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" }) {
            whole = String(text[..<dot] + text[zone...])
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: whole)
    }
}

extension IAMTokenSource: CustomStringConvertible, CustomReflectable {
    /// The user, account and endpoint; never the password or a token.
    package nonisolated var description: String { "IAM login \(user)@\(domain) at \(Endpoint.origin(of: endpoint))" }
    /// The description only, so that no dump shows the password.
    package nonisolated var customMirror: Mirror { Mirror(self, children: ["login": description]) }
}
