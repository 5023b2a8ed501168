import DataArtsAuth
import EventContract
import Foundation
import LocalReceiver
import SchemaModel
import SchemaTestSupport
import SnapshotStore
import Testing

/// `schemasync sync` into the local receiver over HTTP with real AK/SK signing: after every
/// run the receiver's replayed catalog is the committed snapshot, whatever failed on the way.
extension SyncCommandTests {
    static let ak = "HPUAEXAMPLEAK0000001"
    static let sk = "receiver-sk-never-shown-0001"
    static let project = "p1"

    var recordPath: String { folder + "/received.ndjson" }

    /// A receiver on a free loopback port, recording what it accepts.
    func startReceiver(
        _ faults: [String] = [], auth: ReceiverAuth? = .accessKey(ak: ak, sk: sk), iam: IAMEmulation? = nil
    )
        throws -> Receiver
    {
        let receiver = try Receiver(
            ReceiverOptions(
                projectID: Self.project, auth: auth, iam: iam, recordPath: recordPath,
                faults: try faults.map { try Fault.parse($0) }, ioTimeout: 10, hangLimit: 20, log: { _ in }))
        _ = try receiver.start()
        return receiver
    }

    /// The dataarts sink's YAML for a receiver on `port`.
    func receiverSink(
        _ port: Int, maxEvents: Int = 100, attempts: Int = 4, auth: String = "{ ak: \(ak), sk: ${TEST_SK} }",
        requestTimeout: Int = 5, host: String = "127.0.0.1", project: String = project
    ) -> String {
        "{ kind: dataarts, endpoint: 'http://\(host):\(port)', project_id: \(project), auth: \(auth), "
            + "batch: { max_events: \(maxEvents) }, timeouts: { connect: 2, request: \(requestTimeout) }, "
            + "retry: { max_attempts: \(attempts), max_seconds: 3600, base_delay: 0.05, max_delay: 0.2 } }"
    }

    func syncToReceiver(_ config: String, sk: String = sk) throws -> CommandResult {
        let result = try sync(["shop", "--config", config], environment: ["TEST_SK": sk])
        let leaked = result.stdout.contains(sk) || result.stderr.contains(sk)
        #expect(!leaked, "the secret is in the output")
        return result
    }

    /// The receiver holds exactly what the store says was delivered.
    func expectReceiverEqualsCommitted(_ receiver: Receiver, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let store = SnapshotStore(root: storePath)
        let committed = try #require(try store.committed("shop"), sourceLocation: sourceLocation)
        #expect(try store.pending("shop") == nil, sourceLocation: sourceLocation)
        #expect(receiver.catalog == committed.catalog, sourceLocation: sourceLocation)
    }

