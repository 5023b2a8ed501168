package import DataArtsAuth
package import EventDelivery
package import Foundation
package import HTTPClient

/// How requests to DataArts Studio authenticate.
package enum DataArtsAuthentication: Sendable {
    /// AK/SK signing (SDK-HMAC-SHA256); `X-Security-Token` for temporary credentials.
    case accessKey(Credentials)
    /// A ready `X-Auth-Token`.
    case token(String)
    /// A token from IAM, obtained with a password and cached.
    case iam(IAMTokenSource)

    /// `AK/SK`, `token` or `IAM password`, for messages.
    package var mode: String {
        switch self {
        case .accessKey: return "AK/SK"
        case .token: return "token"
        case .iam: return "IAM password"
        }
    }
}

extension DataArtsAuthentication: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The mode and, for AK/SK, the access key; never a secret.
    package var description: String {
        switch self {
        case .accessKey(let credentials): return "AK/SK (access key \(credentials.ak))"
        case .token: return "token <redacted>"
        case .iam(let source): return source.description
        }
    }
    /// The same as `description`.
    package var debugDescription: String { description }
    /// The description only, so that no dump shows a secret.
    package var customMirror: Mirror { Mirror(self, children: ["authentication": description]) }
}

/// Sends request bodies to DataArts Studio's metadata real-time sync API,
/// `POST /v1/{project_id}/metadata/async-bulk`, signed or with a token, retrying what may pass
/// (network failures, timeouts, 429 with its `Retry-After`, 5xx) within the policy's bounds and
/// reporting what will not (4xx) with the API's `error_code` and `error_msg`.
package struct DataArtsSink: Sink {
    /// `https://dayu.<region>.myhuaweicloud.com`, or a local receiver's `http://127.0.0.1:port`.
    package let endpoint: String
    /// The project in the path.
    package let projectID: String
    /// How requests authenticate.
    package let authentication: DataArtsAuthentication
    /// The HTTP client (its connections are reused across batches).
    package let client: HTTPClient
    /// When to retry.
    package let retry: RetryPolicy
    /// The `User-Agent`: `schemasync/<version>`.
    package let userAgent: String
    /// The run's rate limit (`sink.max_requests_per_second`), shared by every copy of the
    /// sink and so by every source of the run; nil: no limit.
    package let pacer: RequestPacer?
    private let log: @Sendable (String) -> Void

    /// A sink for `projectID` at `endpoint`; `log` hears retries and warnings (never a secret).
    package init(
        endpoint: String, projectID: String, authentication: DataArtsAuthentication, client: HTTPClient,
        retry: RetryPolicy = RetryPolicy(), userAgent: String, pacer: RequestPacer? = nil,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(HTTPClientError) {
        try Endpoint.check(endpoint, insecure: client.options.insecure)
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.projectID = projectID
        self.authentication = authentication
        self.client = client
        self.retry = retry
        self.userAgent = userAgent
        self.pacer = pacer
        self.log = log
    }

    /// `dataarts:` the origin and the project, for messages.
    package var target: String { "dataarts:\(Endpoint.origin(of: endpoint)) project=\(projectID)" }

    /// `dataarts` and the project: what a pending delivery is bound to. Not the endpoint's
    /// URL (a new port, `region:` for `endpoint:`, a proxy reach the same catalog), nor the
    /// credentials.
    package var destination: SinkDestination { SinkDestination(kind: "dataarts", catalog: projectID) }

    /// The API's URL for the bodies.
    package var url: String { endpoint + "/v1/\(Self.pathSegment(projectID))/metadata/async-bulk" }

    /// Sends one body; returns once the API acknowledged it (2xx).
    @discardableResult package func send(_ body: Data) async throws -> Delivered {
        let response = try await request(method: "POST", url: url, body: body)
        return Delivered(attempts: response.attempts)
    }

    /// An authenticated request the API answers without side effects (listing DataArts Studio
    /// instances, one at most), for `schemasync check`. Returns the status line's meaning.
    package func probe() async throws -> String {
        let probeURL = endpoint + "/v1/\(Self.pathSegment(projectID))/instances?limit=1&offset=0"
        let response = try await request(method: "GET", url: probeURL, body: Data())
        return "\(Endpoint.origin(of: endpoint)) answered HTTP \(response.status) to an authenticated "
            + "\(authentication.mode) request for project \(projectID)"
    }

    /// Sends with retries; a 2xx answer and its attempts, or the refusal as an error.
    private func request(method: String, url: String, body: Data) async throws -> (
        status: Int, attempts: Int
    ) {
        let retrying = Retrying(client: client, policy: retry, service: "DataArts Studio", log: log, pacer: pacer)
        var attempts = 0
        // A refused IAM token is renewed once (it may have been revoked or expired early).
        for renewal in 0..<2 {
            let (response, tries) = try await retrying.send {
                try await self.authenticated(HTTPRequest(method: method, url: url, body: body))
            }
            attempts += tries
            if (200...299).contains(response.status) { return (response.status, attempts) }
            if response.status == 401, renewal == 0, case .iam(let source) = authentication {
                await source.invalidate()
                log("DataArts Studio: the IAM token was refused; logging in again")
                continue
            }
            let (code, message) = apiError(in: response.body)
            throw DeliveryRefused(
                service: "DataArts Studio", origin: Endpoint.origin(of: url), status: response.status,
                errorCode: code, errorMessage: message, requestID: response.header("X-Request-Id"),
                hint: DeliveryRefused.hint(status: response.status))
        }
        throw DeliveryRefused(
            service: "DataArts Studio", origin: Endpoint.origin(of: url), status: 401, errorCode: nil,
            errorMessage: nil, requestID: nil, hint: DeliveryRefused.hint(status: 401))
    }

    /// The request with its headers: `Content-Type`, `User-Agent`, then the signature's headers
    /// (`X-Project-Id`, `X-Sdk-Date`, `Host`, `Authorization`, `X-Security-Token`) or `X-Auth-Token`.
    func authenticated(_ request: HTTPRequest) async throws -> HTTPRequest {
        var request = request
        var headers: [HeaderField] = [HeaderField("User-Agent", userAgent)]
        if request.method != "GET" {
            headers.insert(HeaderField("Content-Type", "application/json;charset=utf-8"), at: 0)
        }
        switch authentication {
        case .accessKey(let credentials):
            guard let url = URL(string: request.url),
                let signing = SigningRequest(
                    method: request.method, url: url, headers: headers,
                    body: request.method == "GET" ? nil : request.body)
            else {
                throw DeliveryUnavailable(
                    service: "DataArts Studio", origin: Endpoint.origin(of: request.url), attempts: 0, seconds: 0,
                    lastFailure: "the URL cannot be signed", hint: "fix sink.endpoint: https://host[:port]")
            }
            let signed = try Signer.sign(signing, credentials: credentials, projectID: projectID)
            request.headers = signed.all.map { (name: $0.name, value: $0.value) }
        case .token(let token):
            request.headers = headers.map { (name: $0.name, value: $0.value) } + [("X-Auth-Token", token)]
        case .iam(let source):
            let token = try await source.token()
            request.headers = headers.map { (name: $0.name, value: $0.value) } + [("X-Auth-Token", token)]
        }
        return request
    }

    /// The project id as a path segment (percent-encoded where it is not a plain id).
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
