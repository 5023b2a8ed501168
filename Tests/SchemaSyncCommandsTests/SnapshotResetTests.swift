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
                    name: "local", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/db")),
            for: "local")
    }

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

    @Test(arguments: [
        ["--empty", "--baseline"], [], ["--baseline"],
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