    /// Bodies the receiver accepted, in order.
    func recordedBodies() throws -> [String] {
        guard FileManager.default.fileExists(atPath: recordPath) else { return [] }
        return try String(contentsOfFile: recordPath, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func syncsIntoTheReceiverThroughASeriesOfChanges() throws {
        let receiver = try startReceiver()
        defer { receiver.stop() }
        let config = try writeConfig(sink: receiverSink(receiver.port!, maxEvents: 5))
        let first = try syncToReceiver(config)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try recordedBodies().count > 1)
        #expect(try recordedBodies()[0].contains("\"CreateCatalogEvent\""))
        try expectReceiverEqualsCommitted(receiver)

        let steps: [(sql: String, events: [String])] = [
            ("ALTER TABLE shop.orders ADD COLUMN note text", ["AddColumnEvent"]),
            ("ALTER TABLE shop.items RENAME TO products", ["AlterTableEvent"]),
            ("CREATE INDEX products_name ON shop.products (name)", ["AddIndexEvent"]),
            ("ALTER TABLE shop.orders ALTER COLUMN note TYPE varchar(200)", ["AlterColumnEvent"]),
            (
                "CREATE VIEW shop.big_orders AS SELECT id, total FROM shop.orders WHERE total > 100",
                ["CreateTableEvent"]
            ),
            ("ALTER TABLE shop.notes ADD CONSTRAINT notes_body_key UNIQUE (body)", ["AddUniqueConstraintEvent"]),
            ("ALTER TABLE shop.orders DROP COLUMN note", ["DropColumnEvent"]),
            ("DROP INDEX shop.products_name", ["DropIndexEvent"]),
        ]
        for (sql, events) in steps {
            let before = try recordedBodies().count
            try psql(sql, in: database)
            let run = try syncToReceiver(config)
            #expect(run.status == 0, "\(sql): \(run.stderr)")
            let sent = try recordedBodies().dropFirst(before).joined()
            for event in events { #expect(sent.contains("\"\(event)\""), "\(sql): \(event) missing") }
            try expectReceiverEqualsCommitted(receiver)
        }
        // Nothing changed: nothing sent.
        let count = try recordedBodies().count
        #expect(try syncToReceiver(config).status == 0)
        #expect(try recordedBodies().count == count)
    }

    @Test func transientFailuresAreRetriedWithinTheRun() throws {
        // Requests are numbered as they arrive, retries included.
        let receiver = try startReceiver(["500@2", "429:1@3", "503@4", "hang@5", "drop@6"])
        defer { receiver.stop() }
        let config = try writeConfig(sink: receiverSink(receiver.port!, maxEvents: 3, attempts: 6))
        let run = try syncToReceiver(config)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("retries"))
        #expect(run.stderr.contains("HTTP 429") && run.stderr.contains("HTTP 503") && run.stderr.contains("Timeout"))
        #expect(run.stderr.contains("warning: DataArts Studio http://127.0.0.1:\(receiver.port!): HTTP 500"))
        try expectReceiverEqualsCommitted(receiver)
        // Nothing was applied by a failed attempt: no duplicates.
        let bodies = try recordedBodies()
        #expect(Set(bodies).count == bodies.count)
    }

    // On the first request, on a fresh connection: libcurl itself sends a request again, once,
    // when a reused keep-alive connection turns out closed, which would hide drop and reset.
    @Test(arguments: ["500@1", "503@1", "429:1@1", "hang@1", "drop@1", "reset@1", "recorded-500@1"])
    func aFailureThatOutlastsTheRetriesIsDeliveredByTheNextRun(fault: String) throws {
        let receiver = try startReceiver([fault])
        defer { receiver.stop() }
        // One attempt: the fault ends the run, and the next run must deliver everything.
        let config = try writeConfig(sink: receiverSink(receiver.port!, maxEvents: 3, attempts: 1))
        let failed = try syncToReceiver(config)
        #expect(failed.status == 79, "\(fault): \(failed.stderr)")
        #expect(failed.stderr.contains("is unavailable") && failed.stderr.contains("hint:"))
        let store = SnapshotStore(root: storePath)
        #expect(try store.committed("shop") == nil)
        #expect(try store.pending("shop")?.acknowledged == 0)

        let resumed = try syncToReceiver(config)
        #expect(resumed.status == 0, "\(fault): \(resumed.stderr)")
        #expect(resumed.stderr.contains("finished an interrupted delivery"))
        try expectReceiverEqualsCommitted(receiver)
        // In order, and duplicated only where the receiver had recorded the batch in flight.
        let bodies = try recordedBodies()
        var distinct: [String] = []
        for body in bodies where distinct.last != body { distinct.append(body) }
        #expect(Set(distinct).count == distinct.count)
        let recordedTwice = fault.hasPrefix("reset") || fault.hasPrefix("recorded-500")
        #expect(bodies.count == distinct.count + (recordedTwice ? 1 : 0), "\(fault)")
        #expect(receiver.statistics.duplicates == (recordedTwice ? 1 : 0))
    }

    // Mid-delivery: two bodies acknowledged, the third refused (503) or recorded and then
    // answered 500 (the acknowledgement lost, as a crash between send and record would).
    @Test(arguments: ["503@3", "recorded-500@3"])
    func aDeliveryStoppedMidwayIsFinishedIntoTheReceiver(fault: String) throws {
        let receiver = try startReceiver([fault])
        defer { receiver.stop() }
        let config = try writeConfig(sink: receiverSink(receiver.port!, maxEvents: 3, attempts: 1))
        #expect(try syncToReceiver(config).status == 79)
        #expect(try SnapshotStore(root: storePath).pending("shop")?.acknowledged == 2)
        #expect(try SnapshotStore(root: storePath).committed("shop") == nil)
        try psql("CREATE TABLE shop.meanwhile (id integer)", in: database)
        let resumed = try syncToReceiver(config)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        try expectReceiverEqualsCommitted(receiver)
        #expect(receiver.statistics.duplicates == (fault.hasPrefix("recorded") ? 1 : 0))
    }

    @Test func aDeliveryIsFinishedThroughAnotherURLToTheSameProject() throws {
        let receiver = try startReceiver(["503@2"])
        defer { receiver.stop() }
        let config = try writeConfig(sink: receiverSink(receiver.port!, maxEvents: 3, attempts: 1))
        #expect(try syncToReceiver(config).status == 79)
        #expect(try SnapshotStore(root: storePath).pending("shop")?.acknowledged == 1)
        // Another project is another catalog: refused, with what each way out costs.
        _ = try writeConfig(sink: receiverSink(receiver.port!, maxEvents: 3, attempts: 1, project: "p2"))
        let refused = try syncToReceiver(config)
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(refused.stderr.contains("DataArts Studio project p1") && refused.stderr.contains("project p2"))
        #expect(refused.stderr.contains("--empty") && refused.stderr.contains("--baseline"))
        #expect(refused.stderr.contains("dropped and never sent"))
        // The same project through another URL (here `localhost` for 127.0.0.1): resumed.
        _ = try writeConfig(sink: receiverSink(receiver.port!, maxEvents: 3, attempts: 1, host: "localhost"))
        let resumed = try syncToReceiver(config)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("finished an interrupted delivery"))
        try expectReceiverEqualsCommitted(receiver)
        #expect(receiver.statistics.duplicates == 0)
    }

