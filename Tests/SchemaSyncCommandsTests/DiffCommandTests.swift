import ChangeReport
import EventContract
import Foundation
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import SnapshotStore
import Testing

/// `schemasync diff` through the executable.
@Suite struct DiffCommandTests {
    let folder: String
    let before: String
    let after: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.path + "/diff-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func snapshot(_ columns: [Column]) -> Snapshot {
            Snapshot(
                toolVersion: "test", capturedAt: "2025-11-25T02:30:00.123Z", scope: CaptureScope(),
                catalog: Catalog(
                    name: "shop", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/shop",
                    databases: [
                        Database(
                            name: "shop",
                            schemas: [
                                Schema(
                                    name: "public",
                                    relations: [Relation(name: "t", kind: .table, objectId: 1, columns: columns)])
                            ])
                    ]))
        }
        before = folder + "/before.json"
        after = folder + "/after.json"
        try AtomicFile.write(
            try SnapshotCoder.encode(snapshot([Column(name: "a", position: 1, objectId: 1, type: "integer")])),
            to: before)
        try AtomicFile.write(
            try SnapshotCoder.encode(
                snapshot([
                    Column(name: "a", position: 1, objectId: 1, type: "integer"),
                    Column(name: "b", position: 2, objectId: 2, type: "text"),
                ])),
            to: after)
    }

    @Test func twoSnapshotFiles() throws {
        let result = try CommandRunner.run(["diff", "--from", before, "--to", after])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "database shop › schema public\n  table t\n      + column b\n1 change: 1 created\n")
    }

    @Test func exitCodes() throws {
        #expect(try CommandRunner.run(["diff", "--from", before, "--to", before, "--exit-code"]).status == 0)
        #expect(try CommandRunner.run(["diff", "--from", before, "--to", after, "--exit-code"]).status == 1)
        let missing = try CommandRunner.run(["diff", "--from", folder + "/nope.json", "--to", after, "--exit-code"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.json"))
        #expect(try CommandRunner.run(["diff", "--from", folder + "/nope.json", "--to", after]).status == 66)
        #expect(try CommandRunner.run(["diff", "--to", after, "--format", "yaml"]).status == 64)
    }

    @Test func markdownAndJSON() throws {
        let markdown = try CommandRunner.run(["diff", "--from", before, "--to", after, "--format", "markdown"])
        #expect(markdown.stdout.contains("| + | column `b` | shop.public.t |"))
        let json = try CommandRunner.run(["diff", "--from", after, "--to", before, "--format", "json"])
        let records = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(records.count == 1)
        #expect(records[0]["action"] as? String == "drop")
        #expect(records[0]["destructive"] as? Bool == true)
    }

    /// A report of thousands of changes, written to stdout in chunks as it is made: whole,
    /// in order, one record per change.
    @Test func aLargeJSONReportIsStreamedWhole() throws {
        var generator = CatalogGenerator(seed: 7)
        var catalog = Catalog(name: "big", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/big")
        for n in 0..<150 {
            for var database in generator.catalog().databases {
                database.name = "g\(n)_" + database.name
                catalog.databases.append(database)
            }
        }
        catalog = catalog.canonicalized()
        let path = folder + "/big.json"
        try AtomicFile.write(
            try SnapshotCoder.encode(
                Snapshot(
                    toolVersion: "test", capturedAt: "2025-11-25T02:30:00.123Z", scope: CaptureScope(), catalog: catalog
                )),
            to: path)
        let changes = SchemaDiffer.diff(from: nil, to: catalog)
        let json = try CommandRunner.run(["diff", "--to", path, "--format", "json"], timeout: 300)
        #expect(json.status == 0)
        #expect(json.stdout.utf8.count > 200_000)
        #expect(json.stdout.hasPrefix("[\n  {\n") && json.stdout.hasSuffix("\n  }\n]\n"))
        let records = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(records.count == changes.count)
        #expect(records.allSatisfy { $0["action"] as? String == "create" })
        #expect(records.last?["newName"] as? String == ChangeRecord(changes.last!).newName)
    }

    @Test func eventsFormatIsTheArrayASyncWouldSend() throws {
        let result = try CommandRunner.run(["diff", "--from", before, "--to", after, "--format", "events"])
        #expect(result.status == 0, "\(result.stderr)")
        let events = try #require(try JSONValue.parse(Data(result.stdout.utf8)).array)
        #expect(events.count == 1)
        #expect(events[0]["event_type"]?.string == "AddColumnEvent")
        #expect(events[0]["event_ts"]?.int == 1_764_037_800_123)
        #expect(events[0]["event_message"]?["columns"]?.array?.first?["name"]?.string == "b")
        #expect(events[0]["event_message"]?["table"]?["schemaName"]?.string == "public")
        let first = try CommandRunner.run(["diff", "--to", before, "--format", "events"])
        let all = try #require(try JSONValue.parse(Data(first.stdout.utf8)).array)
        #expect(all.first?["event_type"]?.string == "CreateCatalogEvent")
        #expect(
            try CommandRunner.run(["diff", "--from", before, "--to", before, "--format", "events"]).stdout == "[]\n")
    }

    @Test func aLiveDatabaseAgainstItsSnapshot() throws {
        guard let server = ProcessInfo.processInfo.environment["SCHEMASYNC_TEST_PG_SERVER"] else {
            throw CommandError(description: "SCHEMASYNC_TEST_PG_SERVER is not set: run the tests with scripts/test.sh")
        }
        let environment = ["PGPASSWORD": ProcessInfo.processInfo.environment["SCHEMASYNC_TEST_PG_PASSWORD"] ?? ""]
        let url = server + "/postgres"
        let snapshot = folder + "/live.json"
        let inspect = try CommandRunner.run(
            ["inspect", url, "--include", "public.*", "--output", snapshot], environment: environment)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        // The snapshot's own scope is used: nothing outside public is reported.
        let result = try CommandRunner.run(
            ["diff", "--from", snapshot, "--to", url, "--exit-code"], environment: environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout == "No changes.\n")
    }
}
