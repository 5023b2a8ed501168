import Foundation
package import SchemaModel
package import SnapshotStore

/// `snapshot reset --baseline | --empty`: change what the store says the catalog has,
/// sending nothing, under the source's lock (`DeliveryEngine.locked`). A reset supersedes an
/// interrupted sync delivery (it is discarded, and the outcome says so); a half-sent
/// retirement is never superseded: what it dropped would never be sent again.
package struct SourceReset: Sendable {
    /// The snapshot store.
    package var store: any DeliveryStore
    /// The source.
    package var source: String

    /// A reset of `source` in `store`.
    package init(store: any DeliveryStore, source: String) {
        self.store = store
        self.source = source
    }

    /// What the reset records.
    package enum Target: Sendable {
        /// Forget the committed snapshot: the next sync sends everything.
        case empty
        /// Record the live state as delivered; the closure captures it, given the committed
        /// snapshot (its scope is the default one), if there is a readable one.
        case baseline(@Sendable (Snapshot?) async throws -> Snapshot)
    }

    /// What a reset did.
    package struct Outcome: Sendable {
        /// Whether `confirm` said yes (otherwise nothing changed).
        package var confirmed = false
        /// The interrupted sync delivery the reset discarded, if there was one.
        package var discarded: PendingDelivery?
        /// Whether `--empty` discarded a damaged journal (nothing is lost: the next sync
        /// sends everything).
        package var discardedDamagedJournal = false
        /// The snapshot recorded as delivered (`baseline`).
        package var recorded: Snapshot?
    }

    /// A half-sent retirement stops a reset.
    package struct RetirementPending: Error, CustomStringConvertible, Sendable {
        /// What to do instead.
        package var description: String
    }

    /// Resets the source to `target`. `confirm` hears the interrupted delivery a reset would
    /// discard (nil when there is none) and says whether to go on.
    package func run(to target: Target, confirm: (PendingDelivery?) throws -> Bool) async throws -> Outcome {
        try await DeliveryEngine.locked(store: store, source: source) { () async throws -> Outcome in
            var outcome = Outcome()
            let current = try committedOrNil()
            // A damaged journal can be discarded only by --empty, after which everything is sent
            // again; --baseline would lose what it held.
            var pending: PendingDelivery?
            var damaged = false
            do {
                pending = try store.pending(source)
            } catch let error as SnapshotStoreError where error.code == .damagedJournal {
                guard case .empty = target else { throw error }
                damaged = true
            }
            if let pending, pending.isRetirement {
                throw RetirementPending(
                    description: "\(source) is being retired and part of the teardown was sent: finish it with "
                        + "`schemasync snapshot reset \(source) --retire` (the same --config or --output) first")
            }
            guard try confirm(pending) else { return outcome }
            outcome.confirmed = true
            switch target {
            case .empty:
                if try store.discardPending(source) {
                    outcome.discarded = pending
                    outcome.discardedDamagedJournal = damaged
                }
                try store.forget(source)
            case .baseline(let capture):
                // Captured before anything is discarded: a source that cannot be read changes nothing.
                let snapshot = try await capture(current)
                if try store.discardPending(source) { outcome.discarded = pending }
                try store.commit(snapshot, for: source)
                outcome.recorded = snapshot
            }
            return outcome
        }
    }

    /// The committed snapshot, or nil; a corrupt one is no reason to refuse a reset.
    private func committedOrNil() throws -> Snapshot? {
        do {
            return try store.committed(source)
        } catch let error as SnapshotStoreError where error.code == .corrupt || error.code == .unsupportedFormat {
            return nil
        }
    }
}
