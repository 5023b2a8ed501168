import EventContract
public import EventDelivery
import Foundation
public import SchemaCapture
import SchemaDiff
import SchemaModel
public import SnapshotStore

#if canImport(Glibc)
    import Glibc
#endif

/// One source's sync, following the delivery protocol (docs/delivery.md):
///
/// 1. take the source's lock (another run: `SnapshotStoreError.locked`);
/// 2. finish a delivery an interrupted run left, first;
/// 3. capture, diff against the committed snapshot, and record the pending delivery (the
///    new snapshot and every request body) atomically before sending anything;
/// 4. send the bodies in order, recording progress after each acknowledged one;
/// 5. when all are acknowledged, commit the new snapshot.
///
/// A crash anywhere leads the next run to deliver every event at least once, in order, and
/// never to derive events twice from different baselines.
public struct SourceSync: Sendable {
    /// The source's name (its folder in the store, its catalog name).
    public var name: String
    /// Reads the live catalog.
    public var reader: any CatalogReader
    /// What to read.
    public var options: CaptureOptions
    /// The envelope's `engine`.
    public var engine: String
    /// The envelope's `engine_version`; `auto` becomes the server's version.
    public var engineVersion: String
    /// The envelope's `instance_id` (MRS, DWS).
    public var instanceID: String?
    /// The envelope's `project_id` (DLI).
    public var projectID: String?
    /// The snapshot store.
    public var store: SnapshotStore
    /// Where the request bodies go.
    public var sink: any Sink
    /// How events are split into request bodies.
    public var batcher: Batcher
    /// Record the live state as delivered without sending (a first run of a big catalog).
    public var baseline: Bool
    /// Let a run drop a whole database or more than `maxDropRatio` of the tables.
    public var allowDrops: Bool
    /// The drop guard's limit: the largest share of the tables one run may drop.
    public var maxDropRatio: Double
    /// The schemasync version written into snapshots.
    public var toolVersion: String

    /// A sync of one source; every field is given.
    public init(
        name: String, reader: any CatalogReader, options: CaptureOptions, engine: String, engineVersion: String,
        instanceID: String?, projectID: String?, store: SnapshotStore, sink: any Sink, batcher: Batcher,
        baseline: Bool, allowDrops: Bool, maxDropRatio: Double, toolVersion: String
    ) {
        self.name = name
        self.reader = reader
        self.options = options
        self.engine = engine
        self.engineVersion = engineVersion
        self.instanceID = instanceID
        self.projectID = projectID
        self.store = store
        self.sink = sink
        self.batcher = batcher
        self.baseline = baseline
        self.allowDrops = allowDrops
        self.maxDropRatio = maxDropRatio
        self.toolVersion = toolVersion
    }

    /// What one run did.
    public struct Summary: Sendable {
        /// Request bodies of an interrupted delivery sent first.
        public var resumedBatches = 0
        /// Schema changes found.
        public var changes = 0
        /// Events sent for the changes.
        public var events = 0
        /// Request bodies sent for the changes.
        public var batches = 0
        /// Requests sent again after a failure (network trouble, timeouts, 429, 5xx).
        public var retries = 0
        /// Whether a new snapshot was committed.
        public var committed = false
        /// Seconds the run took.
        public var seconds = 0.0
    }

