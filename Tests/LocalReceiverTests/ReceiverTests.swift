import DataArtsAuth
import EventContract
import Foundation
import LocalReceiver
import SchemaModel
import SchemaTestSupport
import SnapshotStore
import Testing

/// The async-bulk API over real loopback sockets: authentication, bodies, the catalog.
@Suite struct ReceiverTests {
    @Test func signedBodiesOnOneConnectionBuildTheCatalogTheEventsDescribe() throws {
        let (catalog, bodies) = Fixture.creation(seed: 7, minBodies: 3)
        #expect(bodies.count > 1)
        let running = try RunningReceiver()
        let client = try running.client()
        for body in bodies {
            let request = try TestClient.signedPost(body, port: running.port)
            let response = try client.exchange(request.head + request.body)
            #expect(response.status == 200, "\(response.errorMessage)")
            #expect(response.json["success"] as? Bool == true)
            #expect(response.header("Connection") == "keep-alive")
        }
        #expect(running.receiver.catalog == catalog)
        #expect(running.receiver.statistics.applied == bodies.count)

        let fetched = try client.exchange(TestClient.get("/catalog"))
        #expect(fetched.status == 200)
        #expect(try SnapshotCoder.decode(fetched.body, path: "GET /catalog").catalog == catalog)
        let names = try client.exchange(TestClient.get("/catalogs"))
        #expect(String(decoding: names.body, as: UTF8.self) == "[\"\(catalog.name)\"]")
        #expect(try running.get("/health").status == 200)
        #expect(running.log.lines.contains { $0.contains("POST /v1/\(TestClient.project)/metadata/async-bulk 200") })
    }

    @Test func theReplayLawHoldsOverHTTP() throws {
        let running = try RunningReceiver()
        let client = try running.client()
        var current: Catalog?
        var generator = CatalogGenerator(seed: 77)
        // A catalog, then a run of random changes, then its removal: each step sent in batches.
        var states: [Catalog?] = [generator.catalog()]
        for _ in 0..<20 { states.append(generator.mutate(states.last!!)) }
        states.append(nil)
        for (step, next) in states.enumerated() {
            for body in Fixture.bodies(from: current, to: next, maxEvents: 6) {
                let request = try TestClient.signedPost(body, port: running.port)
                let response = try client.exchange(request.head + request.body)
                #expect(response.status == 200, "step \(step): \(response.errorMessage)")
            }
            #expect(running.receiver.catalogs == (next.map { [$0] } ?? []), "step \(step)")
            current = next
        }
    }

    @Test func nothingReceivedYetIs404() throws {
        let running = try RunningReceiver()
        let response = try running.get("/catalog")
        #expect(response.status == 404)
        #expect(response.errorCode == "DLM.4042")
        #expect(try running.get("/nowhere").errorCode == "APIG.0101")
    }

    @Test func aWrongSecretKeyIs401AndAppliesNothing() throws {
        let (_, bodies) = Fixture.creation(seed: 3)
        let running = try RunningReceiver()
        let response = try running.postSigned(bodies[0], sk: "not-the-secret")
        #expect(response.status == 401)
        #expect(response.errorCode == "APIG.0301")
        #expect(response.errorMessage.contains("verify aksk signature fail"))
        #expect(running.receiver.catalogs.isEmpty)
        #expect(running.receiver.statistics.applied == 0)
    }

    @Test func anUnknownAccessKeyIs401() throws {
        let (_, bodies) = Fixture.creation(seed: 3)
        let running = try RunningReceiver()
        let request = try TestClient.signedPost(bodies[0], port: running.port, ak: "OTHERAK")
        let response = try running.client().exchange(request.head + request.body)
        #expect(response.status == 401)
        #expect(response.errorMessage.contains("ak not exist"))
    }

    @Test func aBodyChangedAfterSigningIs401() throws {
        let (_, bodies) = Fixture.creation(seed: 3)
        let running = try RunningReceiver()
        let request = try TestClient.signedPost(bodies[0], port: running.port)
        var body = request.body
        body[body.count - 2] = UInt8(ascii: " ")
        let response = try running.client().exchange(request.head + body)
        #expect(response.status == 401)
        #expect(running.receiver.catalogs.isEmpty)
    }

