import EventDelivery
import Foundation
import PostgresCapture
import PostgresStore
import SchemaModel
import SchemaTestSupport
import SnapshotStore
import SyncEngine
import Testing

/// A sink that receives every body and, on its Nth request, runs `hook` after receiving it
/// (as something happening to the runner while a request is in flight).
final class HookSink: Sink, @unchecked Sendable {
    private let lock = NSLock()
    private let received: FailingSink.Received
    private let at: Int
    private let hook: @Sendable () throws -> Void
    private var requests = 0
    let target = "test:hook"
    let destination = SinkDestination(kind: "dataarts", catalog: "p1")

    init(_ received: FailingSink.Received, at: Int, hook: @escaping @Sendable () throws -> Void) {
        self.received = received
        self.at = at
        self.hook = hook
    }

    func send(_ body: Data) async throws -> Delivered {
        let number = lock.withLock {
            requests += 1
            return requests
        }
        received.append(body)
        if number == at { try hook() }
        return Delivered()
    }
}

/// What only the PostgreSQL store has: locks on sessions, fencing, versions, history.
@Suite struct PostgresStoreTests {
    /// The runner's store session is terminated (as by a partition the server noticed, or a
    /// DBA) while request 2 is in flight, or another runner takes the source over (its fence
    /// raised): not one more request is sent, and the next run finishes the delivery.
    @Test(arguments: ["terminate", "takeover"])
    func aRunnerThatLosesItsLockStopsBeforeTheNextRequest(how: String) async throws {
        let rig = try Rig(.postgres)
        defer { rig.remove() }
        let store = try #require(rig.store as? PostgresSnapshotStore)
        let schema = store.schema
        let sink = HookSink(rig.received, at: 2) {
            let admin = try StoreServer.session()
            if how == "terminate" {
                let rows = try admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
                    parameters: ["schemasync \(schema) lock shop"], context: "test")
                #expect(rows.rowCount == 1)
            } else {
                try admin.execute(
                    "UPDATE \(schema).sources SET fence = fence + 1 WHERE source = 'shop'", context: "test")
            }
        }
        let error = await #expect(throws: SnapshotStoreError.self) { try await rig.sync(sink).run() }
        #expect(error?.code == .lockLost)
        #expect(rig.received.bodies.count == 2)
        let pending = try #require(try rig.store.pending("shop"))
        #expect(pending.acknowledged <= 2 && pending.bodies.count > 2)
        // The next run (a fresh process's store) finishes it.
        let next = try PostgresSnapshotStore(connection: try StoreServer.conninfo(), schema: schema)
        var resumedRig = rig
        resumedRig.replaceStore(next)
        let resumed = try await resumedRig.sync(FailingSink(rig.received)).run()
        #expect(resumed.resumedBatches > 0)
        try resumedRig.expectReplayEqualsCommitted()
    }

    @Test func aSourceLockedByOneRunnerIsRefusedToAnotherUntilItsSessionEnds() throws {
        let first = try StoreServer.store()
        defer { StoreServer.drop(first.schema) }
        let second = try PostgresSnapshotStore(connection: try StoreServer.conninfo(), schema: first.schema)
        var held: (any StoreLock)? = try first.lock("a")
        let refused = #expect(throws: SnapshotStoreError.self) { try second.lock("a") }
        #expect(refused?.code == .locked)
        let other = try second.lock("b")
        try held?.stillHeld()
        held = nil
        let taken = try second.lock("a")
        try taken.stillHeld()
        withExtendedLifetime(other) {}
    }

    @Test func aStoreOfANewerVersionIsRefused() throws {
        let store = try StoreServer.store()
        defer { StoreServer.drop(store.schema) }
        #expect(try store.initialize() == 0)
        #expect(try store.initialize() == StoreSchema.version)
        try StoreServer.session().execute(
            "INSERT INTO \(store.schema).store_version (version, installed_by) VALUES (\(StoreSchema.version + 1), 'x')",
            context: "test")
        let later = try PostgresSnapshotStore(connection: try StoreServer.conninfo(), schema: store.schema)
        let error = #expect(throws: SnapshotStoreError.self) { try later.sources() }
        #expect(error?.code == .unsupportedStore)
        #expect(error?.description.contains("newer schemasync") == true)
        #expect(throws: SnapshotStoreError.self) { try later.lock("a") }
    }

    @Test func eachDeliveryLeavesARowOfHistoryAndTheSnapshotIsCompressed() async throws {
        var rig = try Rig(.postgres)
        defer { rig.remove() }
        let store = try #require(rig.store as? PostgresSnapshotStore)
        _ = try await rig.sync(FailingSink(rig.received)).run()
        rig.reader.catalog = rig.generator.mutate(rig.reader.catalog)
        let second = try await rig.sync(FailingSink(rig.received)).run()
        let rows = try StoreServer.session().execute(
            "SELECT requests, events, bytes, purpose FROM \(store.schema).deliveries ORDER BY id", context: "test")
        #expect(rows.rowCount == 2)
        #expect(rows.int(1, 0) == Int64(second.batches) && rows.int(1, 1) == Int64(second.events))
        #expect(rows.string(0, 3) == "sync")
        let sizes = try StoreServer.session().execute(
            "SELECT octet_length(snapshot), snapshot_size, last_synced_at IS NOT NULL FROM \(store.schema).sources",
            context: "test")
        #expect((sizes.int(0, 0) ?? 0) * 2 < (sizes.int(0, 1) ?? 0))
        #expect(sizes.bool(0, 2))
        let data = try #require(try store.committedBytes("shop"))
        #expect(data == (try SnapshotCoder.encode(try #require(try store.committed("shop")))))
    }
}
