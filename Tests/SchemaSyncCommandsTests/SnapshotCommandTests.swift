import Foundation
import SchemaModel
import SnapshotStore
import Testing

/// `schemasync snapshot list|show` over a store seeded through the library.
@Suite struct SnapshotCommandTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.path + "/store-\(UUID().uuidString)"
        let store = SnapshotStore(root: root)
        let table = Relation(
            name: "orders", kind: .table, columns: [Column(name: "id", position: 1, type: "integer", nullable: false)],
            primaryKey: KeyConstraint(name: "orders_pkey", columns: ["id"]))
        try store.commit(
            Snapshot(
                toolVersion: "test", capturedAt: "2025-11-25T02:30:00.123Z", scope: CaptureScope(),
                catalog: Catalog(
                    name: "shop", kind: .postgresql, serverVersion: "15.18", location: "postgresql://sync@db1/shop",
                    databases: [Database(name: "shop", schemas: [Schema(name: "public", relations: [table])])])),
            for: "shop")
        try AtomicFile.makeFolder(root + "/empty")
    }

    @Test func listsSources() throws {
        let result = try CommandRunner.run(["snapshot", "list", "--store", root])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("SOURCE"))
        #expect(lines[1].hasPrefix("empty") && lines[1].contains("(no snapshot)"))
        #expect(
            lines[2].hasPrefix("shop") && lines[2].contains("2025-11-25T02:30:00.123Z") && lines[2].contains("15.18"))
    }

    @Test func showsTheSnapshotAndASummary() throws {
        let json = try CommandRunner.run(["snapshot", "show", "shop", "--store", root])
        #expect(json.status == 0)
        #expect(try SnapshotCoder.decode(Data(json.stdout.utf8), path: "stdout").catalog.name == "shop")
        let summary = try CommandRunner.run(["snapshot", "show", "shop", "--summary", "--store", root])
        #expect(summary.status == 0)
        #expect(summary.stdout.contains("relations:   1"))
        #expect(summary.stdout.contains("constraints: 1"))
    }

    @Test func missingSnapshotExits66() throws {
        let result = try CommandRunner.run(["snapshot", "show", "nothing", "--store", root])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no committed snapshot for source \"nothing\""))
    }

    @Test func corruptSnapshotExits65AndIsLeftAlone() throws {
        let path = root + "/shop/snapshot.json"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        try original.prefix(40).write(to: URL(fileURLWithPath: path))
        for arguments in [["snapshot", "show", "shop", "--store", root], ["snapshot", "list", "--store", root]] {
            let result = try CommandRunner.run(arguments)
            #expect(result.status == 65)
            #expect(result.stderr.contains("corrupt snapshot"))
            #expect(result.stderr.contains(path))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original.prefix(40))
    }

    @Test func helpNamesTheCommands() throws {
        let result = try CommandRunner.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("inspect"))
        #expect(result.stdout.contains("snapshot"))
        #expect(result.stdout.contains("Exit codes"))
    }
}