    /// Runs the protocol. `progress` hears (sent, total) after each acknowledged body.
    public func run(progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        let start = Date()
        var summary = Summary()
        let lock = try store.lock(name)
        defer { withExtendedLifetime(lock) {} }
        try store.removeLeftovers(name)

        // 2. An interrupted delivery goes first, from where it stopped, to where it was going.
        if let pending = try store.pending(name) {
            guard pending.target == deliveryTarget else {
                if pending.isRetirement {
                    throw TargetChanged(
                        description:
                            "\(name) is being retired (\(pending.target)): finish it with `schemasync snapshot reset "
                            + "\(name) --retire` with the same --config or --output; a sync never sends over it")
                }
                throw TargetChanged(
                    description:
                        "\(name) has an interrupted delivery to \(pending.target), but the config now sends to "
                        + "\(deliveryTarget): finish it with the earlier config, or discard it with "
                        + "`schemasync snapshot reset \(name) --baseline` (or --empty to send everything again)")
            }
            summary.resumedBatches = pending.bodies.count - pending.acknowledged
            summary.retries += try await deliver(pending, progress: progress)
        }

        // 3. Capture and compare with what the catalog is known to have.
        let committed = try store.committed(name)
        var options = self.options
        // Unless drops are allowed, a database that vanished from view must be proven gone.
        options.expectedDatabases = allowDrops ? [] : committed?.catalog.databases.map(\.name) ?? []
        options.previous = committed?.catalog
        let (catalog, _) = try await runBlocking { [reader, options] in try reader.capture(options) }
        let snapshot = Snapshot(
            toolVersion: toolVersion, capturedAt: CaptureTime.iso8601(millis: options.capturedAtMillis),
            scope: options.scope, catalog: catalog)
        if baseline {
            try store.commit(snapshot, for: name)
            summary.committed = true
            summary.seconds = Date().timeIntervalSince(start)
            return summary
        }
        let changes = SchemaDiffer.diff(from: committed?.catalog, to: catalog)
        summary.changes = changes.count
        guard !changes.isEmpty else {
            // Nothing changed: nothing is sent. The store is left as it is, unless only
            // identity hints moved (MySQL: a table rebuilt under a new InnoDB id), which the
            // next run needs to pair renames: then the new snapshot is recorded, sending nothing.
            if let committed, committed.catalog != catalog {
                try store.commit(snapshot, for: name)
                summary.committed = true
            }
            summary.seconds = Date().timeIntervalSince(start)
            return summary
        }
        if !allowDrops, let committed {
            try DropGuard(maxDropRatio: maxDropRatio).check(changes, previous: committed.catalog)
        }
        let envelope = RequestEnvelope(
            engine: engine, engineVersion: engineVersion == "auto" ? catalog.serverVersion : engineVersion,
            instanceID: instanceID, projectID: projectID)
        try envelope.validate()
        var builder = BodyBuilder(batcher: batcher, timestamp: options.capturedAtMillis, envelope: envelope)
        EventEncoder.forEach(changes, from: committed?.catalog, to: catalog) { builder.add($0) }
        let bodies = builder.finish()
        let delivery = PendingDelivery(snapshot: snapshot, bodies: bodies, target: deliveryTarget)
        try store.beginDelivery(delivery, for: name)
        summary.events = builder.eventCount
        summary.batches = bodies.count

        // 4 and 5.
        summary.retries += try await deliver(delivery, progress: progress)
        summary.committed = true
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// Where this run's bodies go: the sink and the envelope's fixed fields.
    var deliveryTarget: String {
        PendingDelivery.target(sink: sink.target, engine: engine, instanceID: instanceID, projectID: projectID)
    }

    /// A pending delivery meant for another sink or envelope than the config's now.
    public struct TargetChanged: Error, CustomStringConvertible, Sendable {
        /// What was pending, what the config says, and what to do.
        public var description: String
    }

    /// Sends the unacknowledged bodies in order, recording each, then commits. Returns the
    /// number of retries the sink made.
    private func deliver(_ delivery: PendingDelivery, progress: @Sendable (Int, Int) -> Void) async throws -> Int {
        var retries = 0
        for index in delivery.acknowledged..<delivery.bodies.count {
            retries += try await sink.send(delivery.bodies[index]).attempts - 1
            CrashHook.now(.beforeProgress, batch: index + 1)
            try store.recordProgress(index + 1, for: name)
            progress(index + 1, delivery.bodies.count)
            CrashHook.now(.afterBatch, batch: index + 1)
        }
        try store.completeDelivery(for: name)
        return retries
    }
}

/// For the crash tests: `SCHEMASYNC_TEST_CRASH=after-batch:N` kills the process (SIGKILL) once
/// body N is acknowledged and recorded; `before-progress:N` once it is sent but before it is
/// recorded (so the next run sends it again). Unset, it does nothing.
enum CrashHook {
    enum Moment: String {
        case afterBatch = "after-batch"
        case beforeProgress = "before-progress"
    }

    static let setting: (Moment, Int)? = {
        guard let value = ProcessInfo.processInfo.environment["SCHEMASYNC_TEST_CRASH"] else { return nil }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let moment = Moment(rawValue: String(parts[0])), let batch = Int(parts[1]) else {
            return nil
        }
        return (moment, batch)
    }()

    static func now(_ moment: Moment, batch: Int) {
        guard let (when, at) = setting, when == moment, at == batch else { return }
        kill(getpid(), SIGKILL)
    }
}
