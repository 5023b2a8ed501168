import EventContract
package import EventDelivery
package import Foundation
package import SchemaCapture
import SchemaDiff
import SchemaModel
package import SnapshotStore
import SystemSupport

/// One source's sync, on the delivery protocol of `DeliveryEngine` (docs/delivery.md):
/// finish an interrupted delivery first; capture, diff against the committed snapshot,
/// check the drop guard; record the new delivery (the new snapshot and every request body)
/// before sending anything; send it; commit.
///
/// A crash anywhere leads the next run to deliver every event at least once, in order, and
/// never to derive events twice from different baselines.
package struct SourceSync: Sendable {
    /// The source's name (its folder in the store, its catalog name).
    package var name: String
    /// Reads the live catalog.
    package var reader: any CatalogReader
    /// What to read.
    package var options: CaptureOptions
    /// The envelope's fixed fields (`engine_version: auto` is the server's version).
    package var envelope: EnvelopeSettings
    /// The snapshot store.
    package var store: any DeliveryStore
    /// Where the request bodies go.
    package var sink: any Sink
    /// How events are split into request bodies.
    package var batcher: Batcher
    /// Record the live state as delivered without sending (a first run of a big catalog).
    package var baseline: Bool
    /// Let a run drop a whole database or more than `maxDropRatio` of the tables.
    package var allowDrops: Bool
    /// The drop guard's limit: the largest share of the tables one run may drop.
    package var maxDropRatio: Double
    /// The schemasync version written into snapshots.
    package var toolVersion: String
    /// A shared store (several runners): when this runner's round began, on the store's
    /// clock. A source another runner synced since then is skipped (`SyncedElsewhere`).
    package var roundStart: Date?

    /// A sync of one source; every field is given.
    package init(
        name: String, reader: any CatalogReader, options: CaptureOptions, envelope: EnvelopeSettings,
        store: any DeliveryStore, sink: any Sink, batcher: Batcher, baseline: Bool, allowDrops: Bool,
        maxDropRatio: Double, toolVersion: String, roundStart: Date? = nil
    ) {
        self.name = name
        self.reader = reader
        self.options = options
        self.envelope = envelope
        self.store = store
        self.sink = sink
        self.batcher = batcher
        self.baseline = baseline
        self.allowDrops = allowDrops
        self.maxDropRatio = maxDropRatio
        self.toolVersion = toolVersion
        self.roundStart = roundStart
    }

    /// What one run did.
    package struct Summary: Sendable {
        /// Request bodies of an interrupted delivery sent first.
        package var resumedBatches = 0
        /// Schema changes found.
        package var changes = 0
        /// Events sent for the changes.
        package var events = 0
        /// Request bodies sent for the changes.
        package var batches = 0
        /// Requests sent again after a failure (network trouble, timeouts, 429, 5xx).
        package var retries = 0
        /// Whether a new snapshot was committed.
        package var committed = false
        /// Seconds the run took.
        package var seconds = 0.0
        /// What the capture warned of (a server newer than the connector knows).
        package var warnings: [String] = []
    }

    /// The delivery engine of this source.
    package var engine: DeliveryEngine {
        DeliveryEngine(store: store, source: name, sink: sink, envelope: envelope)
    }

    /// Runs the protocol. `progress` hears (sent, total) after each acknowledged body.
    package func run(progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        let start = Date()
        let engine = self.engine
        var summary = try await engine.locked { () async throws -> Summary in
            var summary = Summary()
            if let roundStart,
                let last = try await DeliveryEngine.io(store, { [store, name] in try store.lastSynced(name) }),
                last >= roundStart
            {
                throw SyncedElsewhere(source: name, at: last)
            }
            // An interrupted delivery goes first, from where it stopped, to the same catalog.
            if let pending = try engine.resumable(.sync) {
                summary.resumedBatches = pending.bodies.count - pending.acknowledged
                summary.retries += try await engine.finish(pending, progress: progress)
            }
            // Recorded by a call of its own, sent after it returns: nothing of the capture
            // (the catalogs, the changes) is held while the bodies are sent.
            if let delivery = try await captureAndRecord(engine, into: &summary) {
                summary.retries += try await engine.finish(delivery, progress: progress)
                summary.committed = true
            }
            try await DeliveryEngine.io(store) { [store, name] in try store.recordSynced(name) }
            return summary
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// Another runner of a shared store synced the source during this round: nothing to do.
    package struct SyncedElsewhere: Error, CustomStringConvertible, Sendable {
        /// The source.
        package var source: String
        /// When the other runner synced it.
        package var at: Date
        /// For the summary line.
        package var description: String { "another runner synced \(source) during this round" }
    }

    /// Captures, compares with what the catalog is known to have, and records the delivery of
    /// the changes (nil: nothing to send).
    private func captureAndRecord(_ engine: DeliveryEngine, into summary: inout Summary) async throws
        -> PendingDelivery?
    {
        // The committed snapshot is read as bytes and decoded whole only when needed, at
        // most once: when something changed, or when the reader asks for more than a skim
        // gives it (MySQL: a view the server reports invalid keeps its last known columns).
        let committedBytes = try await DeliveryEngine.io(store) { [store, name] in try store.committedBytes(name) }
        let previous = try committedBytes.map { bytes in
            // What a reader needs before it reads (MySQL: the binary log position, the
            // databases' names) comes from a skim of the bytes.
            let skim = reader.readsPreviousCapture ? try store.skimCommitted(bytes, of: name) : nil
            return PreviousCapture(binaryLog: skim?.binaryLog, databaseNames: skim?.databaseNames ?? []) {
                [store, name] in try store.decodeCommitted(bytes, of: name).catalog
            }
        }
        var options = self.options
        // Unless drops are allowed, a database that vanished from view must be proven gone.
        options.expectedDatabases = allowDrops ? [] : previous?.databaseNames ?? []
        options.previous = reader.readsPreviousCapture ? previous : nil
        let (catalog, statistics) = try await runBlocking { [reader, options] in try reader.capture(options) }
        summary.warnings = statistics.warnings
        let snapshot = Snapshot(
            toolVersion: toolVersion, capturedAt: CaptureTime.iso8601(millis: options.capturedAtMillis),
            scope: options.scope, catalog: catalog)
        if baseline {
            try await DeliveryEngine.io(store) { [store, name] in try store.commit(snapshot, for: name) }
            summary.committed = true
            return nil
        }
        // Nothing changed, byte for byte but the capture time and the tool version: nothing
        // is sent and the store is left as it is, without decoding the committed snapshot.
        if let committedBytes {
            let encoded = SnapshotCoder.encodeBytes(snapshot)
            if SnapshotCoder.sameCatalog(encoded, committedBytes) { return nil }
            // MySQL: the server logged something since (any write moves the binary log) and
            // nothing else changed. Nothing is sent and nothing decoded; the new position is
            // recorded, so the next run reads the log from here.
            if catalog.binaryLog != nil, SnapshotCoder.sameCatalogButTheLog(encoded, committedBytes) {
                try await DeliveryEngine.io(store) { [store, name] in try store.commit(snapshot, for: name) }
                summary.committed = true
                return nil
            }
        }
        // Decoded here, or already by the reader: the same catalog either way.
        let committed = try previous?.catalog()
        let changes = SchemaDiffer.diff(from: committed, to: catalog)
        summary.changes = changes.count
        guard !changes.isEmpty else {
            // Nothing changed: nothing is sent. The store is left as it is, unless only
            // identity hints moved (MySQL: a table rebuilt under a new InnoDB id), which the
            // next run needs to pair renames: then the new snapshot is recorded, sending nothing.
            if let committed, committed != catalog {
                try await DeliveryEngine.io(store) { [store, name] in try store.commit(snapshot, for: name) }
                summary.committed = true
            }
            return nil
        }
        if !allowDrops, let committed {
            try DropGuard(maxDropRatio: maxDropRatio).check(changes, previous: committed)
        }
        // Each body is appended to the journal as it is made: no list of bodies is held.
        let envelope = try envelope.envelope(serverVersion: catalog.serverVersion)
        let (batcher, timestamp, earlier) = (batcher, options.capturedAtMillis, committed)
        let recorded = try await engine.record(.sync, then: snapshot) { [changes, catalog] append in
            try DeliveryEngine.makeBodies(
                changes, from: earlier, to: catalog, batcher: batcher, timestamp: timestamp, envelope: envelope,
                append: append)
        }
        summary.events = recorded.events
        summary.batches = recorded.delivery.bodies.count
        return recorded.delivery
    }
}
