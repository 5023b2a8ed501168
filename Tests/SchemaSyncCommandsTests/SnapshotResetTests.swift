import EventContract
import Foundation
import SchemaModel
import SnapshotStore
import Testing

/// `schemasync snapshot reset` through the executable (standard input is not a terminal:
/// no question is asked).
@Suite struct SnapshotResetTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.path + "/reset-\(UUID().uuidString)"
        try SnapshotStore(root: root).commit(
            Snapshot(
                toolVersion: "test", capturedAt: "2025-11-25T02:30:00.123Z", scope: CaptureScope(include: ["public.*"]),
                catalog: Catalog(
                    name: "local", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/db",
                    databases: [Database(name: "db", schemas: [Schema(name: "public", relations: [Self.table])])])),
            for: "local")
    }

    static let table = Relation(
        name: "t", kind: .table, columns: [Column(name: "id", position: 1, type: "integer", nullable: false)],
        primaryKey: KeyConstraint(name: "t_pkey", columns: ["id"]))

    @Test func emptyForgetsTheSnapshot() throws {
        let result = try CommandRunner.run(["snapshot", "reset", "local", "--empty", "--store", root])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try SnapshotStore(root: root).committed("local") == nil)
    }

    @Test func baselineRecordsTheLiveStateWithTheSnapshotsScope() throws {
        guard let server = ProcessInfo.processInfo.environment["SCHEMASYNC_TEST_PG_SERVER"] else {
            throw CommandError(description: "SCHEMASYNC_TEST_PG_SERVER is not set: run the tests with scripts/test.sh")
        }
        let result = try CommandRunner.run(
            ["snapshot", "reset", "local", "--baseline", "--url", server + "/postgres", "--store", root],
            environment: ["PGPASSWORD": ProcessInfo.processInfo.environment["SCHEMASYNC_TEST_PG_PASSWORD"] ?? ""])
        #expect(result.status == 0, "\(result.stderr)")
        let snapshot = try #require(try SnapshotStore(root: root).committed("local"))
        #expect(snapshot.catalog.name == "local")
        #expect(snapshot.scope.include == ["public.*"])
        #expect(snapshot.catalog.databases.map(\.name) == ["postgres"])
        #expect(snapshot.catalog.databases[0].schemas.map(\.name) == ["public"])
    }

    @Test func retireSendsTheTeardownThenForgets() throws {
        let output = root + "/teardown.ndjson"
        let result = try CommandRunner.run(
            [
                "snapshot", "reset", "local", "--retire", "--output", output, "--engine", "DWS", "--instance-id", "i-1",
                "--store", root,
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try SnapshotStore(root: root).committed("local") == nil)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let body = try JSONValue.parse(Data(lines[0].utf8))
        #expect(body["engine"]?.string == "DWS")
        #expect(body["engine_version"]?.string == "15.18")
        let events = try #require(body["events"]?.array).map {
            Event(type: EventType(rawValue: $0["event_type"]?.string ?? "")!, message: $0["event_message"]!)
        }
        #expect(events.map(\.type) == [.dropTable, .dropSchema, .dropDatabase, .dropCatalog])
    }

    @Test(arguments: [
        ["--output", "-"],
        ["--engine", "DWS"],
        ["--engine", "DWS", "--output", "-"],
    ])
    func retireNeedsAnOutputAndAValidEnvelope(flags: [String]) throws {
        let result = try CommandRunner.run(["snapshot", "reset", "local", "--retire", "--store", root] + flags)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try SnapshotStore(root: root).committed("local") != nil)
    }

    @Test func aFailedRetireKeepsTheSnapshot() throws {
        let result = try CommandRunner.run(
            [
                "snapshot", "reset", "local", "--retire", "--output", "/nonexistent-dir/out.ndjson", "--engine", "x",
                "--store", root,
            ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent-dir/out.ndjson"))
        #expect(try SnapshotStore(root: root).committed("local") != nil)
    }

    @Test(arguments: [
        ["--empty", "--baseline"], [], ["--baseline"], ["--empty", "--retire"],
    ])
    func usageErrors(flags: [String]) throws {
        let result = try CommandRunner.run(["snapshot", "reset", "local", "--store", root] + flags)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(try SnapshotStore(root: root).committed("local") != nil)
    }

    @Test func aHeldLockStopsIt() throws {
        let lock = try SnapshotStore(root: root).lock("local")
        let result = try CommandRunner.run(["snapshot", "reset", "local", "--empty", "--store", root])
        withExtendedLifetime(lock) {}
        #expect(result.status == 75)
        #expect(result.stderr.contains("locked"))
        #expect(try SnapshotStore(root: root).committed("local") != nil)
    }
}

/// On a terminal, `reset` asks first: run under `script`, which gives it a pseudo-terminal.
@Suite struct SnapshotResetConfirmationTests {
    /// Runs `schemasync arguments…` on a pseudo-terminal, typing `answer`.
    static func onTerminal(_ arguments: [String], answer: String) throws -> (status: Int32, output: String) {
        let executable = try CommandRunner.executable.path
        let command = ([executable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data((answer + "\n").utf8))
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (
            process.terminationStatus,
            String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        )
    }

    @Test func asksAndRespectsNo() throws {
        let root = FileManager.default.temporaryDirectory.path + "/confirm-\(UUID().uuidString)"
        let store = SnapshotStore(root: root)
        try store.commit(
            Snapshot(
                toolVersion: "test", capturedAt: "2025-11-25T02:30:00.123Z", scope: CaptureScope(),
                catalog: Catalog(
                    name: "local", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/db")),
            for: "local")
        let no = try Self.onTerminal(["snapshot", "reset", "local", "--empty", "--store", root], answer: "n")
        #expect(no.output.contains("Go on? [y/N]"))
        #expect(no.output.contains("nothing changed"))
        #expect(no.status == 1)
        #expect(try store.committed("local") != nil)
        let yes = try Self.onTerminal(["snapshot", "reset", "local", "--empty", "--store", root], answer: "y")
        #expect(yes.status == 0, "\(yes.output)")
        #expect(try store.committed("local") == nil)
    }
}
