import EventContract
import EventDelivery
import Foundation
import LocalReceiver
import SchemaDiff
import SchemaModel
import SchemaTestSupport

/// The receiver's log lines, collected for assertions.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ line: String) {
        lock.lock()
        stored.append(line)
        lock.unlock()
    }

    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// A receiver started on a free port, stopped when the test is done with it.
final class RunningReceiver {
    let receiver: Receiver
    let port: Int
    let log: LogLines
    let folder: URL
    /// Whether the folder was made here, and so is removed with the receiver.
    private let ownsFolder: Bool

    init(
        auth: ReceiverAuth? = .accessKey(ak: TestClient.ak, sk: TestClient.sk), folder: URL? = nil,
        configure: (inout ReceiverOptions) -> Void = { _ in }
    ) throws {
        let log = LogLines()
        self.folder = folder ?? Self.temporaryFolder()
        ownsFolder = folder == nil
        var options = ReceiverOptions(projectID: TestClient.project, auth: auth, log: { log.append($0) })
        // Generous: a loaded machine may pause a test longer than a client would.
        options.ioTimeout = 30
        options.hangLimit = 10
        configure(&options)
        receiver = try Receiver(options)
        port = try receiver.start()
        self.log = log
    }

    deinit {
        receiver.stop()
        if ownsFolder { try? FileManager.default.removeItem(at: folder) }
    }

    func client(timeout: TimeInterval = 10) throws -> TestClient {
        try TestClient(port: port, timeout: timeout)
    }

    /// POSTs a signed body on a new connection and returns the response.
    func postSigned(_ body: Data, date: Date = Date(), sk: String = TestClient.sk) throws -> WireResponse {
        let request = try TestClient.signedPost(body, port: port, sk: sk, date: date)
        return try client().exchange(request.head + request.body)
    }

    /// GETs a path on a new connection.
    func get(_ path: String) throws -> WireResponse {
        try client().exchange(TestClient.get(path))
    }

    static func temporaryFolder() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Catalogs and the request bodies that build them.
enum Fixture {
    static let envelope = RequestEnvelope(engine: "DWS", engineVersion: "15.18", instanceID: "i-1")
    static let timestamp: Int64 = 1_764_037_800_123

    /// A random catalog and the bodies (at most `maxEvents` events each) that create it from
    /// nothing: the first from `seed` on whose events fill at least `minBodies` bodies.
    static func creation(seed: UInt64, maxEvents: Int = 7, minBodies: Int = 1) -> (catalog: Catalog, bodies: [Data]) {
        var found: (catalog: Catalog, bodies: [Data])?
        for candidate in seed..<(seed + 500) {
            var generator = CatalogGenerator(seed: candidate)
            let catalog = generator.catalog()
            found = (catalog, bodies(from: nil, to: catalog, maxEvents: maxEvents))
            if let found, found.bodies.count >= minBodies { return found }
        }
        return found!
    }

    /// The bodies of the difference from `old` to `new`.
    static func bodies(from old: Catalog?, to new: Catalog?, maxEvents: Int = 7) -> [Data] {
        let events = EventEncoder.encode(SchemaDiffer.diff(from: old, to: new), from: old, to: new)
        return Batcher(maxEvents: maxEvents).bodies(events, timestamp: timestamp, envelope: envelope)
    }

    /// A body of these raw event entries.
    static func body(events: [JSONValue], engine: String = "DWS", instanceID: String? = "i-1") -> Data {
        var object: [String: JSONValue] = [
            "engine": .string(engine), "engine_version": "15.18", "events": .array(events),
        ]
        if let instanceID { object["instance_id"] = .string(instanceID) }
        return Data(JSONValue.object(object).bytes)
    }
}
