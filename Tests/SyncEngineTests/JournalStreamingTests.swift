import Foundation
import PostgresStore
import SchemaModel
import SnapshotStore
import Testing

/// The journal written as the bodies are made and read back one body at a time, on both
/// stores: a failure while it is written records nothing; what is read back (by the run that
/// wrote it, or by the next one after a cut) is byte for byte what was recorded; the
/// committed snapshot is the journal's canonical bytes.
@Suite struct JournalStreamingTests {
    static let destination = DeliveryDestination(
        source: "shop", sinkKind: "dataarts", sinkCatalog: "p1", engine: "DWS", instanceID: nil, projectID: nil)

    struct Stop: Error {}

    /// Bodies of many sizes, some larger than the folder store's 1 MiB read block, none holding
    /// a newline; each a JSON object with `n` events.
    static func bodies() -> [Data] {
        (0..<40).map { index in
            let padding = String(repeating: "x", count: index % 7 == 3 ? 1_300_000 + index : index * 97)
            let events = (0...(index % 3)).map { #"{"n":\#($0)}"# }.joined(separator: ",")
            return Data(#"{"events":[\#(events)],"pad":"\#(padding)","i":\#(index)}"#.utf8)
        }
    }

    /// A rig whose PostgreSQL store writes the bodies in many statements.
    static func rig(_ kind: StoreKind) throws -> Rig {
        let rig = try Rig(kind)
        (rig.store as? PostgresSnapshotStore)?.journalChunkBytes = 4_000
        return rig
    }

    static func snapshot(_ rig: Rig) -> Snapshot {
        Snapshot(
            toolVersion: "test", capturedAt: "2026-12-06T03:00:00.000Z", scope: CaptureScope(),
            catalog: rig.reader.catalog)
    }

    @Test(arguments: StoreKind.allCases) func aFailureWhileTheBodiesAreMadeRecordsNothing(store: StoreKind) throws {
        let rig = try Self.rig(store)
        defer { rig.remove() }
        let bodies = Self.bodies()
        #expect(throws: Stop.self) {
            try rig.store.recordDelivery(
                .sync, of: Self.snapshot(rig), to: Self.destination, sentTo: "test", for: "shop"
            ) { append in
                for body in bodies.prefix(25) { try append(body, 1) }
                throw Stop()
            }
        }
        #expect(try rig.store.pending("shop") == nil)
        if store == .folder {
            let entries = try FileManager.default.contentsOfDirectory(atPath: rig.folder + "/shop")
            #expect(entries.allSatisfy { !$0.hasPrefix(".pending") && $0 != "pending" }, "\(entries)")
        }
        // Nothing was left that stops the next delivery, and it holds only its own bodies.
        let recorded = try rig.store.beginDelivery(
            snapshot: Self.snapshot(rig), bodies: Array(bodies.suffix(3)), destination: Self.destination,
            sentTo: "test", for: "shop")
        #expect(try recorded.bodies.all() == Array(bodies.suffix(3)))
        #expect(try #require(try rig.store.pending("shop")).bodies.all() == Array(bodies.suffix(3)))
    }

    @Test(arguments: StoreKind.allCases) func theBodiesReadBackAreTheBodiesRecorded(store: StoreKind) throws {
        let rig = try Self.rig(store)
        defer { rig.remove() }
        let bodies = Self.bodies()
        let recorded = try rig.store.beginDelivery(
            snapshot: Self.snapshot(rig), bodies: bodies, destination: Self.destination, sentTo: "test", for: "shop")
        #expect(recorded.bodies.count == bodies.count && recorded.acknowledged == 0)
        for index in [39, 3, 0, 10, 17] { #expect(try recorded.bodies.body(index) == bodies[index]) }
        #expect(try recorded.bodies.all() == bodies)
        let pending = try #require(try rig.store.pending("shop"))
        #expect(pending.bodies.count == bodies.count && pending.destination == Self.destination)
        #expect(try pending.bodies.all() == bodies)
    }

    /// A run cut after two acknowledged bodies: the next run (another store object, as another
    /// process) reads the rest back byte for byte, and the completion commits the journal's
    /// snapshot: the canonical bytes `commit` writes.
    @Test(arguments: StoreKind.allCases) func aDeliveryCutMidwayIsReadBackByTheNextRun(store: StoreKind) throws {
        var rig = try Self.rig(store)
        defer { rig.remove() }
        let bodies = Self.bodies()
        let snapshot = Self.snapshot(rig)
        try rig.store.beginDelivery(
            snapshot: snapshot, bodies: bodies, destination: Self.destination, sentTo: "test", for: "shop")
        try rig.store.recordProgress(1, for: "shop")
        try rig.store.recordProgress(2, for: "shop")
        switch store {
        case .folder: rig.replaceStore(SnapshotStore(root: rig.folder))
        case .postgres:
            let schema = try #require(rig.store as? PostgresSnapshotStore).schema
            rig.replaceStore(try PostgresSnapshotStore(connection: try StoreServer.conninfo(), schema: schema))
        }
        let pending = try #require(try rig.store.pending("shop"))
        #expect(pending.acknowledged == 2)
        for index in pending.acknowledged..<pending.bodies.count {
            #expect(try pending.bodies.body(index) == bodies[index])
        }
        var done = pending
        done.acknowledged = bodies.count
        try rig.store.recordProgress(bodies.count, for: "shop")
        try rig.store.completeDelivery(done, for: "shop")
        #expect(try rig.store.pending("shop") == nil)
        #expect(try rig.store.committedBytes("shop") == (try SnapshotCoder.encode(snapshot)))
        #expect(try rig.store.committed("shop")?.catalog == snapshot.catalog.canonicalized())
    }
}
