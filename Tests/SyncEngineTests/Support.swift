import EventContract
import EventDelivery
import Foundation
import PostgresCapture
import PostgresStore
import SchemaCapture
import SchemaModel
import SchemaTestSupport
import SnapshotStore
import SyncEngine
import Testing

/// A source whose catalog the test sets: what each capture returns.
final class ScriptedReader: CatalogReader, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Catalog
    private var previous: PreviousCapture?
    private var asks = false
    /// Whether it asks for the previous capture, as MySQL's reader does (PostgreSQL's does not).
    let readsPreviousCapture: Bool

    init(_ catalog: Catalog, readsPreviousCapture: Bool = true) {
        current = catalog
        self.readsPreviousCapture = readsPreviousCapture
    }

    var catalog: Catalog {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    /// The previous capture the last capture was given.
    var lastPrevious: PreviousCapture? { lock.withLock { previous } }

    /// Whether a capture asks for the whole previous catalog, as MySQL's does for a view the
    /// server reports invalid.
    var asksForThePreviousCatalog: Bool {
        get { lock.withLock { asks } }
        set { lock.withLock { asks = newValue } }
    }

    func capture(_ options: CaptureOptions) throws -> (Catalog, CaptureStatistics) {
        lock.withLock { previous = options.previous }
        if asksForThePreviousCatalog { _ = try options.previous?.catalog() }
        return (catalog, CaptureStatistics())
    }
}

/// A sink that keeps what it acknowledged, in order, and fails where the test says: at its
/// Nth request, either refused (nothing received) or received with the acknowledgement lost
/// (as a crash after the send and before the progress record would).
final class FailingSink: Sink, @unchecked Sendable {
    enum Failure {
        /// The body is not received; the send throws.
        case refused
        /// The body is received, then the send throws (the acknowledgement never arrives).
        case acknowledgementLost
    }

    struct Injected: Error {}

    private let lock = NSLock()
    private let shared: Received
    private let failAt: Int?
    private let failure: Failure
    private var requests = 0
    let target: String
    let destination: SinkDestination

    /// What every sink of one test received, in order (several runs, several sinks).
    final class Received: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Data] = []
        var bodies: [Data] { lock.withLock { stored } }
        func append(_ body: Data) { lock.withLock { stored.append(body) } }
    }

    init(
        _ received: Received, failAt: Int? = nil, failure: Failure = .refused, target: String = "test:one",
        destination: SinkDestination = SinkDestination(kind: "dataarts", catalog: "p1")
    ) {
        shared = received
        self.failAt = failAt
        self.failure = failure
        self.target = target
        self.destination = destination
    }

    func send(_ body: Data) async throws -> Delivered {
        let number = lock.withLock {
            requests += 1
            return requests
        }
        guard number == failAt else {
            shared.append(body)
            return Delivered()
        }
        if failure == .acknowledgementLost { shared.append(body) }
        throw Injected()
    }
}

/// One source, its store (a folder, or a schema of the test PostgreSQL) and what its sinks received.
struct Rig {
    let folder = FileManager.default.temporaryDirectory.path + "/syncengine-\(UUID().uuidString)"
    let received = FailingSink.Received()
    let reader: ScriptedReader
    var generator = CatalogGenerator(seed: 7)
    private(set) var store: any DeliveryStore

    /// The same store through another object (as another process would open it).
    mutating func replaceStore(_ store: any DeliveryStore) { self.store = store }

    init(_ kind: StoreKind = .folder, readsPreviousCapture: Bool = true) throws {
        var generator = CatalogGenerator(seed: 7)
        reader = ScriptedReader(generator.catalog(), readsPreviousCapture: readsPreviousCapture)
        self.generator = generator
        switch kind {
        case .folder: store = SnapshotStore(root: folder)
        case .postgres: store = try StoreServer.store()
        }
    }

    /// Damages the pending delivery's journal: a file removed, or a body row deleted.
    func damageJournal() throws {
        if let postgres = store as? PostgresSnapshotStore {
            try StoreServer.session().execute(
                "DELETE FROM \(postgres.schema).pending_bodies WHERE source = 'shop' AND seq = 2", context: "test")
        } else {
            try FileManager.default.removeItem(atPath: folder + "/shop/pending/target.json")
        }
    }
    static let envelope = EnvelopeSettings(engine: "DWS", instanceID: "i-1", projectID: nil)

    func sync(
        _ sink: any Sink, baseline: Bool = false, envelope: EnvelopeSettings = envelope,
        capturedAtMillis: Int64 = 1_764_000_000_000, toolVersion: String = "test"
    ) -> SourceSync {
        SourceSync(
            name: "shop", reader: reader,
            options: CaptureOptions(sourceName: "shop", capturedAtMillis: capturedAtMillis), envelope: envelope,
            store: store, sink: sink, batcher: Batcher(maxEvents: 2), baseline: baseline, allowDrops: true,
            maxDropRatio: 1, toolVersion: toolVersion)
    }

    func retirement(_ sink: FailingSink) -> SourceRetirement {
        SourceRetirement(
            engine: DeliveryEngine(store: store, source: "shop", sink: sink, envelope: Self.envelope),
            batcher: Batcher(maxEvents: 2))
    }

    /// Every event received, a body repeated in a row (the one in flight at a failure) once,
    /// as a receiver that saw it twice applies it once.
    func events() throws -> [Event] {
        var bodies: [Data] = []
        for body in received.bodies where bodies.last != body { bodies.append(body) }
        return try bodies.flatMap { body in
            try #require(try JSONValue.parse(body)["events"]?.array).map { entry in
                Event(type: EventType(rawValue: entry["event_type"]?.string ?? "")!, message: entry["event_message"]!)
            }
        }
    }

    /// Replaying everything received from nothing gives the committed snapshot (nil: none).
    func expectReplayEqualsCommitted(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let replayed = try EventApplier.apply(events(), to: nil)
        #expect(replayed == (try store.committed("shop"))?.catalog, sourceLocation: sourceLocation)
        #expect(try store.pending("shop") == nil, sourceLocation: sourceLocation)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
        if let postgres = store as? PostgresSnapshotStore { StoreServer.drop(postgres.schema) }
    }
}