    @Test func twoSyncsAtOnceOneRunsTheOtherExits75() throws {
        // A slow receiver keeps the first sync inside its delivery.
        let receiver = try startReceiver(["delay:8000"])
        defer { receiver.stop() }
        let config = try writeConfig(sink: receiverSink(receiver.port!, requestTimeout: 60))
        let first = Process()
        first.executableURL = try CommandRunner.executable
        first.arguments = ["sync", "shop", "--config", config]
        first.environment = ProcessInfo.processInfo.environment.merging([
            "TEST_DB_PASSWORD": password, "TEST_SK": Self.sk,
        ]) { $1 }
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        for _ in 0..<600 where receiver.statistics.requests == 0 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(receiver.statistics.requests == 1)
        let second = try syncToReceiver(config)
        #expect(second.status == 75, "\(second.stderr)")
        #expect(second.stderr.contains("locked"))
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        try expectReceiverEqualsCommitted(receiver)
        #expect(receiver.statistics.requests == 1)
    }

    @Test func aWrongSKIsRefusedOnceAndNothingIsCommitted() throws {
        let receiver = try startReceiver()
        defer { receiver.stop() }
        let config = try writeConfig(sink: receiverSink(receiver.port!))
        let wrong = "wrong-sk-never-shown-0002"
        let refused = try syncToReceiver(config, sk: wrong)
        #expect(refused.status == 76, "\(refused.stderr)")
        #expect(refused.stderr.contains("HTTP 401 APIG.0301"))
        #expect(refused.stderr.contains("hint: check the AK/SK or the token, and this machine's clock"))
        #expect(receiver.statistics.requests == 1)
        #expect(receiver.catalog == nil)
        #expect(try SnapshotStore(root: storePath).committed("shop") == nil)
        // Fixed, the next run delivers it all.
        #expect(try syncToReceiver(config).status == 0)
        try expectReceiverEqualsCommitted(receiver)
    }

