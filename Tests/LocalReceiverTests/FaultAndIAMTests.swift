import EventContract
import Foundation
import LocalReceiver
import Testing

/// Fault injection by request number, the IAM login emulation, and what never reaches a log.
@Suite struct FaultAndIAMTests {
    static func faults(_ specs: String...) throws -> [Fault] {
        try specs.map { try Fault.parse($0) }
    }

    @Test func faultSpecsParse() throws {
        #expect(try Fault.parse("500@2") == .status(500, retryAfter: nil, request: 2))
        #expect(try Fault.parse("503@1") == .status(503, retryAfter: nil, request: 1))
        #expect(try Fault.parse("429@3") == .status(429, retryAfter: 1, request: 3))
        #expect(try Fault.parse("429:2@3") == .status(429, retryAfter: 2, request: 3))
        #expect(try Fault.parse("hang@2") == .hang(request: 2))
        #expect(try Fault.parse("drop@2") == .drop(request: 2))
        #expect(try Fault.parse("reset@2") == .reset(request: 2))
        #expect(try Fault.parse("recorded-500@2") == .recorded500(request: 2))
        #expect(try Fault.parse("delay:250") == .delay(milliseconds: 250))
        for bad in ["500", "500@0", "500@x", "200@1", "crash@1", "delay:-1", "500:2@1", "@3", "429:x@1"] {
            let error = #expect(throws: Fault.SpecError.self, "\(bad)") { try Fault.parse(bad) }
            #expect(error?.description.contains("fault \"\(bad)\"") == true)
            #expect(error?.description.contains("recorded-500@N") == true)
        }
    }

    @Test func statusFaultsAnswerWithoutApplying() throws {
        let (catalog, bodies) = Fixture.creation(seed: 31, maxEvents: 1000)
        let running = try RunningReceiver { $0.faults = try! Self.faults("500@1", "429:2@2", "429@3", "503@4") }
        let first = try running.postSigned(bodies[0])
        #expect(first.status == 500)
        #expect(first.errorCode == "DLM.5001")
        let throttled = try running.postSigned(bodies[0])
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") == "2")
        #expect(throttled.errorCode == "APIG.0308")
        #expect(try running.postSigned(bodies[0]).header("Retry-After") == "1")
        #expect(try running.postSigned(bodies[0]).status == 503)
        #expect(running.receiver.catalogs.isEmpty)
        #expect(try running.postSigned(bodies[0]).status == 200)
        #expect(running.receiver.catalog == catalog)
        #expect(running.receiver.statistics.requests == 5)
        #expect(running.receiver.statistics.duplicates == 0)
    }

    @Test func hangNeverAnswersAndStopStillEndsIt() throws {
        let (catalog, bodies) = Fixture.creation(seed: 32, maxEvents: 1000)
        // A hang limit far beyond the client's wait below: only `stop` can end this hang in time.
        let running = try RunningReceiver {
            $0.faults = [.hang(request: 1)]
            $0.hangLimit = 600
        }
        let client = try running.client(timeout: 1)
        let request = try TestClient.signedPost(bodies[0], port: running.port)
        try client.send(request.head + request.body)
        #expect(client.readResponse() == nil)
        #expect(client.end == .timedOut)
        #expect(running.receiver.catalogs.isEmpty)
        // Meanwhile the receiver serves others.
        #expect(try running.postSigned(bodies[0]).status == 200)
        #expect(running.receiver.catalog == catalog)
        running.receiver.stop()
        // Ended by the stop: closed or reset, not timed out, well within the 600 s hang limit.
        client.setTimeout(30)
        #expect(client.readResponse() == nil)
        #expect(client.end == .closed || client.end == .reset)
    }

