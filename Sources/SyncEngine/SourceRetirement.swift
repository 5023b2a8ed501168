package import EventDelivery
import Foundation
import SchemaDiff
import SchemaModel
import SnapshotStore
import SystemSupport

/// `snapshot reset --retire`: the full teardown of a source's committed snapshot (every
/// object dropped, then the catalog), delivered on the same protocol as a sync's changes
/// (`DeliveryEngine`): recorded before the first request, progress after each, finished by
/// the next retirement to the same destination; the snapshot is forgotten once all is sent.
package struct SourceRetirement: Sendable {
    /// The delivery engine of the source, its sink and envelope.
    package var engine: DeliveryEngine
    /// How events are split into request bodies.
    package var batcher: Batcher

    /// A retirement through `engine`, its bodies cut by `batcher`.
    package init(engine: DeliveryEngine, batcher: Batcher) {
        self.engine = engine
        self.batcher = batcher
    }

    /// What a retirement did.
    package enum Outcome: Sendable, Equatable {
        /// The teardown was sent (`requests` in all; `resumed` when an interrupted one was
        /// finished) and the snapshot forgotten.
        case retired(requests: Int, resumed: Bool)
        /// `confirm` said no: nothing changed.
        case declined
    }

    /// Retires the source. `confirm` is asked before a new teardown is recorded (never for
    /// finishing an interrupted one); `resuming` hears that an interrupted one is finished.
    package func run(confirm: () throws -> Bool, resuming: () -> Void = {}) async throws -> Outcome {
        let engine = self.engine
        return try await engine.locked { () async throws -> Outcome in
            // An interrupted retirement is finished where it stopped; an interrupted sync may be
            // partly received, so retiring from the committed snapshot could leave its objects
            // behind: it must be finished first (`resumable` refuses it).
            if let pending = try engine.resumable(.retirement) {
                resuming()
                _ = try await engine.finish(pending)
                return .retired(requests: pending.bodies.count, resumed: true)
            }
            // Recorded by a call of its own, sent after it returns: the catalog is not held
            // while the bodies are sent.
            guard let delivery = try await recordTeardown(engine, confirm: confirm) else { return .declined }
            _ = try await engine.finish(delivery)
            return .retired(requests: delivery.bodies.count, resumed: false)
        }
    }

    /// Records the teardown of the committed snapshot, once `confirm` says yes (nil: declined).
    private func recordTeardown(_ engine: DeliveryEngine, confirm: () throws -> Bool) async throws -> PendingDelivery? {
        guard let committed = try engine.store.committed(engine.source) else {
            throw SnapshotStoreError(
                code: .notFound, path: try engine.store.snapshotLocation(of: engine.source),
                message: "no committed snapshot for source \"\(engine.source)\": nothing to retire")
        }
        let envelope = try engine.envelope.envelope(serverVersion: committed.catalog.serverVersion)
        guard try confirm() else { return nil }
        let (batcher, timestamp) = (batcher, WallClock.nowMillis())
        let recorded = try await engine.record(.retirement, then: committed) { append in
            try DeliveryEngine.makeBodies(
                SchemaDiffer.diff(from: committed.catalog, to: nil), from: committed.catalog, to: nil,
                batcher: batcher, timestamp: timestamp, envelope: envelope, append: append)
        }
        return recorded.delivery
    }
}
