import DataArtsAuth
import DataArtsClient
import EventDelivery
import Foundation
import HTTPClient
import SchemaTestSupport
import Testing

/// The DataArts sink against loopback servers that answer as scripted.
@Suite struct DataArtsSinkTests {
    static let credentials = Credentials(ak: "HPUAEXAMPLEAK0000001", sk: "ExampleSecretKey0000000000000000000000001")
    static let project = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    // A time budget no test reaches, even with its tasks starved by other suites: attempts bound it.
    static let fast = RetryPolicy(maxAttempts: 4, maxSeconds: 3600, baseDelay: 0.05, maxDelay: 0.2)
    let body = Data(#"{"engine": "DWS", "engine_version": "15", "events": []}"#.utf8)

    func sink(
        _ port: Int, authentication: DataArtsAuthentication = .accessKey(credentials), retry: RetryPolicy = fast,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> DataArtsSink {
        try DataArtsSink(
            endpoint: "http://127.0.0.1:\(port)", projectID: Self.project, authentication: authentication,
            client: HTTPClient(options: HTTPClientOptions(connectTimeout: 1, requestTimeout: 2)), retry: retry,
            userAgent: "schemasync/test", log: log)
    }

    @Test func signsThePostAsTheSDKDoes() async throws {
        let server = try ScriptedServer { _ in .answer(httpResponse(200, #"{"success": true}"#)) }
        defer { server.stop() }
        let delivered = try await sink(server.port).send(body)
        #expect(delivered.attempts == 1)
        let request = try #require(server.requests.first)
        #expect(request.head.hasPrefix("POST /v1/\(Self.project)/metadata/async-bulk HTTP/1.1\r\n"))
        #expect(request.body == body)
        #expect(request.header("Content-Type") == "application/json;charset=utf-8")
        #expect(request.header("X-Project-Id") == Self.project)
        #expect(request.header("User-Agent") == "schemasync/test")
        #expect(request.header("Host") == "127.0.0.1:\(server.port)")
        // The signature verifies: recomputed from what arrived, with the same headers signed.
        let authorization = try #require(request.header("Authorization"))
        let date = try #require(request.header("X-Sdk-Date"))
        let signing = try #require(
            SigningRequest(
                method: "POST",
                url: URL(string: "http://127.0.0.1:\(server.port)/v1/\(Self.project)/metadata/async-bulk")!,
                headers: [
                    HeaderField("Content-Type", "application/json;charset=utf-8"),
                    HeaderField("User-Agent", "schemasync/test"),
                ], body: body))
        let expected = try Signer.sign(signing, credentials: Self.credentials, sdkDate: date, projectID: Self.project)
        #expect(authorization == expected.authorization)
        #expect(authorization.contains("SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date"))
    }

    @Test func retriesServerErrorsAndRateLimitsThenSucceeds() async throws {
        let server = try ScriptedServer { index in
            switch index {
            case 0: return .answer(httpResponse(503, #"{"error_code":"DLG.0001","error_msg":"busy"}"#))
            case 1: return .answer(httpResponse(429, "", headers: ["Retry-After: 1"]))
            case 2: return .answer(httpResponse(500))
            default: return .answer(httpResponse(200, #"{"success": true}"#))
            }
        }
        defer { server.stop() }
        let logged = Lines()
        let start = Date()
        let delivered = try await sink(server.port, log: { logged.append($0) }).send(body)
        #expect(delivered.attempts == 4)
        #expect(server.requests.count == 4)
        #expect(server.requests.allSatisfy { $0.body == self.body })
        // Retry-After: 1 was waited.
        #expect(Date().timeIntervalSince(start) >= 1)
        #expect(logged.all.count == 3)
        #expect(logged.all[0].contains("HTTP 503 DLG.0001: busy; retrying in"))
        // Every attempt is signed (anew: the date may differ).
        #expect(server.requests.allSatisfy { $0.header("Authorization") != nil && $0.header("X-Sdk-Date") != nil })
    }

    /// A run that lost its source's lock during the retries sends no further attempt.
    @Test func theAttemptGateIsAskedBeforeEveryRetry() async throws {
        struct Lost: Error {}
        let server = try ScriptedServer { index in
            index == 0 ? .answer(httpResponse(503)) : .answer(httpResponse(200, #"{"success": true}"#))
        }
        defer { server.stop() }
        let asked = Lines()
        let sink = try sink(server.port)
        // The first attempt is let through (and gets a 503); the retry is stopped.
        let check: @Sendable () throws -> Void = {
            asked.append("asked")
            if asked.all.count > 1 { throw Lost() }
        }
        await #expect(throws: Lost.self) {
            try await AttemptGate.$check.withValue(AttemptGate.Check(check)) { try await sink.send(body) }
        }
        #expect(server.requests.count == 1)
        #expect(asked.all.count == 2)
    }

    @Test func clientErrorsAreNotRetriedAndSayWhatToCheck() async throws {
        for (status, hint) in [(400, "envelope"), (401, "clock"), (403, "project"), (404, "sink.project_id")] {
            let server = try ScriptedServer { _ in
                .answer(
                    httpResponse(
                        status, #"{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information"}"#,
                        headers: ["X-Request-Id: req-1"]))
            }
            defer { server.stop() }
            let error = await #expect(throws: DeliveryRefused.self) { try await sink(server.port).send(body) }
            #expect(server.requests.count == 1)
            #expect(error?.status == status)
            #expect(error?.errorCode == "APIG.0301")
            #expect(error?.errorMessage == "Incorrect IAM authentication information")
            #expect(error?.description.contains("request id req-1") == true)
            #expect(error?.description.contains(hint) == true)
            let leaked = error?.description.contains(Self.credentials.sk) ?? false
            #expect(!leaked, "the SK is in the error")
        }
    }

    @Test func anUnreachableEndpointIsRetriedWithinItsBoundsThenUnavailable() async throws {
        let port = try unusedPort()
        let error = await #expect(throws: DeliveryUnavailable.self) { try await sink(port).send(body) }
        #expect(error?.attempts == 4)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)
        #expect(error?.description.contains("next run sends the same requests again") == true)

        // A Retry-After beyond the time budget is not waited for.
        let busy = try ScriptedServer { _ in .answer(httpResponse(503, "", headers: ["Retry-After: 7200"])) }
        defer { busy.stop() }
        let busyError = await #expect(throws: DeliveryUnavailable.self) { try await sink(busy.port).send(body) }
        #expect(busyError?.attempts == 1)
    }

    @Test func aTimeoutAndADroppedConnectionAreRetried() async throws {
        let server = try ScriptedServer { index in
            switch index {
            case 0: return .silence(seconds: 5)
            case 1: return .close
            default: return .answer(httpResponse(200, #"{"success": true}"#))
            }
        }
        defer { server.stop() }
        let delivered = try await sink(server.port).send(body)
        #expect(delivered.attempts == 3)
    }

    @Test func tokenModeSendsTheToken() async throws {
        let server = try ScriptedServer { _ in .answer(httpResponse(200, #"{"success": true}"#)) }
        defer { server.stop() }
        try await sink(server.port, authentication: .token("tok-123")).send(body)
        let request = try #require(server.requests.first)
        #expect(request.header("X-Auth-Token") == "tok-123")
        #expect(request.header("Authorization") == nil)
    }

    @Test func iamTokensAreCachedAndRenewedWhenRefused() async throws {
        // IAM and the API on one scripted server: requests 0 and 3 are logins.
        let server = try ScriptedServer { index in
            switch index {
            case 0, 3:
                return .answer(
                    httpResponse(
                        201, #"{"token": {"expires_at": "2099-01-01T00:00:00.000000Z"}}"#,
                        headers: ["X-Subject-Token: iam-token-\(index)"]))
            case 2: return .answer(httpResponse(401, #"{"error_code":"APIG.0307","error_msg":"token expired"}"#))
            default: return .answer(httpResponse(200, #"{"success": true}"#))
            }
        }
        defer { server.stop() }
        let source = IAMTokenSource(
            user: "sync", password: "iam-password-secret", domain: "acme", endpoint: "http://127.0.0.1:\(server.port)",
            projectID: Self.project, client: HTTPClient(), retry: Self.fast, log: { _ in })
        let sink = try sink(server.port, authentication: .iam(source))
        try await sink.send(body)
        try await sink.send(body)
        let requests = server.requests
        #expect(requests.count == 5)
        #expect(requests[0].head.hasPrefix("POST /v3/auth/tokens?nocatalog=true HTTP/1.1"))
        let login = try JSONSerialization.jsonObject(with: requests[0].body) as? [String: Any]
        let identity = (login?["auth"] as? [String: Any])?["identity"] as? [String: Any]
        #expect((identity?["methods"] as? [String]) == ["password"])
        #expect(requests[1].header("X-Auth-Token") == "iam-token-0")
        #expect(requests[2].header("X-Auth-Token") == "iam-token-0")
        #expect(requests[3].head.hasPrefix("POST /v3/auth/tokens"))
        #expect(requests[4].header("X-Auth-Token") == "iam-token-3")
    }

    @Test func aWrongIAMPasswordIsRefused() async throws {
        let server = try ScriptedServer { _ in
            .answer(
                httpResponse(
                    401,
                    #"{"error": {"code": 401, "message": "The username or password is wrong.", "title": "Unauthorized"}}"#
                ))
        }
        defer { server.stop() }
        let source = IAMTokenSource(
            user: "sync", password: "wrong-secret", domain: "acme", endpoint: "http://127.0.0.1:\(server.port)",
            projectID: Self.project, client: HTTPClient(), retry: Self.fast, log: { _ in })
        let error = await #expect(throws: DeliveryRefused.self) {
            try await sink(server.port, authentication: .iam(source)).send(body)
        }
        #expect(error?.service == "IAM")
        #expect(error?.errorMessage == "The username or password is wrong.")
        let leaked = error?.description.contains("wrong-secret") ?? false
        #expect(!leaked, "the password is in the error")
        #expect(server.requests.count == 1)
    }

    @Test func plainHTTPToARemoteHostIsRefusedUpFront() throws {
        #expect(throws: HTTPClientError.self) {
            try DataArtsSink(
                endpoint: "http://dayu.cn-north-4.myhuaweicloud.com", projectID: Self.project,
                authentication: .token("t"), client: HTTPClient(), userAgent: "schemasync/test")
        }
    }
}

/// Lines collected from several tasks.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
