import Foundation
import HTTPClient
import SchemaTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct HTTPClientTests {
    let client = HTTPClient(options: HTTPClientOptions(connectTimeout: 2, requestTimeout: 3))

    @Test func postsTheBodyWholeAndReadsTheAnswer() async throws {
        let server = try ScriptedServer { _ in
            .answer(httpResponse(200, #"{"success": true}"#, headers: ["X-Test: yes"]))
        }
        defer { server.stop() }
        // Larger than libcurl's buffers and its 100-continue threshold: lent, not copied.
        let body = Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let response = try await client.send(
            HTTPRequest(
                method: "POST", url: "http://127.0.0.1:\(server.port)/v1/p/metadata/async-bulk",
                headers: [("Content-Type", "application/json;charset=utf-8")], body: body))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"success": true}"#)
        #expect(response.header("x-test") == "yes")
        let received = try #require(server.requests.first)
        #expect(received.body == body)
        #expect(received.head.hasPrefix("POST /v1/p/metadata/async-bulk HTTP/1.1\r\n"))
        #expect(received.head.contains("Content-Type: application/json;charset=utf-8"))
        #expect(!received.head.lowercased().contains("expect:"))
        #expect(received.head.contains("User-Agent: schemasync"))
    }

    @Test func aPostWithoutABodySendsNone() async throws {
        let server = try ScriptedServer { _ in .answer(httpResponse(200, "ok")) }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/"))
        #expect(response.status == 200)
        #expect(server.requests.first?.header("Content-Length") == "0")
        #expect(server.requests.first?.body.isEmpty == true)
    }

    @Test func reusesTheConnectionAcrossRequests() async throws {
        let server = try ScriptedServer { _ in .answer(httpResponse(200, "ok")) }
        defer { server.stop() }
        for _ in 0..<5 {
            let response = try await client.send(
                HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/x", body: Data("{}".utf8)))
            #expect(response.status == 200)
        }
        #expect(server.requests.count == 5)
        // The five requests came over one connection. (Counted from the requests: another
        // test probing an unused port may connect to this one's port while it is open.) On a
        // machine so busy that a minute passed between two requests, the server closed the
        // idle connection and the client rightly opened another: one more per such close.
        #expect(Set(server.requests.map(\.connection)).count <= 1 + server.idleTimeoutCount)
    }

    @Test func answersWithAnErrorStatusAreAnswers() async throws {
        let server = try ScriptedServer { _ in
            .answer(httpResponse(429, #"{"error_code":"APIG.0308"}"#, headers: ["Retry-After: 7"]))
        }
        defer { server.stop() }
        let response = try await client.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/"))
        #expect(response.status == 429)
        #expect(response.header("Retry-After") == "7")
    }

    @Test func aClosedPortIsAConnectFailure() async throws {
        let port = try unusedPort()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/"))
        }
        #expect(error?.kind == .connect)
        #expect(error?.isTransient == true)
        #expect(error?.origin == "http://127.0.0.1:\(port)")
    }

    @Test func aSilentServerTimesOut() async throws {
        let server = try ScriptedServer { _ in .silence(seconds: 10) }
        defer { server.stop() }
        let quick = HTTPClient(options: HTTPClientOptions(connectTimeout: 2, requestTimeout: 0.5))
        let error = await #expect(throws: HTTPClientError.self) {
            try await quick.send(
                HTTPRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/", body: Data("{}".utf8)))
        }
        #expect(error?.kind == .timeout)
    }

    @Test func aDroppedConnectionAndACutAnswerAreConnectionLost() async throws {
        let dropped = try ScriptedServer { _ in .close }
        defer { dropped.stop() }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.send(
                HTTPRequest(method: "POST", url: "http://127.0.0.1:\(dropped.port)/", body: Data("{}".utf8)))
        }
        #expect(error?.kind == .connectionLost)
        #expect(error?.isTransient == true)

        let cut = try ScriptedServer { _ in
            .answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"succ", close: true)
        }
        defer { cut.stop() }
        let cutError = await #expect(throws: HTTPClientError.self) {
            try await client.send(
                HTTPRequest(method: "POST", url: "http://127.0.0.1:\(cut.port)/", body: Data("{}".utf8)))
        }
        #expect(cutError?.kind == .connectionLost)
    }

    @Test func plainHTTPGoesOnlyToLoopback() async throws {
        for url in ["http://example.com/", "http://10.0.0.1:8080/", "http://127.0.0.1.example.com/"] {
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.send(HTTPRequest(method: "GET", url: url))
            }
            #expect(error?.kind == .plainHTTPRefused)
            #expect(error?.isTransient == false)
        }
        #expect(throws: Never.self) { try Endpoint.check("http://example.com/", insecure: true) }
        #expect(throws: Never.self) { try Endpoint.check("https://dayu.cn-north-4.myhuaweicloud.com", insecure: false) }
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "[::1]"] {
            #expect(throws: Never.self) { try Endpoint.check("http://\(host):8080/x", insecure: false) }
        }
        #expect(throws: HTTPClientError.self) { try Endpoint.check("ftp://127.0.0.1/", insecure: true) }
        #expect(throws: HTTPClientError.self) {
            try Endpoint.check("dayu.cn-north-4.myhuaweicloud.com", insecure: false)
        }
        #expect(Endpoint.origin(of: "https://user:pw@host.example:8443/v1/p?q=1") == "https://host.example:8443")
    }

    @Test func anExplicitProxyGetsTheRequest() async throws {
        let proxy = try ScriptedServer { _ in .answer(httpResponse(200, "via proxy")) }
        defer { proxy.stop() }
        let proxied = HTTPClient(
            options: HTTPClientOptions(connectTimeout: 2, requestTimeout: 3, proxy: "http://127.0.0.1:\(proxy.port)"))
        let response = try await proxied.send(
            HTTPRequest(method: "POST", url: "http://127.0.0.2:9/v1/p/metadata/async-bulk", body: Data("{}".utf8)))
        #expect(String(decoding: response.body, as: UTF8.self) == "via proxy")
        #expect(
            proxy.requests.first?.head.hasPrefix("POST http://127.0.0.2:9/v1/p/metadata/async-bulk HTTP/1.1") == true)
    }

    @Test func anOversizedAnswerFails() async throws {
        let server = try ScriptedServer { _ in .answer(httpResponse(200, String(repeating: "x", count: 5000))) }
        defer { server.stop() }
        let small = HTTPClient(options: HTTPClientOptions(connectTimeout: 2, requestTimeout: 3, maxResponseBytes: 1000))
        let error = await #expect(throws: HTTPClientError.self) {
            try await small.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/"))
        }
        #expect(error?.kind == .responseTooLarge)
    }
}