    @Test func aStaleOrMissingSDKDateIs401() throws {
        let (_, bodies) = Fixture.creation(seed: 4, minBodies: 2)
        let running = try RunningReceiver()
        let stale = try running.postSigned(bodies[0], date: Date().addingTimeInterval(-20 * 60))
        #expect(stale.status == 401)
        #expect(stale.errorMessage.contains("X-Sdk-Date"))
        #expect(stale.errorMessage.contains("20 minute"))
        let ahead = try running.postSigned(bodies[0], date: Date().addingTimeInterval(16 * 60))
        #expect(ahead.status == 401)
        // Within the 15 minutes: accepted.
        #expect(try running.postSigned(bodies[0], date: Date().addingTimeInterval(-14 * 60)).status == 200)

        // The date header dropped from a signed request: refused.
        let request = try TestClient.signedPost(bodies[1], port: running.port)
        let head = String(decoding: request.head, as: UTF8.self).components(separatedBy: "\r\n").filter {
            !$0.lowercased().hasPrefix("x-sdk-date:")
        }.joined(separator: "\r\n")
        let response = try running.client().exchange(Array(head.utf8) + request.body)
        #expect(response.status == 401)
        #expect(response.errorMessage.contains("X-Sdk-Date"))

        // The date present but left out of SignedHeaders: refused too.
        let unsigned = String(decoding: request.head, as: UTF8.self).replacingOccurrences(of: ";x-sdk-date", with: "")
        #expect(unsigned != String(decoding: request.head, as: UTF8.self))
        let refused = try running.client().exchange(Array(unsigned.utf8) + request.body)
        #expect(refused.status == 401)
        #expect(refused.errorMessage.contains("SignedHeaders must include host and x-sdk-date"))
        #expect(running.receiver.statistics.applied == 1)
    }

    @Test func tokenModeTakesTheTokenAndRefusesOthers() throws {
        let (catalog, bodies) = Fixture.creation(seed: 5, maxEvents: 1000)
        #expect(bodies.count == 1)
        let running = try RunningReceiver(auth: .token("tok-secret-1234567890"))
        let client = try running.client()
        let missing = try client.exchange(TestClient.tokenPost(bodies[0], token: nil))
        #expect(missing.status == 401)
        #expect(missing.errorMessage.contains("x-auth-token not found"))
        let wrong = try client.exchange(TestClient.tokenPost(bodies[0], token: "tok-other"))
        #expect(wrong.status == 401)
        #expect(wrong.errorCode == "APIG.0301")
        // A signature is refused when the receiver takes tokens.
        let signed = try TestClient.signedPost(bodies[0], port: running.port)
        #expect(try client.exchange(signed.head + signed.body).status == 401)
        #expect(running.receiver.catalogs.isEmpty)
        let good = try client.exchange(TestClient.tokenPost(bodies[0], token: "tok-secret-1234567890"))
        #expect(good.status == 200)
        #expect(running.receiver.catalog == catalog)
    }

    @Test func aWrongProjectIs404AndADisagreeingProjectHeader403() throws {
        let (_, bodies) = Fixture.creation(seed: 6)
        let running = try RunningReceiver(auth: .token("t0k3n"))
        let client = try running.client()
        let wrong = try client.exchange(TestClient.tokenPost(bodies[0], token: "t0k3n", project: "other"))
        #expect(wrong.status == 404)
        #expect(wrong.errorCode == "DLM.4041")
        #expect(wrong.errorMessage.contains("other"))
        let header = try client.exchange(
            TestClient.tokenPost(bodies[0], token: "t0k3n", headers: ["X-Project-Id: other"]))
        #expect(header.status == 403)
        #expect(header.errorCode == "APIG.0302")
        let get = try client.exchange(TestClient.get("/v1/\(TestClient.project)/metadata/async-bulk"))
        #expect(get.status == 404)
        #expect(running.receiver.catalogs.isEmpty)
    }

    @Test func badBodiesAre400AndApplyNothing() throws {
        let (catalog, bodies) = Fixture.creation(seed: 8, maxEvents: 1000)
        let running = try RunningReceiver(auth: .token("t"))
        let client = try running.client()
        func post(_ body: Data) throws -> WireResponse {
            try client.exchange(TestClient.tokenPost(body, token: "t"))
        }
        let createCatalog = try #require(
            (try JSONValue.parse(bodies[0]))["events"]?.array?.first, "the first event creates the catalog")

        let malformed = try post(Data("{\"engine\": ".utf8))
        #expect(malformed.status == 400)
        #expect(malformed.errorCode == "DLM.4001")
        #expect(malformed.errorMessage.contains("not valid JSON"))

        let unknown = try post(
            Fixture.body(events: [["event_type": "CreateViewEvent", "event_message": [:] as JSONValue]]))
        #expect(unknown.status == 400)
        #expect(unknown.errorCode == "DLM.4003")
        #expect(unknown.errorMessage.contains("CreateViewEvent"))

