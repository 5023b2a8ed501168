package import Foundation
package import SchemaModel

/// What the delivery engine, the sync, the resets and the store commands need of a store:
/// the committed snapshots, the delivery journal, and the per-source lock (docs/store.md).
/// Two conform: `SnapshotStore` (a folder, the default) and `PostgresStore.PostgresSnapshotStore`.
package protocol DeliveryStore: Sendable {
    /// Where the store is, for messages (a folder, or a redacted URL).
    var location: String { get }
    /// Whether several runners on several hosts share it: a source another runner holds is
    /// then skipped (exit 0) rather than an error (75).
    var isShared: Bool { get }

    /// Where a source's committed snapshot is, for messages.
    func snapshotLocation(of source: String) throws -> String
    /// The sources the store knows, sorted.
    func sources() throws -> [String]
    /// The committed snapshot of a source; nil when it has none. Damage is an error.
    func committed(_ source: String) throws -> Snapshot?
    /// The committed snapshot's canonical JSON, not decoded (a sync compares it with a new
    /// capture's before decoding anything); nil when the source has none.
    func committedBytes(_ source: String) throws -> Data?
    /// Makes `snapshot` the committed one, atomically.
    func commit(_ snapshot: Snapshot, for source: String) throws
    /// Removes the committed snapshot.
    func forget(_ source: String) throws
    /// Takes the source's exclusive lock without waiting (`SnapshotStoreError.locked` when
    /// another run holds it); held until the handle is released.
    func lock(_ source: String) throws -> any StoreLock
    /// Deletes what an interrupted run left beside the journal. Under the lock.
    func removeLeftovers(_ source: String) throws
    /// The source's pending delivery, if any; a damaged one is `.damagedJournal`.
    func pending(_ source: String) throws -> PendingDelivery?
    /// Records a delivery whole before its first body is sent: `snapshot` (to commit, or
    /// being torn down), then each body `bodies` makes, appended with its event count as it
    /// is made (memory holds one), then the record itself: all of it or, after a failure or
    /// a crash at any point, none. Returns the delivery, its bodies read back from the store.
    func recordDelivery(
        _ purpose: PendingDelivery.Purpose, of snapshot: Snapshot, to destination: DeliveryDestination,
        sentTo: String, for source: String,
        bodies: (_ append: (_ body: Data, _ events: Int) throws -> Void) throws -> Void
    ) throws -> PendingDelivery
    /// Records that the first `acknowledged` bodies are delivered.
    func recordProgress(_ acknowledged: Int, for source: String) throws
    /// Completes a fully acknowledged delivery (commit or forget, then the journal removed).
    func completeDelivery(for source: String) throws
    /// `completeDelivery(for:)` of the delivery the caller holds, every body acknowledged,
    /// without reading the journal back (the folder store's read of a 10,000-table journal
    /// took longer than sending it).
    func completeDelivery(_ delivery: PendingDelivery, for source: String) throws
    /// Removes a pending delivery without completing it; returns whether there was one.
    @discardableResult func discardPending(_ source: String) throws -> Bool
    /// When the source was last synced (a shared store; nil: unknown or never).
    func lastSynced(_ source: String) throws -> Date?
    /// Records that the source was synced now. Under the lock.
    func recordSynced(_ source: String) throws
}

/// A source's lock, held until released.
package protocol StoreLock: AnyObject, Sendable {
    /// Throws `SnapshotStoreError.lockLost` unless the lock is still held (a shared store:
    /// on a live session, under the same fencing number). Checked before each request.
    func stillHeld() throws
}

extension SourceLock: StoreLock {
    /// A `flock` lives as long as its descriptor: held until released.
    package func stillHeld() {}
}

extension DeliveryStore {
    /// The committed snapshot from the bytes `committedBytes` read; damage names the snapshot.
    package func decodeCommitted(_ data: Data, of source: String) throws -> Snapshot {
        try SnapshotCoder.decode(data, path: try snapshotLocation(of: source))
    }

    /// The binary log position and database names of the bytes `committedBytes` read,
    /// without decoding the rest (`SnapshotCoder.skim`); damage names the snapshot.
    package func skimCommitted(_ data: Data, of source: String) throws -> SnapshotSkim {
        try SnapshotCoder.skim(data, path: try snapshotLocation(of: source))
    }

    /// `recordDelivery` of bodies already made (tests, small deliveries); each body's events
    /// are counted from its `events` array.
    @discardableResult
    package func beginDelivery(
        snapshot: Snapshot, bodies: [Data], destination: DeliveryDestination,
        purpose: PendingDelivery.Purpose = .sync, sentTo: String, for source: String
    ) throws -> PendingDelivery {
        try recordDelivery(purpose, of: snapshot, to: destination, sentTo: sentTo, for: source) { append in
            for body in bodies {
                let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
                try append(body, (object?["events"] as? [Any])?.count ?? 0)
            }
        }
    }

    /// By default the store reads what it needs of the journal itself.
    package func completeDelivery(_ delivery: PendingDelivery, for source: String) throws {
        try completeDelivery(for: source)
    }
}

extension SnapshotStore: DeliveryStore {
    package var location: String { root }
    package var isShared: Bool { false }
    package func snapshotLocation(of source: String) throws -> String { try snapshotPath(of: source) }
    package func lock(_ source: String) throws -> any StoreLock { try lockFile(source) }
    package func lastSynced(_ source: String) throws -> Date? { nil }
    package func recordSynced(_ source: String) throws {}
}