    @Test func anUnreachableEndpointIsRetriedThenReported() throws {
        let port = try unusedPort()
        let config = try writeConfig(sink: receiverSink(port, attempts: 3))
        let failed = try syncToReceiver(config)
        #expect(failed.status == 79, "\(failed.stderr)")
        #expect(failed.stderr.contains("DataArts Studio at http://127.0.0.1:\(port) is unavailable"))
        #expect(failed.stderr.contains("(3 attempts in"))
        #expect(failed.stderr.components(separatedBy: "retrying in").count == 3)
        #expect(try SnapshotStore(root: storePath).committed("shop") == nil)
    }

    @Test func tokensFromConfigAndFromIAM() throws {
        let token = "receiver-token-never-shown"
        let receiver = try startReceiver(
            auth: .token(token), iam: IAMEmulation(user: "sync", password: "iam-pw-never-shown", domain: "acme"))
        defer { receiver.stop() }
        let port = receiver.port!
        let byToken = try writeConfig(sink: receiverSink(port, auth: "{ token: ${TEST_SK} }"))
        let run = try syncToReceiver(byToken, sk: token)
        #expect(run.status == 0, "\(run.stderr)")
        try expectReceiverEqualsCommitted(receiver)

        try psql("ALTER TABLE shop.notes ADD COLUMN at date", in: database)
        let byIAM = try writeConfig(
            sink: receiverSink(
                port,
                auth: "{ user: sync, password: ${TEST_SK}, domain: acme, iam_endpoint: 'http://127.0.0.1:\(port)' }"
            ))
        let iamRun = try syncToReceiver(byIAM, sk: "iam-pw-never-shown")
        #expect(iamRun.status == 0, "\(iamRun.stderr)")
        try expectReceiverEqualsCommitted(receiver)

        try psql("ALTER TABLE shop.notes ADD COLUMN by text", in: database)
        let wrongIAM = try syncToReceiver(byIAM, sk: "not-the-iam-pw")
        #expect(wrongIAM.status == 76)
        #expect(wrongIAM.stderr.contains("IAM at http://127.0.0.1:\(port) refused the request: HTTP 401"))
    }

