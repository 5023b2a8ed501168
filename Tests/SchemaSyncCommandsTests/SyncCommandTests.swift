import EventContract
import Foundation
import SchemaModel
import SchemaSyncCommands
import SnapshotStore
import Testing

/// `schemasync sync` end to end: real PostgreSQL, the NDJSON file sink, the store; after every
/// run, replaying everything the sink received rebuilds exactly the committed snapshot.
@Suite(.serialized) struct SyncCommandTests {
    let folder: String
    let database: String
    let server: String
    let password: String
    let admin: String

    init() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let server = environment["SCHEMASYNC_TEST_PG_SERVER"], let admin = environment["SCHEMASYNC_TEST_PG_ADMIN"]
        else {
            throw CommandError(description: "SCHEMASYNC_TEST_PG_SERVER is not set: run the tests with scripts/test.sh")
        }
        self.server = server
        self.admin = admin
        password = environment["SCHEMASYNC_TEST_PG_PASSWORD"] ?? ""
        folder = FileManager.default.temporaryDirectory.path + "/sync-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        database = "sync_\(UInt32.random(in: 0...UInt32.max))"
        try psql("CREATE DATABASE \(database)", in: "postgres")
        try psql(
            """
            CREATE SCHEMA shop;
            CREATE TABLE shop.customers (id integer PRIMARY KEY, email text NOT NULL UNIQUE);
            CREATE TABLE shop.orders (id integer PRIMARY KEY, customer integer REFERENCES shop.customers (id), total numeric(12,2));
            CREATE INDEX orders_customer ON shop.orders (customer);
            CREATE TABLE shop.items (id integer PRIMARY KEY, name text);
            CREATE TABLE shop.notes (id integer PRIMARY KEY, body text);
            """, in: database)
    }

    /// Runs SQL as the superuser.
    func psql(_ sql: String, in database: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "\(admin) dbname=\(database)", "-c", sql]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandError(description: "psql failed: \(sql)") }
    }

    var sinkPath: String { folder + "/events.ndjson" }
    var storePath: String { folder + "/snapshots" }

    /// A config with the file sink, or `sink` (YAML); the password travels in the URL, from the
    /// environment.
    func writeConfig(
        maxEvents: Int = 100, maxDropRatio: Double = 0.25, sink: String? = nil, instanceID: String = "4bac-test",
        sinkFile: String? = nil
    ) throws -> String {
        let path = folder + "/schemasync.yaml"
        let url = SyncSupport.url(server) + "/\(database)"
        try """
        snapshots: \(storePath)
        sink: \(sink ?? "{ kind: file, path: \(sinkFile ?? sinkPath), batch: { max_events: \(maxEvents) } }")
        sources:
          - name: shop
            url: \(url)
            include: ["shop.*"]
            engine: DWS
            instance_id: \(instanceID)
            max_drop_ratio: \(maxDropRatio)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func sync(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try SyncSupport.run(arguments, databasePassword: password, environment: environment)
    }

    /// Leaves an interrupted delivery of `shop` (nothing acknowledged): a sync into /dev/full,
    /// where every write fails.
    func interruptDelivery(maxEvents: Int = 3, instanceID: String = "4bac-test") throws {
        let config = try writeConfig(maxEvents: maxEvents, instanceID: instanceID, sinkFile: "/dev/full")
        let failed = try sync(["shop", "--config", config])
        #expect(failed.status == 74, "\(failed.stderr)")
        #expect(try SnapshotStore(root: storePath).pending("shop")?.acknowledged == 0)
    }

    /// Every request body the sink holds, in order; a body sent twice in a row (the one in
    /// flight at a crash) counted once, as a receiver that saw it twice would apply it once.
    func receivedBodies() throws -> [String] {
        guard FileManager.default.fileExists(atPath: sinkPath) else { return [] }
        var bodies: [String] = []
        for line in try String(contentsOfFile: sinkPath, encoding: .utf8).split(separator: "\n")
        where bodies.last != String(line) {
            bodies.append(String(line))
        }
        return bodies
    }

    /// Replaying every event received, from nothing, gives the committed snapshot.
    func expectReplayEqualsCommitted() throws {
        let events = try SyncSupport.events(inBodies: receivedBodies())
        let committed = try #require(try SnapshotStore(root: storePath).committed("shop"))
        #expect(try EventApplier.apply(events, to: nil) == committed.catalog)
        #expect(try SnapshotStore(root: storePath).pending("shop") == nil)
        let snapshotText = try String(contentsOfFile: storePath + "/shop/snapshot.json", encoding: .utf8)
        #expect(!snapshotText.contains(password))
        #expect(try !String(contentsOfFile: sinkPath, encoding: .utf8).contains(password))
    }

    @Test func firstSyncThenChangesThenNothing() throws {
        let config = try writeConfig()
        let first = try sync(["--all", "--config", config])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("shop:"))
        let bodies = try receivedBodies()
        #expect(bodies.count == 1)
        #expect(bodies[0].contains("\"CreateCatalogEvent\"") && bodies[0].contains("\"instance_id\":\"4bac-test\""))
        try expectReplayEqualsCommitted()

        try psql(
            "ALTER TABLE shop.orders ADD COLUMN note text; ALTER TABLE shop.items RENAME TO products", in: database)
        #expect(try sync(["shop", "--config", config]).status == 0)
        #expect(try receivedBodies().count == 2)
        #expect(
            try receivedBodies()[1].contains("\"AddColumnEvent\"")
                && receivedBodies()[1].contains("\"AlterTableEvent\""))
        try expectReplayEqualsCommitted()

        // Nothing changed: nothing sent, the store untouched.
        let before = try Data(contentsOf: URL(fileURLWithPath: storePath + "/shop/snapshot.json"))
        let quiet = try sync(["shop", "--config", config])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.contains("0 changes"))
        #expect(try receivedBodies().count == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: storePath + "/shop/snapshot.json")) == before)
    }

    @Test func aResetDiscardsAnInterruptedDeliveryAndARetireWaitsForIt() throws {
        try interruptDelivery()
        let config = try writeConfig(maxEvents: 3)
        let retire = try CommandRunner.run(
            ["snapshot", "reset", "shop", "--retire", "--output", "-", "--engine", "x", "--store", storePath])
        #expect(retire.status == 64)
        #expect(retire.stderr.contains("interrupted delivery"))
        let reset = try CommandRunner.run(["snapshot", "reset", "shop", "--empty", "--store", storePath])
        #expect(reset.status == 0)
        #expect(reset.stderr.contains("discarded an interrupted delivery of shop to the file /dev/full"))
        #expect(reset.stderr.contains("the next sync sends everything again"))
        #expect(try SnapshotStore(root: storePath).pending("shop") == nil)
        // The next sync sends everything again, from CreateCatalogEvent.
        #expect(try sync(["shop", "--config", config]).status == 0)
        #expect(try receivedBodies().first?.contains("\"CreateCatalogEvent\"") == true)
        try expectReplayEqualsCommitted()
    }

    @Test func anInterruptedDeliveryIsNotResumedElsewhere() throws {
        try interruptDelivery()
        let config = try writeConfig(maxEvents: 3, instanceID: "other", sinkFile: "/dev/full")
        let refused = try sync(["shop", "--config", config])
        #expect(refused.status == 64)
        #expect(
            refused.stderr.contains("interrupted delivery to the file /dev/full (engine DWS, instance_id 4bac-test)"))
        #expect(refused.stderr.contains("sends to the file /dev/full (engine DWS, instance_id other)"))
        #expect(refused.stderr.contains("--empty") && refused.stderr.contains("send the whole catalog again"))
        #expect(refused.stderr.contains("--baseline") && refused.stderr.contains("dropped and never sent"))
        #expect(try SnapshotStore(root: storePath).pending("shop") != nil)
    }

    @Test(arguments: ["target.json", "bodies.ndjson"])
    func aDamagedJournalExits65AndEmptyDiscardsIt(damage: String) throws {
        try interruptDelivery()
        let journal = storePath + "/shop/pending/"
        if damage == "target.json" {
            try FileManager.default.removeItem(atPath: journal + damage)
        } else {
            let bodies = try String(contentsOfFile: journal + damage, encoding: .utf8).split(separator: "\n")
            try (bodies.dropLast().joined(separator: "\n") + "\n").write(
                toFile: journal + damage, atomically: true, encoding: .utf8)
        }
        let config = try writeConfig(maxEvents: 3)
        let stopped = try sync(["shop", "--config", config])
        #expect(stopped.status == 65, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("damaged delivery journal") && stopped.stderr.contains(damage))
        #expect(stopped.stderr.contains("snapshot reset SOURCE --empty"))
        let baseline = try CommandRunner.run(
            ["snapshot", "reset", "shop", "--baseline", "--url", "postgresql://nowhere", "--store", storePath])
        #expect(baseline.status == 65)
        let reset = try CommandRunner.run(["snapshot", "reset", "shop", "--empty", "--store", storePath])
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stderr.contains("discarded the damaged journal"))
        #expect(try sync(["shop", "--config", config]).status == 0)
        try expectReplayEqualsCommitted()
    }

    @Test func aSecondRunOfTheSameSourceExits75() throws {
        let config = try writeConfig()
        let lock = try SnapshotStore(root: storePath).lock("shop")
        let result = try sync(["shop", "--config", config])
        withExtendedLifetime(lock) {}
        #expect(result.status == 75)
        #expect(result.stderr.contains("locked"))
        #expect(try receivedBodies().isEmpty)
    }

    @Test func theDropGuardStopsBeforeSending() throws {
        let config = try writeConfig()
        #expect(try sync(["shop", "--config", config]).status == 0)
        try psql("DROP TABLE shop.items, shop.notes", in: database)
        let stopped = try sync(["shop", "--config", config])
        #expect(stopped.status == 77)
        #expect(stopped.stderr.contains("would drop 2 of 4 tables"))
        #expect(try receivedBodies().count == 1)
        let allowed = try sync(["shop", "--config", config, "--allow-drops"])
        #expect(allowed.status == 0)
        try expectReplayEqualsCommitted()
    }

    @Test func baselineRecordsWithoutSending() throws {
        let config = try writeConfig()
        #expect(try sync(["--all", "--config", config, "--baseline"]).status == 0)
        #expect(try receivedBodies().isEmpty)
        #expect(try SnapshotStore(root: storePath).committed("shop") != nil)
        try psql("ALTER TABLE shop.notes ADD COLUMN at date", in: database)
        #expect(try sync(["--all", "--config", config]).status == 0)
        let bodies = try receivedBodies()
        #expect(
            bodies.count == 1 && bodies[0].contains("\"AddColumnEvent\"") && !bodies[0].contains("CreateCatalogEvent"))
    }

    @Test func jsonLogsForCron() throws {
        let config = try writeConfig()
        let result = try sync(["--all", "--config", config, "--log-format", "json"])
        #expect(result.status == 0)
        let line = try JSONValue.parse(Data(result.stderr.utf8))
        #expect(
            line["level"]?.string == "info" && line["source"]?.string == "shop" && line["message"]?.string == "synced")
        #expect((line["events"]?.int ?? 0) > 0 && line["requests"]?.int == 1 && line["time"]?.string != nil)
        let lock = try SnapshotStore(root: storePath).lock("shop")
        let locked = try sync(["--all", "--config", config, "--log-format", "json"])
        withExtendedLifetime(lock) {}
        let error = try JSONValue.parse(Data(locked.stderr.utf8))
        #expect(error["level"]?.string == "error" && error["exitCode"]?.int == 75)
        #expect(try sync(["--all", "--config", config, "--log-format", "xml"]).status == 64)
    }

    @Test func configMistakesExit64() throws {
        let config = try writeConfig()
        #expect(try sync(["nosuch", "--config", config]).status == 64)
        #expect(try sync(["shop", "--all", "--config", config]).status == 64)
        #expect(try sync(["--all", "--config", folder + "/missing.yaml"]).status == 64)
        try "sink: {kind: file}\nsources: [{name: a, url: u, engine: x}]\n".write(
            toFile: folder + "/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try sync(["--all", "--config", folder + "/bad.yaml"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("bad.yaml:1: sink.path"))
    }
}

extension SyncCommandTests {
    @Test func checkReportsEachPart() throws {
        let config = try writeConfig()
        let result = try CommandRunner.run(["check", "--config", config], environment: ["TEST_DB_PASSWORD": password])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("ok    source shop: postgresql 15"))
        #expect(result.stdout.contains("ok    sink: file"))
        #expect(!result.stdout.contains(password))
        let failing = try CommandRunner.run(
            ["check", "--config", config], environment: ["TEST_DB_PASSWORD": "wrong-pw-x"])
        #expect(failing.status == 69)
        #expect(failing.stdout.contains("FAIL  source shop:") && failing.stdout.contains("authentication failed"))
        #expect(!failing.stdout.contains("wrong-pw-x"))
    }
}

extension SyncCommandTests {
    @Test func metricsFileCountsAcrossRuns() throws {
        let config = try writeConfig()
        let metrics = folder + "/schemasync.prom"
        #expect(try sync(["--all", "--config", config, "--metrics-file", metrics]).status == 0)
        try psql("ALTER TABLE shop.notes ADD COLUMN at date", in: database)
        #expect(try sync(["--all", "--config", config, "--metrics-file", metrics]).status == 0)
        let lock = try SnapshotStore(root: storePath).lock("shop")
        #expect(try sync(["--all", "--config", config, "--metrics-file", metrics]).status == 75)
        withExtendedLifetime(lock) {}
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        let events = try receivedBodies().reduce(0) { total, body in
            total + (try JSONValue.parse(Data(body.utf8))["events"]?.array?.count ?? 0)
        }
        #expect(text.contains("schemasync_events_sent_total{source=\"shop\"} \(events)"))
        #expect(text.contains("schemasync_failures_total{source=\"shop\"} 1"))
        #expect(text.contains("# TYPE schemasync_last_success_timestamp_seconds gauge"))
        #expect(text.contains("schemasync_last_success_timestamp_seconds{source=\"shop\"} "))
    }
}

extension SyncCommandTests {
    @Test func progressOnATerminal() throws {
        let config = try writeConfig(maxEvents: 4)
        setenv("TEST_DB_PASSWORD", password, 1)
        let result = try SnapshotResetConfirmationTests.onTerminal(["sync", "--all", "--config", config], answer: "")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("shop: sent 1 of "))
        #expect(result.output.contains(" requests\r\n") || result.output.contains(" requests\n"))
        #expect(!result.output.contains(password))
    }
}

extension SyncCommandTests {
    /// A config of `count` sources (`s0`, `s1`, …) reading the same database, one event per
    /// request, into `sink` (YAML), with its store at `store`.
    func writeManySources(_ count: Int, sink: String, store: String, file: String) throws -> String {
        // Enough tables for a few hundred requests, one event each.
        let tables = (0..<40).map { "CREATE TABLE shop.extra_\($0) (id integer PRIMARY KEY, note text);" }
        try psql(
            "DO $$ BEGIN IF to_regclass('shop.extra_0') IS NULL THEN \(tables.joined(separator: " ")) END IF; END $$",
            in: database)
        let url = SyncSupport.url(server) + "/\(database)"
        let sources = (0..<count).map { index in
            """
              - name: s\(index)
                url: \(url)
                include: ["shop.*"]
                engine: DWS
                instance_id: 4bac-test
            """
        }
        let path = folder + "/" + file
        try "snapshots: \(store)\nsink: \(sink)\nsources:\n\(sources.joined(separator: "\n"))\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The requests the runs reported sending (`… events in N requests`).
    static func requestsReported(_ outputs: [CommandResult]) -> Int {
        outputs.flatMap { $0.stderr.split(separator: "\n") }.reduce(0) { total, line in
            guard let range = line.range(of: #"events in (\d+) request"#, options: .regularExpression) else {
                return total
            }
            return total + Int(line[range].split(separator: " ")[2])!
        }
    }

    /// Every line of the sink file is one whole request body.
    func expectWholeBodies(_ expected: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let lines = try String(contentsOfFile: sinkPath, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "", "the file ends with a whole line", sourceLocation: sourceLocation)
        let bodies = lines.dropLast()
        #expect(bodies.count == expected, sourceLocation: sourceLocation)
        let torn = bodies.filter { (try? JSONValue.parse(Data($0.utf8))["events"]?.array) == nil }
        #expect(torn.isEmpty, "\(torn.count) torn lines", sourceLocation: sourceLocation)
    }

    @Test func aBareSyncSyncsEverySource() throws {
        let config = try writeManySources(
            2, sink: "{ kind: file, path: \(sinkPath) }", store: storePath, file: "two.yaml")
        let bare = try sync(["--config", config])
        #expect(bare.status == 0, "\(bare.stderr)")
        #expect(bare.stderr.contains("s0: ") && bare.stderr.contains("s1: "))
        #expect(try SnapshotStore(root: storePath).committed("s0") != nil)
        #expect(try SnapshotStore(root: storePath).committed("s1") != nil)
        // --all is still an accepted spelling.
        let all = try sync(["--all", "--config", config])
        #expect(all.status == 0 && all.stderr.contains("s0: 0 changes") && all.stderr.contains("s1: 0 changes"))
    }

    @Test func fourJobsIntoOneFileLoseNothing() throws {
        let config = try writeManySources(
            4, sink: "{ kind: file, path: \(sinkPath), batch: { max_events: 1 } }", store: storePath, file: "four.yaml")
        let run = try sync(["--jobs", "4", "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        let reported = Self.requestsReported([run])
        #expect(reported > 200)
        try expectWholeBodies(reported)
    }

    @Test func fourProcessesIntoOneFileLoseNothing() throws {
        let configs = try (0..<4).map { index in
            try writeManySources(
                1, sink: "{ kind: file, path: \(sinkPath), batch: { max_events: 1 } }",
                store: storePath + "-\(index)", file: "process-\(index).yaml")
        }
        nonisolated(unsafe) var outputs: [CommandResult?] = Array(repeating: nil, count: 4)
        let password = self.password
        // Four threads of their own (concurrentPerform would run only as many as there are
        // cores), so the four processes run at once.
        let group = DispatchGroup()
        for index in 0..<4 {
            group.enter()
            Thread.detachNewThread {
                outputs[index] = try? SyncSupport.run(["--config", configs[index]], databasePassword: password)
                group.leave()
            }
        }
        group.wait()
        let results = outputs.compactMap { $0 }
        #expect(results.count == 4 && results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let reported = Self.requestsReported(results)
        #expect(reported > 200)
        try expectWholeBodies(reported)
    }

    @Test func theRootHelpListsEveryExitCode() throws {
        let help = try CommandRunner.run(["--help"])
        #expect(help.status == 0)
        let text = help.stdout.replacingOccurrences(of: "\n", with: " ").split(separator: " ").joined(separator: " ")
        for (code, meaning) in ExitStatus.documented {
            #expect(text.contains("\(code) \(meaning)"), "exit code \(code) is not in --help")
        }
        #expect(ExitStatus.documented.map(\.code).contains(76) && ExitStatus.documented.map(\.code).contains(79))
    }
}
