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
/// (as something happening to the runner while a request is in flight) or, with
/// `asRetry`, before it: as a retrying sink does after a failed first attempt, it then asks
/// the `AttemptGate` before the attempt that would deliver the body.
final class HookSink: Sink, @unchecked Sendable {
    private let lock = NSLock()
    private let received: FailingSink.Received
    private let at: Int
    private let asRetry: Bool
    private let hook: @Sendable () throws -> Void
    private var requests = 0
    let target = "test:hook"
    let destination = SinkDestination(kind: "dataarts", catalog: "p1")

    init(
        _ received: FailingSink.Received, at: Int, asRetry: Bool = false, hook: @escaping @Sendable () throws -> Void
    ) {
        self.received = received
        self.at = at
        self.asRetry = asRetry
        self.hook = hook
    }

    func send(_ body: Data) async throws -> Delivered {
        let number = lock.withLock {
            requests += 1
            return requests
        }
        if number == at && asRetry {
            try hook()
            try await AttemptGate.beforeAttempt()
            received.append(body)
            return Delivered(attempts: 2)
        }
        received.append(body)
        if number == at { try hook() }
        return Delivered()
    }
}

/// What only the PostgreSQL store has: locks on sessions, fencing, versions, history.
@Suite struct PostgresStoreTests {
    /// The runner's store session is terminated (as by a partition the server noticed, or a
    /// DBA) or another runner takes the source over (its fence raised): while request 2 is in
    /// flight (its progress is refused), after its progress was recorded (the check before
    /// request 3 catches it), or while request 3 is being retried (the check before the retry
    /// catches it). Not one more request is sent, and the next run finishes the delivery.
    @Test(arguments: ["terminate", "takeover"], ["in flight", "after progress", "before a retry"])
    func aRunnerThatLosesItsLockStopsBeforeTheNextRequest(how: String, when: String) async throws {
        let rig = try Rig(.postgres)
        defer { rig.remove() }
        let store = try #require(rig.store as? PostgresSnapshotStore)
        let schema = store.schema
        let lose: @Sendable () throws -> Void = {
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
        let sink =
            when == "in flight"
            ? HookSink(rig.received, at: 2, hook: lose)
            : HookSink(rig.received, at: 3, asRetry: when == "before a retry", hook: lose)
        let error = await #expect(throws: SnapshotStoreError.self) {
            try await rig.sync(sink).run { sent, _ in
                if when == "after progress" && sent == 2 { try? lose() }
            }
        }
        #expect(error?.code == .lockLost)
        #expect(rig.received.bodies.count == 2)
        let pending = try #require(try rig.store.pending("shop"))
        #expect(pending.acknowledged <= 2 && pending.bodies.count > 2)
        if when != "in flight" { #expect(pending.acknowledged == 2) }
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
        // The server frees the lock when the closed session's backend has exited: shortly after.
        var taken: (any StoreLock)?
        for _ in 0..<200 where taken == nil {
            do {
                taken = try second.lock("a")
            } catch let error as SnapshotStoreError where error.code == .locked {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        try #require(taken).stillHeld()
        withExtendedLifetime(other) {}
    }

    /// A body holding `\u0000` (valid JSON that jsonb refuses) is delivered and committed,
    /// its events counted in the history.
    @Test func aBodyHoldingANulEscapeIsCommitted() async throws {
        let rig = try Rig(.postgres)
        defer { rig.remove() }
        let store = try #require(rig.store as? PostgresSnapshotStore)
        _ = try await rig.sync(FailingSink(rig.received)).run()
        let snapshot = try #require(try store.committed("shop"))
        let body = Data(#"{"events":[{"name":"a\u0000b"},{"name":"c"}]}"#.utf8)
        let destination = DeliveryDestination(
            source: "shop", sinkKind: "dataarts", sinkCatalog: "p1", engine: "DWS", instanceID: nil, projectID: nil)
        try store.beginDelivery(
            snapshot: snapshot, bodies: [body], destination: destination, sentTo: "test", for: "shop")
        try store.recordProgress(1, for: "shop")
        try store.completeDelivery(for: "shop")
        #expect(try store.pending("shop") == nil)
        let rows = try StoreServer.session().execute(
            "SELECT events FROM \(store.schema).deliveries WHERE source = 'shop' ORDER BY id DESC LIMIT 1",
            context: "test")
        #expect(rows.int(0, 0) == 2)
    }

    /// A journal larger than one statement may carry is written by several, in order.
    @Test func aLargeJournalIsWrittenInSeveralStatements() async throws {
        let rig = try Rig(.postgres)
        defer { rig.remove() }
        let store = try #require(rig.store as? PostgresSnapshotStore)
        _ = try await rig.sync(FailingSink(rig.received)).run()
        let snapshot = try #require(try store.committed("shop"))
        store.journalChunkBytes = 40
        let bodies = (1...7).map { number in
            Data(#"{"events":[{"n":\#(number)}],"pad":"\#(String(repeating: "x", count: number * 3))"}"#.utf8)
        }
        let destination = DeliveryDestination(
            source: "shop", sinkKind: "dataarts", sinkCatalog: "p1", engine: "DWS", instanceID: nil, projectID: nil)
        let recorded = try store.beginDelivery(
            snapshot: snapshot, bodies: bodies, destination: destination, sentTo: "test", for: "shop")
        #expect(try recorded.bodies.all() == bodies)
        #expect(try #require(try store.pending("shop")).bodies.all() == bodies)
    }

    /// Taking a source's lock again and again draws no value of the `id` sequence: a new
    /// source gets the next one.
    @Test func lockingAgainDrawsNoSequenceValue() throws {
        let store = try StoreServer.store()
        defer { StoreServer.drop(store.schema) }
        for _ in 0..<3 { _ = try store.lock("a") }
        _ = try store.lock("b")
        let rows = try StoreServer.session().execute(
            "SELECT source, id FROM \(store.schema).sources ORDER BY source", context: "test")
        #expect(rows.int(1, 1) == (rows.int(0, 1) ?? 0) + 1)
    }

    /// Any conninfo is a store, whatever its first keyword, and its password never shows.
    @Test func anyConninfoIsAStoreAndItsPasswordIsRedacted() throws {
        let conninfo = "password=s3cret-store host=127.0.0.1 dbname=x"
        #expect(PostgresSnapshotStore.isStoreLocation(conninfo))
        #expect(PostgresSnapshotStore.isStoreLocation("sslmode=require host=h"))
        #expect(!PostgresSnapshotStore.isStoreLocation("/var/lib/schemasync"))
        let store = try PostgresSnapshotStore(connection: conninfo)
        #expect(!store.location.contains("s3cret"))
    }

    /// A schema named by a reserved word works: every identifier is quoted.
    @Test func aReservedWordIsAUsableSchemaName() throws {
        let store = try PostgresSnapshotStore(connection: try StoreServer.conninfo(), schema: "user")
        StoreServer.drop("user")
        defer { StoreServer.drop("user") }
        let lock = try store.lock("a")
        try lock.stillHeld()
        _ = try store.sources()  // unquoted, each of these would be a syntax error
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
        // A damaged size (more than deflate can expand to) is refused as corrupt, not allocated.
        try StoreServer.session().execute(
            "UPDATE \(store.schema).sources SET snapshot_size = 2000000000", context: "test")
        let corrupt = #expect(throws: SnapshotStoreError.self) { try store.committedBytes("shop") }
        #expect(corrupt?.code == .corrupt)
    }
}
