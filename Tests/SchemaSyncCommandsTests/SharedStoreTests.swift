import Foundation
import LocalReceiver
import PostgresCapture
import PostgresStore
import SchemaModel
import SnapshotStore
import Testing

/// Several `schemasync sync` processes sharing one PostgreSQL store (docs/store.md): each
/// source synced once per round by one runner, nothing lost when a runner is killed.
@Suite(.serialized) struct SharedStoreTests {
    let base: SyncCommandTests
    let schema = "r_" + UUID().uuidString.prefix(8).lowercased()

    init() throws {
        base = try SyncCommandTests()
        // The store's database; another test may have made it already.
        try? base.psql("CREATE DATABASE schemasync_store", in: "postgres")
    }

    var storeConninfo: String { base.admin + " dbname=schemasync_store" }

    func store() throws -> PostgresSnapshotStore {
        try PostgresSnapshotStore(connection: storeConninfo, schema: schema)
    }

    func dropSchema() {
        // `try?`: a test that failed before the schema existed has nothing to drop.
        try? base.psql("DROP SCHEMA IF EXISTS \(schema) CASCADE", in: "schemasync_store")
    }

    /// A config of `count` sources (`s01`…), all reading the test database, into `sink`.
    func writeConfig(sources count: Int, sink: String) throws -> String {
        let path = base.folder + "/shared.yaml"
        var text = """
            snapshots: '\(storeConninfo)'
            snapshots_schema: \(schema)
            sink: \(sink)
            sources:

            """
        for index in 1...count {
            text += """
                  - name: \(Self.name(index))
                    url: \(SyncSupport.url(base.server) + "/\(base.database)")
                    include: ["shop.*"]
                    engine: DWS
                    instance_id: i-\(index)

                """
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func name(_ index: Int) -> String { index < 10 ? "s0\(index)" : "s\(index)" }

    /// Starts `schemasync arguments…` with its standard error in a file.
    func start(_ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = try CommandRunner.executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging([
            "TEST_DB_PASSWORD": base.password, "TEST_SK": SyncCommandTests.sk,
        ]) { $1 }
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits up to `seconds` for the processes to end.
    func wait(_ processes: [Process], seconds: Double) throws {
        for _ in 0..<Int(seconds * 20) where processes.contains(where: \.isRunning) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            throw CommandError(description: "a runner did not finish in \(Int(seconds)) s")
        }
    }

    /// The JSON lines a runner logged.
    func logLines(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
    }

    /// One round: three runners with `--jobs 2`; `killFirstAfter` requests the first is
    /// killed. Returns each runner's exit status and the sources each synced.
    func round(_ config: String, receiver: Receiver, number: Int, killFirstAfter: Int? = nil) throws
        -> [(status: Int32, synced: [String], lines: [[String: Any]])]
    {
        let logs = (0..<3).map { base.folder + "/round\(number)-runner\($0).log" }
        let runners = try logs.map { log in
            try start(["sync", "--jobs", "2", "--config", config, "--log-format", "json"], log: log)
        }
        defer {
            for runner in runners where runner.isRunning { kill(runner.processIdentifier, SIGKILL) }
        }
        if let killFirstAfter {
            let before = receiver.statistics.requests
            for _ in 0..<1200 where receiver.statistics.requests < before + killFirstAfter && runners[0].isRunning {
                Thread.sleep(forTimeInterval: 0.05)
            }
            #expect(runners[0].isRunning, "the first runner finished before it could be killed")
            kill(runners[0].processIdentifier, SIGKILL)
        }
        try wait(runners, seconds: 240)
        return try zip(runners, logs).map { runner, log in
            let lines = try logLines(log)
            let synced = lines.filter { $0["message"] as? String == "synced" }.compactMap { $0["source"] as? String }
            return (runner.terminationStatus, synced, lines)
        }
    }

    @Test func threeRunnersShareTwentyFourSourcesAndSurviveOneKilledMidDelivery() throws {
        defer { dropSchema() }
        let receiver = try base.startReceiver(["delay:15"])
        defer { receiver.stop() }
        let config = try writeConfig(sources: 24, sink: base.receiverSink(receiver.port!, maxEvents: 1))
        let names = (1...24).map(Self.name)

        // Round 1: every source's first delivery; one runner killed in the middle of it.
        let first = try round(config, receiver: receiver, number: 1, killFirstAfter: 40)
        for runner in first.dropFirst() {
            #expect(runner.status == 0, "\(runner.lines)")
        }
        let firstSynced = first.flatMap(\.synced)
        #expect(Set(firstSynced).count == firstSynced.count, "a source synced twice in round 1: \(firstSynced)")

        // Round 2: a change for every source; nobody killed.
        try base.psql("CREATE TABLE shop.extra (id integer PRIMARY KEY)", in: base.database)
        let second = try round(config, receiver: receiver, number: 2)
        for runner in second {
            #expect(runner.status == 0, "\(runner.lines)")
        }
        let secondSynced = second.flatMap(\.synced).sorted()
        #expect(secondSynced == names, "every source once in round 2: \(secondSynced)")
        let skipped = second.flatMap(\.lines).filter { $0["message"] as? String == "skipped" }.count
        #expect(skipped + secondSynced.count == names.count * 3)

        // Every receiver catalog is its source's committed snapshot; nothing is pending.
        let store = try store()
        let received = Dictionary(uniqueKeysWithValues: receiver.catalogs.map { ($0.name, $0) })
        for name in names {
            #expect(try store.pending(name) == nil, "\(name) still pending")
            let committed = try #require(try store.committed(name), "\(name) has no snapshot")
            #expect(received[name] == committed.catalog, "\(name): the receiver differs from the committed snapshot")
            #expect(committed.catalog.databases.first?.schemas.first?.relations.contains { $0.name == "extra" } == true)
        }
        // The store's history: one delivery per source per round (the killed runner's finished
        // by another, still one).
        let history = try PGConnection(
            connection: storeConninfo, defaults: [], overrides: [], target: "test store"
        ).execute(
            "SELECT source, count(*) FROM \(schema).deliveries GROUP BY source ORDER BY source", context: "test")
        let deliveries = (0..<history.rowCount).map { "\(history.string($0, 0) ?? ""):\(history.int($0, 1) ?? 0)" }
        #expect(deliveries == names.map { "\($0):2" })
        // The killed runner's interrupted deliveries were finished by the others (in round 1,
        // once its locks were gone, or in round 2).
        let resumed = (first + second).flatMap(\.lines).compactMap { $0["resumedRequests"] as? Int }.reduce(0, +)
        #expect(resumed > 0, "no interrupted delivery was finished: the kill did not land mid-delivery")
        try expectOneSenderAtATimePerCatalog()
        // Only a body in flight when the runner was killed may have arrived twice.
        #expect(receiver.statistics.duplicates <= 2)
        #expect(receiver.statistics.refused == 0)
    }

    /// A source another runner holds is tried again at the end of the round, then skipped with
    /// exit 0; unsynced for more than an hour, with a warning that its holder may hang.
    @Test func aSourceHeldTooLongIsSkippedWithAWarning() throws {
        defer { dropSchema() }
        let config = try writeConfig(sources: 1, sink: "{ kind: file, path: \(base.folder)/held.ndjson }")
        let holder = try store()
        let lock = try holder.lock(Self.name(1))
        try base.psql(
            "UPDATE \(schema).sources SET last_synced_at = now() - interval '2 hours'", in: "schemasync_store")
        let log = base.folder + "/held.log"
        let runner = try start(["sync", "--config", config, "--log-format", "json"], log: log)
        try wait([runner], seconds: 120)
        withExtendedLifetime(lock) {}
        #expect(runner.terminationStatus == 0)
        let lines = try logLines(log)
        #expect(lines.filter { $0["message"] as? String == "skipped" }.count == 1, "\(lines)")
        let warning = lines.first { $0["level"] as? String == "warning" }?["message"] as? String
        #expect(warning?.contains("its holder may hang") == true, "\(lines)")
    }

    @Test func copyRoundTripsByteForByteAndRefusesAPendingDelivery() throws {
        defer { dropSchema() }
        let config = try base.writeConfig()
        let synced = try base.sync(["shop", "--config", config])
        #expect(synced.status == 0, "\(synced.stderr)")
        let original = try Data(contentsOf: URL(fileURLWithPath: base.storePath + "/shop/snapshot.json"))
        let toDatabase = try CommandRunner.run([
            "store", "copy", "--from", base.storePath, "--to", storeConninfo, "--store-schema", schema,
        ])
        #expect(toDatabase.status == 0, "\(toDatabase.stderr)")
        #expect(toDatabase.stderr.contains("copied 1 snapshot"))
        let back = base.folder + "/back"
        let toFolder = try CommandRunner.run([
            "store", "copy", "--from", storeConninfo, "--store-schema", schema, "--to", back,
        ])
        #expect(toFolder.status == 0, "\(toFolder.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: back + "/shop/snapshot.json")) == original)
        // Again: the target has it already.
        let again = try CommandRunner.run([
            "store", "copy", "--from", base.storePath, "--to", storeConninfo, "--store-schema", schema,
        ])
        #expect(again.status == 64 && again.stderr.contains("--overwrite"), "\(again.stderr)")
        // A pending delivery in the source store is refused.
        let store = try store()
        try store.beginDelivery(
            snapshot: try #require(try store.committed("shop")), bodies: [Data("{}".utf8)],
            destination: DeliveryDestination(
                source: "shop", sinkKind: "file", sinkCatalog: "/x", engine: "DWS", instanceID: nil, projectID: nil),
            sentTo: "file:/x", for: "shop")
        let refused = try CommandRunner.run([
            "store", "copy", "--from", storeConninfo, "--store-schema", schema, "--to", back, "--overwrite",
        ])
        #expect(refused.status == 64 && refused.stderr.contains("pending delivery"), "\(refused.stderr)")
    }

    @Test func storeInitPrintsItsSQLCreatesAndRefusesANewerVersion() throws {
        defer { dropSchema() }
        let printed = try CommandRunner.run(["store", "init", "--print-sql", "--store-schema", schema])
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("CREATE TABLE IF NOT EXISTS \"\(schema)\".pending_bodies"))
        let created = try CommandRunner.run(["store", "init", "--store", storeConninfo, "--store-schema", schema])
        #expect(created.status == 0 && created.stderr.contains("was created"), "\(created.stderr)")
        let again = try CommandRunner.run(["store", "init", "--store", storeConninfo, "--store-schema", schema])
        #expect(again.stderr.contains("is up to date"), "\(again.stderr)")
        try base.psql("INSERT INTO \(schema).store_version VALUES (99, 'later')", in: "schemasync_store")
        let listed = try CommandRunner.run(["snapshot", "list", "--store", storeConninfo, "--store-schema", schema])
        #expect(listed.status == 65 && listed.stderr.contains("version 99"), "\(listed.stderr)")
    }

    /// One source, `shop`, on the PostgreSQL store.
    func writeShopConfig(sink: String) throws -> String {
        let path = base.folder + "/shop-pg.yaml"
        try """
        snapshots: '\(storeConninfo)'
        snapshots_schema: \(schema)
        sink: \(sink)
        sources:
          - name: shop
            url: \(SyncSupport.url(base.server) + "/\(base.database)")
            include: ["shop.*"]
            engine: DWS
            instance_id: i-1
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A sync killed (SIGKILL) while a request is in flight: its lock dies with it, and the
    /// next run finishes the delivery from the first unacknowledged request.
    @Test func aSyncKilledMidDeliveryIsFinishedByTheNextRun() throws {
        defer { dropSchema() }
        let receiver = try base.startReceiver(["delay:300"])
        defer { receiver.stop() }
        let config = try writeShopConfig(sink: base.receiverSink(receiver.port!, maxEvents: 1, requestTimeout: 30))
        let runner = try start(["sync", "shop", "--config", config], log: base.folder + "/killed.log")
        defer { if runner.isRunning { kill(runner.processIdentifier, SIGKILL) } }
        for _ in 0..<600 where receiver.statistics.requests < 3 { Thread.sleep(forTimeInterval: 0.05) }
        kill(runner.processIdentifier, SIGKILL)
        try wait([runner], seconds: 30)
        let store = try store()
        let pending = try #require(try store.pending("shop"))
        #expect(pending.acknowledged >= 1 && pending.acknowledged < pending.bodies.count)
        let next = try base.sync(["shop", "--config", config], environment: ["TEST_SK": SyncCommandTests.sk])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("finished an interrupted delivery"), "\(next.stderr)")
        #expect(try store.pending("shop") == nil)
        #expect(receiver.catalog == (try store.committed("shop"))?.catalog)
        #expect(receiver.statistics.duplicates <= 1)
    }

    /// The drop guard, `reset --empty`, `reset --baseline` and `reset --retire` on the
    /// PostgreSQL store, through the commands.
    @Test func theDropGuardAndTheResetsOnAPostgreSQLStore() throws {
        defer { dropSchema() }
        let receiver = try base.startReceiver()
        defer { receiver.stop() }
        let config = try writeShopConfig(sink: base.receiverSink(receiver.port!))
        let environment = ["TEST_SK": SyncCommandTests.sk]
        #expect(try base.sync(["shop", "--config", config], environment: environment).status == 0)
        let store = try store()
        let before = try #require(try store.committed("shop"))
        try base.psql("DROP TABLE shop.items, shop.notes", in: base.database)
        let stopped = try base.sync(["shop", "--config", config], environment: environment)
        #expect(stopped.status == 77, "\(stopped.stderr)")
        #expect(try store.committed("shop") == before && store.pending("shop") == nil)
        let storeFlags = ["--store", storeConninfo, "--store-schema", schema]
        let baseline = try CommandRunner.run(
            ["snapshot", "reset", "shop", "--baseline", "--url", base.server + "/\(base.database)", "--yes"]
                + storeFlags,
            environment: ["PGPASSWORD": base.password])
        #expect(baseline.status == 0, "\(baseline.stderr)")
        #expect(try store.committed("shop")?.catalog.databases.first?.schemas.first?.relations.count == 2)
        let retired = try CommandRunner.run(
            ["snapshot", "reset", "shop", "--retire", "--config", config, "--yes"],
            environment: environment.merging(["TEST_DB_PASSWORD": base.password]) { $1 })
        #expect(retired.status == 0, "\(retired.stderr)")
        #expect(try store.committed("shop") == nil)
        #expect(try store.pending("shop") == nil)
        let emptied = try CommandRunner.run(["snapshot", "reset", "shop", "--empty", "--yes"] + storeFlags)
        #expect(emptied.status == 0, "\(emptied.stderr)")
        let listed = try CommandRunner.run(["snapshot", "list"] + storeFlags)
        #expect(listed.status == 0 && listed.stdout.contains("shop") && listed.stdout.contains("(no snapshot)"))
    }

    /// A store URL's password is never printed, whatever fails.
    @Test func aStorePasswordIsNeverPrinted() throws {
        let secret = "St0re-Secret-9"
        let unreachable = "postgresql://schemasync:\(secret)@127.0.0.1:1/ops"
        let listed = try CommandRunner.run(["snapshot", "list", "--store", unreachable])
        #expect(listed.status == 74, "\(listed.stderr)")
        #expect(listed.stderr.contains("postgresql://schemasync@127.0.0.1:1/ops"))
        #expect(listed.stderr.contains("the store's server is reachable"))
        #expect(!listed.stderr.contains(secret) && !listed.stdout.contains(secret))
        let initialized = try CommandRunner.run(["store", "init", "--store", unreachable])
        #expect(initialized.status != 0)
        #expect(!initialized.stderr.contains(secret) && !initialized.stdout.contains(secret))
    }

    /// The store's password by libpq's conventions: here `PGPASSWORD`, for a URL without one.
    @Test func theStorePasswordComesFromPGPASSWORD() throws {
        defer { dropSchema() }
        try base.psql("GRANT CREATE ON DATABASE schemasync_store TO schemasync", in: "postgres")
        let url = base.server + "/schemasync_store"
        let initialized = try CommandRunner.run(
            ["store", "init", "--store", url, "--store-schema", schema], environment: ["PGPASSWORD": base.password])
        #expect(initialized.status == 0 && initialized.stderr.contains("was created"), "\(initialized.stderr)")
        let wrong = "not-the-Password-7"
        let refused = try CommandRunner.run(
            ["snapshot", "list", "--store", url, "--store-schema", schema], environment: ["PGPASSWORD": wrong])
        #expect(refused.status == 74, "\(refused.stderr)")
        #expect(refused.stderr.contains("authentication failed"), "\(refused.stderr)")
        #expect(!refused.stderr.contains(wrong) && !refused.stderr.contains(base.password))
    }

    /// From the receiver's record file (every body it accepted, in order): per catalog (the
    /// envelope's `instance_id`, one per source), the bodies of each run (its `event_ts`, the
    /// run's capture time) arrive in one block: had two runners sent one catalog at once,
    /// their bodies would interleave. A body repeated is only the one before it (in flight).
    /// What it cannot see: two runners sending the same pending delivery (one `event_ts`) at
    /// the same moment, as a stale runner retrying beside the one that resumed it; the
    /// receiver does not count the requests in flight per catalog. That case is covered by
    /// PostgresStoreTests (the lock is checked before every attempt, retries included).
    func expectOneSenderAtATimePerCatalog(sourceLocation: SourceLocation = #_sourceLocation) throws {
        var perCatalog: [String: [(ts: Int, body: String)]] = [:]
        for line in try base.recordedBodies() {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                sourceLocation: sourceLocation)
            let events = try #require(object["events"] as? [[String: Any]], sourceLocation: sourceLocation)
            let catalog = try #require(object["instance_id"] as? String, sourceLocation: sourceLocation)
            perCatalog[catalog, default: []].append(((events.first?["event_ts"] as? Int) ?? 0, line))
        }
        #expect(perCatalog.count == 24, sourceLocation: sourceLocation)
        for (catalog, bodies) in perCatalog {
            var finished: Set<Int> = []
            var seen: Set<String> = []
            for (index, body) in bodies.enumerated() {
                if index > 0, bodies[index - 1].ts != body.ts { finished.insert(bodies[index - 1].ts) }
                #expect(
                    !finished.contains(body.ts), "\(catalog): two runs' bodies interleave",
                    sourceLocation: sourceLocation)
                let repeated = index > 0 && bodies[index - 1].body == body.body
                #expect(
                    repeated || seen.insert(body.body).inserted, "\(catalog): a body arrived twice, not in a row",
                    sourceLocation: sourceLocation)
            }
        }
    }
}
