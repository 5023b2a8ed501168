import Foundation
import LocalReceiver
import Testing

/// Raw bytes a client may send that are not a good request (issue 10, fault 3): each is
/// refused at the HTTP level, and the receiver goes on serving signed requests after it.
@Suite struct MalformedRequestTests {
    static let apiHead =
        "POST /v1/\(TestClient.project)/metadata/async-bulk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"

    /// A signed body on a new connection is still applied.
    static func expectServing(_ running: RunningReceiver, seed: UInt64, _ comment: Comment) throws {
        let (catalog, bodies) = Fixture.creation(seed: seed, maxEvents: 1000)
        let response = try running.postSigned(bodies[0])
        #expect(response.status == 200, comment)
        #expect(running.receiver.catalogs.contains(catalog), comment)
    }

    @Test func aNegativeChunkSizeIs400AndTheReceiverLivesOn() throws {
        let running = try RunningReceiver()
        // No authentication needed to reach the chunk parser: this once killed the receiver.
        for size in ["-2", "-0", "-ffffffff", "+2", "ffffffffffffffffff", "2 2", "0x2", ""] {
            let raw = Self.apiHead + "Transfer-Encoding: chunked\r\n\r\n\(size)\r\nab\r\n0\r\n\r\n"
            let response = try running.client().exchange(Array(raw.utf8))
            #expect(response.status == 400, "chunk size \(size)")
            #expect(response.errorCode == "APIG.0201", "chunk size \(size)")
            #expect(response.header("Connection") == "close", "chunk size \(size)")
        }
        #expect(running.receiver.catalogs.isEmpty)
        try Self.expectServing(running, seed: 51, "after bad chunk sizes")
        #expect(running.log.lines.contains("receive: POST /v1/\(TestClient.project)/metadata/async-bulk 400 APIG.0201"))
    }

    @Test func aContentLengthThatIsNotDigitsIsRefused() throws {
        let running = try RunningReceiver()
        for value in ["+2", "-2", "0x2", "2 2", " +2", "2.0", "١٢"] {
            let raw = Self.apiHead + "Content-Length: \(value)\r\n\r\n{}"
            let response = try running.client().exchange(Array(raw.utf8))
            #expect(response.status == 400, "Content-Length: \(value)")
            #expect(response.errorCode == "APIG.0201", "Content-Length: \(value)")
        }
        // Two different lengths, or a length beside chunked: request smuggling, refused.
        for fields in ["Content-Length: 2\r\nContent-Length: 3", "Content-Length: 2\r\nTransfer-Encoding: chunked"] {
            let raw = Self.apiHead + fields + "\r\n\r\n{}"
            #expect(try running.client().exchange(Array(raw.utf8)).status == 400, "\(fields)")
        }
        #expect(running.receiver.statistics.requests == 0)
        try Self.expectServing(running, seed: 52, "after bad lengths")
    }

    @Test func garbageOfEveryKindIsRefusedAndTheReceiverLivesOn() throws {
        let running = try RunningReceiver()
        let heads = [
            "GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET /health HTTP/1.1\r\nNo colon\r\n\r\n",
            "GET /health HTTP/1.1\r\n: empty name\r\n\r\n", "GET /health HTTP/1.1\r\nA B: c\r\n\r\n",
            "GET /health HTTP/1.1\r\n folded: x\r\n\r\n", "\u{0}\u{1}\u{2}\r\n\r\n",
            Self.apiHead + "Transfer-Encoding: gzip\r\n\r\n",
            Self.apiHead + "Transfer-Encoding: chunked\r\n\r\n2\r\nabXY0\r\n\r\n",
        ]
        for head in heads {
            let client = try running.client()
            try client.send(head)
            let response = client.readResponse()
            let status = response?.status ?? 0
            #expect((400...505).contains(status), "\(head.debugDescription): \(status)")
        }
        #expect(running.receiver.catalogs.isEmpty)
        try Self.expectServing(running, seed: 53, "after garbage")
    }

    @Test func idleConnectionsDoNotLockOutLaterClients() throws {
        // The default connection limit (32), and twice as many clients that connect and say nothing.
        let running = try RunningReceiver()
        let idle = try (0..<64).map { _ in try running.client(timeout: 30) }
        // Every one got a connection; the oldest ones were closed to make room for the later ones.
        try Self.expectServing(running, seed: 54, "with 64 idle connections open")
        #expect(try running.get("/health").status == 200)
        #expect(idle[0].readResponse() == nil)
        #expect(idle[0].end == .closed)
        // The newest idle client still has its connection, and it works.
        #expect(try idle[63].exchange(TestClient.get("/health")).status == 200)
        #expect(!running.log.lines.contains { $0.contains("503") })
    }

    @Test func loopbackHostsInEverySpelling() throws {
        for host in [
            "127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "LocalHost", "localhost.", "::1", "[::1]",
            "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1",
        ] {
            let receiver = try Receiver(ReceiverOptions(host: host, projectID: "p", auth: .token("t"), log: { _ in }))
            defer { receiver.stop() }
            let port = try receiver.start()
            #expect(port > 0, "\(host)")
            let url = try #require(receiver.baseURL, "\(host)")
            #expect(url.port == port, "\(host)")
        }
        for host in [
            "0.0.0.0", "::", "128.0.0.1", "::ffff:128.0.0.1", "127.0.0.+1", "127.0.0", "[127.0.0.1]", "[::1", "",
        ] {
            let error = #expect(throws: ReceiverError.self, "\(host)") {
                try Receiver(ReceiverOptions(host: host, projectID: "p", auth: .token("t")))
            }
            #expect(error?.code == .invalidOptions, "\(host)")
        }
    }
}