        let noInstance = try post(Fixture.body(events: [createCatalog], engine: "MRS", instanceID: nil))
        #expect(noInstance.status == 400)
        #expect(noInstance.errorCode == "DLM.4002")
        #expect(noInstance.errorMessage.contains("instance_id"))

        let empty = try post(Fixture.body(events: []))
        #expect(empty.status == 400)
        #expect(empty.errorMessage.contains("empty"))

        // A valid first event, then one that does not apply: all or nothing.
        let alterMissing: JSONValue = [
            "event_type": "AlterTableEvent", "event_ts": 1,
            "event_message": [
                "oldTable": ["tableName": "ghost", "dbName": "nodb", "catName": "src", "schemaName": "s"],
                "newTable": ["tableName": "ghost", "dbName": "nodb", "catName": "src", "schemaName": "s"],
            ],
        ]
        let partial = try post(Fixture.body(events: [createCatalog, alterMissing]))
        #expect(partial.status == 400)
        #expect(partial.errorCode == "DLM.4004")
        #expect(partial.errorMessage.contains("event 2 (AlterTableEvent)"))
        #expect(running.receiver.catalogs.isEmpty)
        #expect(running.receiver.statistics.applied == 0)

        #expect(try post(bodies[0]).status == 200)
        #expect(running.receiver.catalog == catalog)
    }

    @Test func theLastBodyResentIsAcknowledgedButNotAppliedAgain() throws {
        let (catalog, bodies) = Fixture.creation(seed: 9, maxEvents: 5, minBodies: 3)
        #expect(bodies.count >= 2)
        let folder = RunningReceiver.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = folder.appendingPathComponent("record.ndjson").path
        let running = try RunningReceiver(folder: folder) { $0.recordPath = record }
        #expect(try running.postSigned(bodies[0]).status == 200)
        let again = try running.postSigned(bodies[0])
        #expect(again.status == 200)
        #expect(again.json["success"] as? Bool == true)
        #expect(running.receiver.statistics.duplicates == 1)
        for body in bodies.dropFirst() {
            #expect(try running.postSigned(body).status == 200)
        }
        #expect(running.receiver.catalog == catalog)
        // Only the last body is a resend: an older one is applied, and refused as it no longer fits.
        let older = try running.postSigned(bodies[0])
        #expect(older.status == 400)
        #expect(older.errorCode == "DLM.4004")
        #expect(running.receiver.catalog == catalog)

        let lines = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == ([bodies[0]] + bodies).map { String(decoding: $0, as: UTF8.self) })
        #expect(running.log.lines.contains { $0.contains("duplicate") })
    }

    @Test func expect100ContinueIsAnsweredBeforeTheBody() throws {
        let (catalog, bodies) = Fixture.creation(seed: 10, maxEvents: 1000)
        let running = try RunningReceiver()
        let client = try running.client()
        let request = try TestClient.signedPost(bodies[0], port: running.port, expectContinue: true)
        try client.send(request.head)
        let interim = try #require(client.readResponse())
        #expect(interim.status == 100)
        try client.send(request.body)
        let response = try #require(client.readResponse())
        #expect(response.status == 200)
        #expect(running.receiver.catalog == catalog)
    }

    /// `body` in chunks of `size` bytes, the first with an extension, and a trailer field.
    static func chunked(_ body: [UInt8], size: Int) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        while offset < body.count {
            let piece = body[offset..<min(offset + size, body.count)]
            out += Array((String(piece.count, radix: 16) + (offset == 0 ? ";ext=1" : "") + "\r\n").utf8)
            out += piece + Array("\r\n".utf8)
            offset += size
        }
        return out + Array("0\r\nX-Trailer: 1\r\n\r\n".utf8)
    }

    /// A signed request's head with `Content-Length` replaced by `Transfer-Encoding: chunked`.
    static func chunkedHead(_ head: [UInt8]) -> [UInt8] {
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").map {
            $0.lowercased().hasPrefix("content-length:") ? "Transfer-Encoding: chunked" : $0
        }
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    @Test func chunkedBodiesAreReadLikeOthers() throws {
        let (catalog, bodies) = Fixture.creation(seed: 14, maxEvents: 4, minBodies: 2)
        let running = try RunningReceiver()
        let client = try running.client()
        for (index, body) in bodies.enumerated() {
            let request = try TestClient.signedPost(body, port: running.port, expectContinue: index == 0)
            let head = Self.chunkedHead(request.head)
            if index == 0 {
                try client.send(head)
                #expect(client.readResponse()?.status == 100)
                try client.send(Self.chunked(request.body, size: 97))
                #expect(client.readResponse()?.status == 200)
            } else {
                #expect(try client.exchange(head + Self.chunked(request.body, size: 1000)).status == 200)
            }
        }
        #expect(running.receiver.catalog == catalog)

        let start = "POST /health HTTP/1.1\r\nHost: x\r\n"
        let badSize = try running.client().exchange(Array((start + "Transfer-Encoding: chunked\r\n\r\nzz\r\n").utf8))
        #expect(badSize.status == 400)
        let gzip = try running.client().exchange(Array((start + "Transfer-Encoding: gzip, chunked\r\n\r\n").utf8))
        #expect(gzip.status == 501)
        let both = try running.client().exchange(
            Array((start + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n").utf8))
        #expect(both.status == 400)
    }

    @Test func connectionCloseIsHonoured() throws {
        let (_, bodies) = Fixture.creation(seed: 11, maxEvents: 1000)
        let running = try RunningReceiver()
        let client = try running.client()
        let request = try TestClient.signedPost(bodies[0], port: running.port, connectionClose: true)
        let response = try client.exchange(request.head + request.body)
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(client.readRest().isEmpty)
        #expect(client.readResponse() == nil)
        #expect(client.end == .closed)
    }

    @Test func oversizeChunkedAndHugeHeadsAreRefused() throws {
        let (_, bodies) = Fixture.creation(seed: 12, maxEvents: 1000)
        let running = try RunningReceiver { $0.maxBodyBytes = 100 }
        let large = try running.postSigned(bodies[0])
        #expect(large.status == 413)
        #expect(large.errorMessage.contains("at most 100"))

        // A chunk of 0x65 = 101 bytes: refused once the body passes the limit.
        let chunk = "65\r\n" + String(repeating: "x", count: 101) + "\r\n"
        let chunked = try running.client().exchange(
            Array(
                ("POST /v1/p/metadata/async-bulk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk)
                    .utf8))
        #expect(chunked.status == 413)

        let noLength = try running.client().exchange(Array("POST /health HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(noLength.status == 411)

        let filler = String(repeating: "a", count: 70 * 1024)
        let huge = try running.client().exchange(Array("GET /health HTTP/1.1\r\nX-Filler: \(filler)\r\n\r\n".utf8))
        #expect(huge.status == 431)

        let garbage = try running.client().exchange(Array("HELLO\r\n\r\n".utf8))
        #expect(garbage.status == 400)
        #expect(running.receiver.catalogs.isEmpty)
        let lines = running.log.lines
        #expect(lines.contains("receive: POST /v1/\(TestClient.project)/metadata/async-bulk 413 APIG.0201"))
        #expect(lines.contains("receive: - - 431 APIG.0201"))
        #expect(lines.contains("receive: - - 400 APIG.0201"))
    }

    @Test func stopClosesIdleConnections() throws {
        // An I/O timeout far beyond the client's wait: only `stop` can close the idle connection in time.
        let running = try RunningReceiver { $0.ioTimeout = 600 }
        let client = try running.client(timeout: 30)
        #expect(try client.exchange(TestClient.get("/health")).status == 200)
        running.receiver.stop()
        #expect(client.readResponse() == nil)
        #expect(client.end == .closed || client.end == .reset)
        #expect(throws: (any Error).self) { try TestClient(port: running.port, timeout: 1) }
        let error = #expect(throws: ReceiverError.self) { try running.receiver.start() }
        #expect(error?.code == .invalidOptions)
    }

    @Test func aSilentClientIsClosedAfterTheIOTimeout() throws {
        let running = try RunningReceiver { $0.ioTimeout = 0.5 }
        // The client waits far longer than the I/O timeout: closed by the server, not timed out.
        let silent = try running.client(timeout: 30)
        let started = Date()
        #expect(silent.readResponse() == nil)
        #expect(silent.end == .closed)
        #expect(Date().timeIntervalSince(started) >= 0.4)
        // Half a body, then silence: closed as well, nothing applied.
        let (_, bodies) = Fixture.creation(seed: 15, maxEvents: 1000)
        let request = try TestClient.signedPost(bodies[0], port: running.port)
        let half = try running.client(timeout: 30)
        try half.send(request.head + request.body.prefix(request.body.count / 2))
        #expect(half.readResponse() == nil)
        #expect(half.end == .closed)
        #expect(running.receiver.catalogs.isEmpty)
    }

    @Test func manyConcurrentClients() throws {
        let running = try RunningReceiver()
        let port = running.port
        let failures = LogLines()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            do {
                let client = try TestClient(port: port, timeout: 10)
                for _ in 0..<25 {
                    let response = try client.exchange(TestClient.get("/health"))
                    if response.status != 200 { failures.append("worker \(worker): \(response.status)") }
                }
            } catch {
                failures.append("worker \(worker): \(error)")
            }
        }
        #expect(failures.lines.isEmpty)
    }

    @Test func onlyLoopbackHostsAndSomeWayToAuthenticate() {
        for host in ["0.0.0.0", "192.168.1.2", "example.com", "::"] {
            #expect(throws: ReceiverError.self) {
                try Receiver(ReceiverOptions(host: host, projectID: "p", auth: .token("t")))
            }
        }
        #expect(throws: ReceiverError.self) { try Receiver(ReceiverOptions(projectID: "p", auth: nil)) }
        #expect(throws: ReceiverError.self) {
            try Receiver(
                ReceiverOptions(projectID: "p", auth: .token("t"), faults: [.drop(request: 1), .hang(request: 1)]))
        }
    }

    @Test func ipv6LoopbackServes() throws {
        let receiver = try Receiver(ReceiverOptions(host: "::1", projectID: "p", auth: .token("t"), log: { _ in }))
        defer { receiver.stop() }
        let port = try receiver.start()
        #expect(port > 0)
        #expect(receiver.baseURL?.absoluteString == "http://[::1]:\(port)")
    }

    @Test func eachSourceKeepsItsOwnCatalog() throws {
        var generator = CatalogGenerator(seed: 21)
        var first = generator.catalog()
        first.name = "orders"
        var second = generator.catalog()
        second.name = "shop"
        let running = try RunningReceiver()
        for body in Fixture.bodies(from: nil, to: first) + Fixture.bodies(from: nil, to: second) {
            #expect(try running.postSigned(body).status == 200)
        }
        #expect(running.receiver.catalogs == [first.canonicalized(), second.canonicalized()])
        #expect(running.receiver.catalog == nil)
        #expect(try running.get("/catalog").status == 409)
        let shop = try running.get("/catalog?name=shop")
        #expect(try SnapshotCoder.decode(shop.body, path: "shop").catalog == second.canonicalized())
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func aRecordThatCannotBeWrittenLeavesTheStateAsItWas() throws {
        let (catalog, bodies) = Fixture.creation(seed: 16, maxEvents: 1000)
        let folder = RunningReceiver.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state").path
        // Every write to /dev/full fails (ENOSPC): the state is written, then the record fails.
        let running = try RunningReceiver(folder: folder) {
            $0.stateDirectory = state
            $0.recordPath = "/dev/full"
        }
        let response = try running.postSigned(bodies[0])
        #expect(response.status == 500)
        #expect(response.errorCode == "DLM.5002")
        #expect(running.receiver.catalogs.isEmpty)
        // Nothing was applied, as the answer says, for a receiver restarted on the folder too.
        #expect(try Receiver.storedSnapshots(stateDirectory: state).isEmpty)
        running.receiver.stop()
        let restarted = try RunningReceiver(folder: folder) { $0.stateDirectory = state }
        let restartedEmpty = restarted.receiver.catalogs.isEmpty
        #expect(restartedEmpty)
        #expect(try restarted.postSigned(bodies[0]).status == 200)
        #expect(restarted.receiver.statistics.duplicates == 0)
        #expect(restarted.receiver.catalog == catalog)
    }

    @Test func stateSurvivesARestart() throws {
        let (catalog, bodies) = Fixture.creation(seed: 13, maxEvents: 6, minBodies: 2)
        let folder = RunningReceiver.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state").path
        do {
            let running = try RunningReceiver(folder: folder) { $0.stateDirectory = state }
            for body in bodies {
                #expect(try running.postSigned(body).status == 200)
            }
            running.receiver.stop()
        }
        let restarted = try RunningReceiver(folder: folder) { $0.stateDirectory = state }
        #expect(restarted.receiver.catalog == catalog)
        // The last body's hash survives too: its resend is not applied again.
        let resend = try restarted.postSigned(bodies[bodies.count - 1])
        #expect(resend.status == 200)
        #expect(restarted.receiver.statistics.duplicates == 1)
        #expect(try Receiver.storedSnapshots(stateDirectory: state).map(\.catalog) == [catalog])
        restarted.receiver.stop()

        // A damaged state file is refused, not taken for an empty catalog.
        try Data("{\"formatVersion\": 1, \"snap".utf8).write(to: URL(fileURLWithPath: state + "/receiver-state.json"))
        let error = #expect(throws: ReceiverError.self) {
            try Receiver(ReceiverOptions(projectID: "p", auth: .token("t"), stateDirectory: state))
        }
        #expect(error?.code == .corruptState)
    }
}