    @Test func aHangEndsWhenTheClientGoesAwayAndConnectionsAreBounded() throws {
        let (_, bodies) = Fixture.creation(seed: 40, maxEvents: 1000)
        let running = try RunningReceiver {
            $0.faults = [.hang(request: 1)]
            $0.maxConnections = 1
            $0.hangLimit = 600
        }
        var hanging: TestClient? = try running.client(timeout: 1)
        let request = try TestClient.signedPost(bodies[0], port: running.port)
        try hanging?.send(request.head + request.body)
        #expect(hanging?.readResponse() == nil)
        // The one connection slot is taken: another client is turned away.
        let refused = try running.get("/health")
        #expect(refused.status == 503)
        #expect(refused.errorCode == "APIG.0203")
        // The hanging client goes away: its slot frees, long before the hang limit (600 s) would
        // end the hang on its own. Polled for up to 30 s (a loaded machine), only the outcome asserted.
        hanging = nil
        var status = 0
        let deadline = Date().addingTimeInterval(30)
        for _ in 0..<600 where status != 200 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            status = try running.get("/health").status
        }
        #expect(status == 200)
        #expect(running.receiver.catalogs.isEmpty)
    }

    @Test func dropClosesWithoutAnswerAndAppliesNothing() throws {
        let (catalog, bodies) = Fixture.creation(seed: 33, maxEvents: 1000)
        let running = try RunningReceiver { $0.faults = [.drop(request: 1)] }
        let client = try running.client(timeout: 30)
        let request = try TestClient.signedPost(bodies[0], port: running.port)
        try client.send(request.head + request.body)
        #expect(client.readResponse() == nil)
        #expect(client.end == .closed)
        #expect(running.receiver.catalogs.isEmpty)
        #expect(try running.postSigned(bodies[0]).status == 200)
        #expect(running.receiver.catalog == catalog)
        #expect(running.receiver.statistics.duplicates == 0)
    }

    @Test func resetAppliesAndRecordsThenBreaksTheConnection() throws {
        let (catalog, bodies) = Fixture.creation(seed: 34, maxEvents: 1000)
        let folder = RunningReceiver.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = folder.appendingPathComponent("r.ndjson").path
        let running = try RunningReceiver {
            $0.faults = [.reset(request: 1)]
            $0.recordPath = record
        }
        let client = try running.client(timeout: 30)
        let request = try TestClient.signedPost(bodies[0], port: running.port)
        try client.send(request.head + request.body)
        #expect(client.readResponse() == nil)
        #expect(client.end == .reset || client.end == .closed)
        #expect(running.receiver.catalog == catalog)
        // The client resends what it got no answer for: acknowledged, not applied again.
        #expect(try running.postSigned(bodies[0]).status == 200)
        #expect(running.receiver.statistics.applied == 1)
        #expect(running.receiver.statistics.duplicates == 1)
        let lines = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0] == lines[1])
    }

    @Test func recorded500AppliesThenAnswers500() throws {
        let (catalog, bodies) = Fixture.creation(seed: 35, maxEvents: 1000)
        let running = try RunningReceiver { $0.faults = [.recorded500(request: 1)] }
        let first = try running.postSigned(bodies[0])
        #expect(first.status == 500)
        #expect(running.receiver.catalog == catalog)
        #expect(try running.postSigned(bodies[0]).status == 200)
        #expect(running.receiver.statistics.applied == 1)
        #expect(running.receiver.statistics.duplicates == 1)
    }

    @Test func aRecorded500OnARefusedRequestIsCountedOnce() throws {
        let (_, bodies) = Fixture.creation(seed: 41, maxEvents: 1000)
        let running = try RunningReceiver { $0.faults = [.recorded500(request: 1)] }
        let refused = try running.postSigned(bodies[0], sk: "not-the-secret")
        #expect(refused.status == 500)
        #expect(running.receiver.statistics.requests == 1)
        #expect(running.receiver.statistics.refused == 1)
        #expect(running.receiver.catalogs.isEmpty)
    }

    @Test func delayHoldsEveryAnswer() throws {
        let (_, bodies) = Fixture.creation(seed: 36, maxEvents: 1000)
        let running = try RunningReceiver { $0.faults = [.delay(milliseconds: 400)] }
        let started = Date()
        #expect(try running.postSigned(bodies[0]).status == 200)
        #expect(Date().timeIntervalSince(started) >= 0.4)
        #expect(running.receiver.catalogs.count == 1)
    }

    // MARK: - IAM

    static let password = "pa55-IAM-secret-word"

    static func login(user: String = "sync", password: String = password, scope: JSONValue) -> [UInt8] {
        let body: JSONValue = [
            "auth": [
                "identity": [
                    "methods": ["password"],
                    "password": [
                        "user": ["name": .string(user), "password": .string(password), "domain": ["name": "acme"]]
                    ],
                ],
                "scope": ["project": scope],
            ]
        ]
        let bytes = body.bytes
        let head = "POST /v3/auth/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        return Array((head + "Content-Length: \(bytes.count)\r\n\r\n").utf8) + bytes
    }

    static func iamReceiver(lifetime: TimeInterval = 3600) throws -> RunningReceiver {
        try RunningReceiver(auth: nil) {
            $0.iam = IAMEmulation(user: "sync", password: password, domain: "acme", tokenLifetime: lifetime)
        }
    }

    @Test func iamIssuesATokenThatThenWorks() throws {
        let (catalog, bodies) = Fixture.creation(seed: 37, maxEvents: 1000)
        let running = try Self.iamReceiver()
        let client = try running.client()
        let login = try client.exchange(Self.login(scope: ["id": .string(TestClient.project)]))
        #expect(login.status == 201)
        let token = try #require(login.header("X-Subject-Token"))
        #expect(token.count > 40)
        let expires = try #require((login.json["token"] as? [String: Any])?["expires_at"] as? String)
        #expect(expires.count == "2026-11-26T06:00:00.000000Z".count)
        #expect(expires.hasSuffix("Z"))
        #expect(try client.exchange(TestClient.tokenPost(bodies[0], token: "MIIsync-forged")).status == 401)
        #expect(try client.exchange(TestClient.tokenPost(bodies[0], token: token)).status == 200)
        #expect(running.receiver.catalog == catalog)

        let byName = try client.exchange(Self.login(scope: ["name": "cn-north-4"]))
        #expect(byName.status == 201)
        #expect(byName.header("X-Subject-Token") != token)
    }

    @Test func iamRefusesAWrongPasswordOrProject() throws {
        let running = try Self.iamReceiver()
        let client = try running.client()
        let wrong = try client.exchange(Self.login(password: "guess", scope: ["id": .string(TestClient.project)]))
        #expect(wrong.status == 401)
        #expect(wrong.header("X-Subject-Token") == nil)
        let error = try #require(wrong.json["error"] as? [String: Any])
        #expect(error["code"] as? Int == 401)
        #expect(error["title"] as? String == "Unauthorized")
        #expect((error["message"] as? String)?.isEmpty == false)
        #expect(try client.exchange(Self.login(scope: ["id": "other-project"])).status == 401)
        let malformed = try client.exchange(
            Array("POST /v3/auth/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}".utf8))
        #expect(malformed.status == 400)
    }

    @Test func anExpiredIAMTokenIsRefused() throws {
        let (_, bodies) = Fixture.creation(seed: 38, maxEvents: 1000)
        let running = try Self.iamReceiver(lifetime: 0.5)
        let client = try running.client()
        let token = try #require(
            try client.exchange(Self.login(scope: ["id": .string(TestClient.project)])).header("X-Subject-Token"))
        Thread.sleep(forTimeInterval: 1)
        let late = try client.exchange(TestClient.tokenPost(bodies[0], token: token))
        #expect(late.status == 401)
        #expect(late.errorMessage.contains("token expires"))
    }

    @Test func noSecretReachesTheLogTheRecordOrAnAnswer() throws {
        let (_, bodies) = Fixture.creation(seed: 39, maxEvents: 1000)
        let folder = RunningReceiver.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = folder.appendingPathComponent("r.ndjson").path
        let running = try RunningReceiver {
            $0.recordPath = record
            $0.iam = IAMEmulation(user: "sync", password: Self.password, domain: "acme")
        }
        var answers: [WireResponse] = []
        let client = try running.client()
        answers.append(try running.postSigned(bodies[0], sk: "wrong-" + TestClient.sk))
        answers.append(try running.postSigned(bodies[0]))
        answers.append(try client.exchange(Self.login(password: "bad-" + Self.password, scope: ["name": "cn-north-4"])))
        let login = try client.exchange(Self.login(scope: ["name": "cn-north-4"]))
        let token = try #require(login.header("X-Subject-Token"))
        answers.append(try client.exchange(TestClient.tokenPost(bodies[0], token: token)))
        answers.append(try client.exchange(TestClient.tokenPost(bodies[0], token: token + "x")))

        var texts = running.log.lines
        texts.append(try String(contentsOfFile: record, encoding: .utf8))
        texts += answers.map { String(decoding: $0.body, as: UTF8.self) }
        var dumped = ""
        dump(running.receiver.options.auth, to: &dumped)
        dump(running.receiver.options.iam, to: &dumped)
        texts += [dumped, String(describing: running.receiver.options), String(reflecting: running.receiver.options)]
        #expect(running.log.lines.count >= 6)
        // Counted, not compared: a failing expectation must not print the secret it found.
        let secrets = [TestClient.sk, Self.password, String(token.prefix(20)), "Signature="]
        for (index, secret) in secrets.enumerated() {
            let leaks = texts.filter { $0.contains(secret) }.count
            #expect(leaks == 0, "secret \(index) appears in \(leaks) text(s)")
        }
    }
}
