import EventContract
package import EventDelivery
package import Foundation
package import SchemaDiff
package import SchemaModel
package import SnapshotStore
import SystemSupport

/// The delivery protocol of docs/delivery.md, the one implementation that `sync` and
/// `snapshot reset --retire` (and `--baseline`, `--empty`) share:
///
/// 1. take the source's lock (another run: `SnapshotStoreError.locked`) and remove what an
///    interrupted run left beside the journal;
/// 2. an interrupted delivery goes first: finished if it is of the same purpose to the same
///    destination catalog, refused with what each way out costs otherwise;
/// 3. a new delivery is recorded whole (snapshot, every body, destination, body count)
///    before its first body is sent, each body appended to the journal as it is made;
/// 4. the bodies are sent in order, each read back from the journal, progress recorded
///    after each acknowledged one;
/// 5. when all are acknowledged, the delivery completes (a sync commits its snapshot, a
///    retirement forgets the source) and the journal is removed.
package struct DeliveryEngine: Sendable {
    /// The snapshot store.
    package var store: any DeliveryStore
    /// The source (its folder in the store, its catalog name).
    package var source: String
    /// Where the bodies go.
    package var sink: any Sink
    /// The envelope's fixed fields.
    package var envelope: EnvelopeSettings

    /// The engine of `source`'s deliveries to `sink` with `envelope`.
    package init(store: any DeliveryStore, source: String, sink: any Sink, envelope: EnvelopeSettings) {
        self.store = store
        self.source = source
        self.sink = sink
        self.envelope = envelope
    }

    /// The catalog this engine's bodies reach: the source, the sink's catalog, the envelope.
    package var destination: DeliveryDestination {
        DeliveryDestination(
            source: source, sinkKind: sink.destination.kind, sinkCatalog: sink.destination.catalog,
            engine: envelope.engine, instanceID: envelope.instanceID, projectID: envelope.projectID)
    }

    /// Runs `body` holding the source's lock, after removing what an interrupted run left
    /// beside the journal (half-written or finished delivery folders).
    package func locked<T>(_ body: () async throws -> T) async throws -> T {
        try await Self.locked(store: store, source: source, body)
    }

    /// `locked(_:)` for a store and source, without a sink (a reset).
    package static func locked<T>(store: any DeliveryStore, source: String, _ body: () async throws -> T)
        async throws -> T
    {
        let lock = try await io(store) { try store.lock(source) }
        defer { withExtendedLifetime(lock) {} }
        try store.removeLeftovers(source)
        return try await $heldLock.withValue(lock) { try await body() }
    }

    /// Runs a call of `store`: a shared store's (network I/O through libpq, which blocks) on a
    /// thread of its own, off Swift's cooperative pool; a folder store's in place.
    package static func io<T: Sendable>(_ store: any DeliveryStore, _ work: @escaping @Sendable () throws -> T)
        async throws -> T
    {
        store.isShared ? try await runBlocking(work) : try work()
    }

    /// The lock the running task holds (set by `locked`), checked before each request.
    @TaskLocal static var heldLock: (any StoreLock)?

    /// The interrupted delivery this run must finish first, if any: one of `purpose` to this
    /// engine's destination. Any other is refused (`DestinationChanged`), saying what each
    /// way out costs. Call it under the lock.
    package func resumable(_ purpose: PendingDelivery.Purpose) throws -> PendingDelivery? {
        guard let pending = try store.pending(source) else { return nil }
        // Every body acknowledged (a run stopped between its commit and removing the journal):
        // nothing is left to send anywhere, so another destination is no reason to refuse.
        guard pending.purpose == purpose, pending.isComplete || pending.destination == destination else {
            throw DestinationChanged(pending: pending, now: destination, purpose: purpose)
        }
        return pending
    }

    /// Records a new delivery (then `snapshot` committed, or the source forgotten for a
    /// retirement) whose bodies `make` produces: each is appended to the journal as it is
    /// made, so memory never holds them all. `make` returns the events it made. Nothing is
    /// sent: `finish` sends the recorded delivery.
    package func record(
        _ purpose: PendingDelivery.Purpose, then snapshot: Snapshot,
        bodies make: @escaping @Sendable (_ append: (_ body: Data, _ events: Int) throws -> Void) throws -> Int
    ) async throws -> (delivery: PendingDelivery, events: Int) {
        let destination = self.destination
        let sentTo = sink.target
        return try await Self.io(store) { [store, source] in
            var events = 0
            let delivery = try store.recordDelivery(
                purpose, of: snapshot, to: destination, sentTo: sentTo, for: source
            ) { append in events = try make(append) }
            return (delivery, events)
        }
    }

    /// Encodes the events of `changes` (from `old` to `new`) into request bodies cut by
    /// `batcher`, handing each to `append` with its event count as soon as it is cut (with
    /// `record`, straight into the journal: no list of events or bodies is held). Returns
    /// the events made.
    package static func makeBodies(
        _ changes: [SchemaChange], from old: Catalog?, to new: Catalog?, batcher: Batcher, timestamp: Int64,
        envelope: RequestEnvelope, append: (_ body: Data, _ events: Int) throws -> Void
    ) throws -> Int {
        var builder = BodyBuilder(batcher: batcher, timestamp: timestamp, envelope: envelope)
        try EventEncoder.forEach(changes, from: old, to: new) { event in
            if let body = builder.add(event) { try append(body.data, body.events) }
        }
        if let body = builder.finish() { try append(body.data, body.events) }
        return builder.eventCount
    }

    /// Sends the unacknowledged bodies of `delivery` in order, each read back from the
    /// journal when it is sent, recording each acknowledged one, then completes it. Returns
    /// the retries the sink made. A failure leaves the journal as it is: the next run sends
    /// from the first unacknowledged body.
    package func finish(_ delivery: PendingDelivery, progress: @Sendable (Int, Int) -> Void = { _, _ in })
        async throws -> Int
    {
        var retries = 0
        let bodies = delivery.bodies
        for index in delivery.acknowledged..<bodies.count {
            // A shared store's lock can be lost (its session ended, another runner took over):
            // then not one more request is sent.
            // A sink that retries asks again before each attempt (`AttemptGate`).
            let lock = Self.heldLock
            var check: AttemptGate.Check? = nil
            if let lock { check = AttemptGate.Check { [store] in try await Self.io(store) { try lock.stillHeld() } } }
            try await check?.run()
            let body = try await Self.io(store) { try bodies.body(index) }
            let delivered = try await AttemptGate.$check.withValue(check) { try await sink.send(body) }
            retries += delivered.attempts - 1
            try await Self.io(store) { [store, source] in try store.recordProgress(index + 1, for: source) }
            progress(index + 1, bodies.count)
        }
        var delivered = delivery
        delivered.acknowledged = bodies.count
        try await Self.io(store) { [store, source, delivered] in try store.completeDelivery(delivered, for: source) }
        return retries
    }

    /// An interrupted delivery this run may not finish: another purpose (a sync over a
    /// half-sent retirement, or the reverse) or another destination catalog. Says what was
    /// pending, what the config says now, and what each way out costs. Nothing was sent.
    package struct DestinationChanged: Error, CustomStringConvertible, Sendable {
        /// What was pending, what the run would send to, and the ways out.
        package var description: String

        init(pending: PendingDelivery, now: DeliveryDestination, purpose: PendingDelivery.Purpose) {
            let source = pending.destination.source
            let unacknowledged = pending.bodies.count - pending.acknowledged
            let state =
                "\(pending.acknowledged) of \(pending.bodies.count) request\(pending.bodies.count == 1 ? "" : "s") "
                + "acknowledged"
            switch (pending.purpose, purpose) {
            case (.retirement, .sync):
                description =
                    "\(source) is being retired (its teardown to \(pending.destination) is half sent: \(state)): "
                    + "finish it with `schemasync snapshot reset \(source) --retire` with the same --config or "
                    + "--output; a sync never sends over it"
            case (.sync, .retirement):
                description =
                    "\(source) has an interrupted delivery to \(pending.destination) (\(state)): finish it first "
                    + "with `schemasync sync \(source)`, then retire; or discard it with `schemasync snapshot reset "
                    + "\(source) --empty` (the source is then forgotten and its teardown has nothing to send)"
            case (.retirement, .retirement):
                description =
                    "\(source) has a half-sent teardown to \(pending.destination) (\(state)), but this retirement "
                    + "sends to \(now): finish it with the --config or --output that names that destination (another "
                    + "URL to the same project will do)"
            case (.sync, .sync):
                description =
                    "\(source) has an interrupted delivery to \(pending.destination) (\(state); last sent through "
                    + "\(pending.sentTo)), but the config now sends to \(now); nothing was sent. Ways out: run with a "
                    + "config that names that destination again to finish it"
                    + (pending.destination.sinkKind == "dataarts"
                        ? " (another URL, port, region or proxy to the same project will do)" : "")
                    + "; or `schemasync snapshot reset \(source) --empty`, which discards "
                    + "it and makes the next sync send the whole catalog again, from CreateCatalogEvent, to the new "
                    + "destination; or `schemasync snapshot reset \(source) --baseline --url …`, which discards it "
                    + "and records the live state as delivered: its \(unacknowledged) unacknowledged "
                    + "request\(unacknowledged == 1 ? "" : "s") are dropped and never sent anywhere"
            }
        }
    }
}