    @Test func checkSendsOneAuthenticatedRequest() throws {
        let receiver = try startReceiver()
        defer { receiver.stop() }
        let config = try writeConfig(sink: receiverSink(receiver.port!))
        let environment = ["TEST_DB_PASSWORD": password]
        let ok = try CommandRunner.run(
            ["check", "--config", config], environment: environment.merging(["TEST_SK": Self.sk]) { $1 })
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.contains("ok    sink: http://127.0.0.1:\(receiver.port!) answered HTTP 200"))
        let wrong = try CommandRunner.run(
            ["check", "--config", config], environment: environment.merging(["TEST_SK": "bad-sk"]) { $1 })
        #expect(wrong.status == 76)
        #expect(
            wrong.stdout.contains(
                "FAIL  sink: DataArts Studio at http://127.0.0.1:\(receiver.port!) refused the request: HTTP 401"))
    }

    @Test func proxiesFromTheEnvironmentAreUsedButNeverForLoopback() throws {
        let proxy = try ScriptedServer { _ in .answer(httpResponse(403, "no"), close: true) }
        defer { proxy.stop() }
        let proxyEnvironment = [
            "TEST_DB_PASSWORD": password, "TEST_SK": Self.sk, "http_proxy": "http://127.0.0.1:\(proxy.port)",
            "https_proxy": "http://127.0.0.1:\(proxy.port)", "no_proxy": "",
        ]
        // The local receiver is reached directly, whatever the environment says.
        let receiver = try startReceiver()
        defer { receiver.stop() }
        let local = try writeConfig(sink: receiverSink(receiver.port!))
        let direct = try CommandRunner.run(["check", "--config", local], environment: proxyEnvironment)
        #expect(direct.stdout.contains("ok    sink: http://127.0.0.1:\(receiver.port!) answered HTTP 200"))
        #expect(proxy.requests.isEmpty)

        // A remote endpoint goes through the proxy: only the proxy, on loopback, is contacted.
        let remote = try writeConfig(
            sink: "{ kind: dataarts, region: cn-north-4, project_id: p1, auth: { ak: \(Self.ak), sk: ${TEST_SK} }, "
                + "retry: { max_attempts: 1 } }")
        let proxied = try CommandRunner.run(["check", "--config", remote], environment: proxyEnvironment)
        #expect(proxied.status == 79, "\(proxied.stdout)")
        #expect(
            proxy.requests.first?.head.hasPrefix("CONNECT dayu.cn-north-4.myhuaweicloud.com:443 HTTP/1.1") == true)
    }

    @Test func retiringSendsTheTeardownToTheConfiguredSinkAndResumesWhereItStopped() throws {
        // The first sync takes requests 1-6; the teardown's second request (8) fails.
        let receiver = try startReceiver(["503@8"])
        defer { receiver.stop() }
        let config = try writeConfig(sink: receiverSink(receiver.port!, maxEvents: 3, attempts: 1))
        #expect(try syncToReceiver(config).status == 0)
        #expect(receiver.catalog != nil)
        let retire = ["snapshot", "reset", "shop", "--retire", "--yes", "--config", config]
        let environment = ["TEST_SK": Self.sk, "TEST_DB_PASSWORD": password]
        let failed = try CommandRunner.run(retire, environment: environment)
        #expect(failed.status == 79, "\(failed.stderr)")
        #expect(try SnapshotStore(root: storePath).committed("shop") != nil)
        // A sync meanwhile does not deliver over the half-done retirement, nor may a reset drop it.
        let blocked = try syncToReceiver(config)
        #expect(blocked.status == 64)
        #expect(blocked.stderr.contains("is being retired") && blocked.stderr.contains("--retire"))
        let reset = try CommandRunner.run(
            ["snapshot", "reset", "shop", "--empty", "--yes", "--store", storePath], environment: environment)
        #expect(reset.status == 64, "\(reset.stderr)")
        #expect(try SnapshotStore(root: storePath).pending("shop") != nil)

        let finished = try CommandRunner.run(retire, environment: environment)
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stderr.contains("finishing the interrupted retirement of shop"))
        #expect(receiver.catalogs.isEmpty)
        #expect(try SnapshotStore(root: storePath).committed("shop") == nil)
        #expect(try SnapshotStore(root: storePath).pending("shop") == nil)
        // Only what was not acknowledged was sent again: no body refused, none sent twice.
        #expect(receiver.statistics.refused == 1)
        #expect(receiver.statistics.duplicates == 0)
    }

    @Test func noSecretInAnyFileOrOutput() throws {
        // Request 1 is refused (a wrong SK); the next run stops at request 3.
        let receiver = try startReceiver(["503@3"])
        defer { receiver.stop() }
        let config = try writeConfig(sink: receiverSink(receiver.port!, maxEvents: 3, attempts: 1))
        var outputs: [CommandResult] = []
        outputs.append(try syncToReceiver(config, sk: "wrong-sk-never-shown-0003"))
        outputs.append(try syncToReceiver(config))
        outputs.append(try syncToReceiver(config))
        outputs.append(
            try CommandRunner.run(
                ["check", "--config", config], environment: ["TEST_DB_PASSWORD": password, "TEST_SK": Self.sk]))
        let secrets = [Self.sk, "wrong-sk-never-shown-0003", password]
        let leakingOutputs = outputs.filter { output in
            secrets.contains { output.stdout.contains($0) || output.stderr.contains($0) }
        }
        #expect(leakingOutputs.isEmpty, "\(leakingOutputs.count) outputs hold a secret")
        let files = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        #expect(files.contains { $0.hasSuffix("snapshot.json") })
        for file in files where file != "schemasync.yaml" {
            guard let data = FileManager.default.contents(atPath: folder + "/" + file) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            let leaked = secrets.contains { text.contains($0) }
            #expect(!leaked, "\(file) holds a secret")
        }
    }
}
