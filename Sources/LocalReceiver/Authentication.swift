import DataArtsAuth
import EventContract
import Foundation

/// Checks of the two ways a request authenticates: an AK/SK signature or an `X-Auth-Token`.
/// Every failure is a message for the 401 answer; none holds a secret.
enum Authentication {
    /// The parts of `Authorization: SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`.
    struct AuthorizationHeader {
        var access: String
        var signedHeaders: [String]
        var signature: String
    }

    static let prefix = "Incorrect IAM authentication information: "

    /// Reads an `Authorization` value; nil when it is not of the SDK's form.
    static func parseAuthorization(_ value: String) -> AuthorizationHeader? {
        let algorithm = "SDK-HMAC-SHA256 "
        guard value.hasPrefix(algorithm) else { return nil }
        var fields: [String: String] = [:]
        for part in value.dropFirst(algorithm.count).split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            fields[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        guard let access = fields["Access"], !access.isEmpty, let names = fields["SignedHeaders"], !names.isEmpty,
            let signature = fields["Signature"], !signature.isEmpty
        else { return nil }
        return AuthorizationHeader(
            access: access, signedHeaders: names.split(separator: ";").map(String.init), signature: signature)
    }

    /// Verifies an AK/SK signature: rebuilds the request from exactly the signed headers,
    /// signs it again with the same `Signer` the client uses, and compares in constant time.
    /// Returns nil when the request is authentic, else why not.
    static func verifySignature(
        _ request: HTTPRequest, ak: String, sk: String, now: Date, allowedSkew: TimeInterval
    ) -> String? {
        guard let value = request.header("Authorization") else { return prefix + "no Authorization header" }
        guard let authorization = parseAuthorization(value) else {
            return prefix
                + "the Authorization header is not `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`"
        }
        guard constantTimeEqual(authorization.access, ak) else {
            return prefix + "Get secretKey failed, ak: \(authorization.access), err: ak not exist"
        }
        let names = authorization.signedHeaders
        guard names.contains("x-sdk-date"), names.contains("host") else {
            return prefix + "SignedHeaders must include host and x-sdk-date"
        }
        guard let date = request.header("X-Sdk-Date") else { return prefix + "the X-Sdk-Date header is missing" }
        guard let signedAt = parseSDKDate(date) else {
            return prefix + "X-Sdk-Date \(date) is not YYYYMMDDTHHMMSSZ"
        }
        let offset = now.timeIntervalSince(signedAt)
        guard abs(offset) <= allowedSkew else {
            let minutes = Int((abs(offset) / 60).rounded())
            return prefix
                + "X-Sdk-Date \(date) is \(minutes) minute(s) \(offset > 0 ? "behind" : "ahead of") the receiver's "
                + "clock; at most \(Int(allowedSkew / 60)) are allowed"
        }
        for name in names where request.header(name) == nil {
            return prefix + "SignedHeaders names \(name), which the request does not carry"
        }
        let fields = request.headers.filter { names.contains($0.name.lowercased()) }.map {
            HeaderField($0.name, $0.value)
        }
        let host = request.header("Host") ?? ""
        let signing: SigningRequest
        if let url = URL(string: "http://\(host)\(request.target)"),
            let parsed = SigningRequest(method: request.method, url: url, headers: fields, body: request.body)
        {
            signing = parsed
        } else {
            return prefix + "the request target or Host cannot be read as a URL"
        }
        let signed: SignedHeaders
        do {
            signed = try Signer.sign(signing, credentials: Credentials(ak: ak, sk: sk), sdkDate: date)
        } catch {
            return prefix + "the request cannot be signed again: \(error)"
        }
        guard signed.signedHeaderNames == names else {
            return prefix + "SignedHeaders is not the sorted, lower-cased list of the signed headers"
        }
        guard constantTimeEqual(signed.signature, authorization.signature) else {
            return prefix + "verify aksk signature fail"
        }
        return nil
    }

    /// `YYYYMMDDTHHMMSSZ` as a date; nil when it is not one.
    static func parseSDKDate(_ text: String) -> Date? {
        guard Signer.isValidSDKDate(text) else { return nil }
        let digits = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int {
            digits[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        var components = DateComponents()
        components.year = number(0..<4)
        components.month = number(4..<6)
        components.day = number(6..<8)
        components.hour = number(9..<11)
        components.minute = number(11..<13)
        components.second = number(13..<15)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: components)
    }

    /// Whether two strings hold the same bytes, in time that depends only on their lengths.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}

/// The tokens the IAM emulation issued, with when each expires.
struct TokenBook {
    private var expiries: [String: Date] = [:]

    /// A new random token valid until `expiry`.
    mutating func issue(until expiry: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let token = "MIIsync" + Data(bytes).base64EncodedString().replacingOccurrences(of: "/", with: "-")
        expiries = expiries.filter { $0.value > Date() }
        expiries[token] = expiry
        return token
    }

    /// When `token` expires; nil when this book never issued it.
    func expiry(of token: String) -> Date? {
        for (issued, expiry) in expiries where Authentication.constantTimeEqual(issued, token) {
            return expiry
        }
        return nil
    }
}

/// `POST /v3/auth/tokens` as Huawei IAM answers a password login.
enum IAMLogin {
    /// An IAM-style error answer: `{"error":{"code":…,"message":…,"title":…}}`.
    static func error(_ status: Int, _ message: String) -> HTTPResponse {
        let title = status == 401 ? "Unauthorized" : HTTPResponse.reason(status)
        let body: JSONValue = .object([
            "error": .object(["code": .int(Int64(status)), "message": .string(message), "title": .string(title)])
        ])
        return HTTPResponse.json(status, body.data)
    }

    /// Checks the login: nil when it is right, else the IAM-style error answer.
    static func check(_ body: Data, iam: IAMEmulation, projectID: String) -> HTTPResponse? {
        guard let root = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let auth = root["auth"] as? [String: Any], let identity = auth["identity"] as? [String: Any]
        else {
            return error(400, "The request body is not {\"auth\": {\"identity\": …, \"scope\": …}}.")
        }
        guard let methods = identity["methods"] as? [String], methods.contains("password"),
            let password = identity["password"] as? [String: Any], let user = password["user"] as? [String: Any]
        else {
            return error(400, "auth.identity needs methods [\"password\"] and password.user.")
        }
        let domain = (user["domain"] as? [String: Any])?["name"] as? String
        guard let name = user["name"] as? String, let given = user["password"] as? String, let domain else {
            return error(400, "auth.identity.password.user needs name, password and domain.name.")
        }
        guard Authentication.constantTimeEqual(name, iam.user), Authentication.constantTimeEqual(domain, iam.domain),
            Authentication.constantTimeEqual(given, iam.password)
        else {
            return error(401, "The username or password is wrong.")
        }
        guard let project = (auth["scope"] as? [String: Any])?["project"] as? [String: Any] else {
            return error(400, "auth.scope.project (id or name) is required by this receiver.")
        }
        if let id = project["id"] as? String {
            guard id == projectID else { return error(401, "The project \(id) is not this user's.") }
        } else if let projectName = project["name"] as? String {
            guard projectName == iam.projectName else {
                return error(401, "The project \(projectName) is not this user's.")
            }
        } else {
            return error(400, "auth.scope.project needs an id or a name.")
        }
        return nil
    }

    /// The 201 answer with the token in `X-Subject-Token`.
    static func issued(token: String, issuedAt: Date, expiresAt: Date, iam: IAMEmulation, projectID: String)
        -> HTTPResponse
    {
        let domain: JSONValue = .object(["id": .string("receiver-domain"), "name": .string(iam.domain)])
        let body: JSONValue = .object([
            "token": .object([
                "expires_at": .string(iamTime(expiresAt)),
                "issued_at": .string(iamTime(issuedAt)),
                "methods": .array([.string("password")]),
                "catalog": .array([]),
                "project": .object([
                    "id": .string(projectID), "name": .string(iam.projectName), "domain": domain,
                ]),
                "user": .object([
                    "id": .string("receiver-user"), "name": .string(iam.user), "domain": domain,
                    "password_expires_at": .string(""),
                ]),
            ])
        ])
        return HTTPResponse.json(201, body.data, headers: [("X-Subject-Token", token)])
    }

    /// `2026-11-26T06:00:00.000000Z`, as IAM writes times.
    static func iamTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'000Z'"
        return formatter.string(from: date)
    }
}

extension JSONValue {
    /// The compact JSON bytes (keys sorted) as `Data`.
    var data: Data { Data(bytes) }
}
