package import EventContract
package import Foundation

/// The request body's fields besides the events (docs/events.md section 2).
package struct RequestEnvelope: Sendable, Hashable {
    /// `MRS`, `DWS`, `DLI`, or any string, sent as given.
    package var engine: String
    /// The engine's version (the server's version for `auto`).
    package var engineVersion: String
    /// Required by the API when `engine` is MRS or DWS.
    package var instanceID: String?
    /// Required by the API (in the body) when `engine` is DLI.
    package var projectID: String?

    /// An envelope; `validate()` says whether the API would take it.
    package init(engine: String, engineVersion: String, instanceID: String? = nil, projectID: String? = nil) {
        self.engine = engine
        self.engineVersion = engineVersion
        self.instanceID = instanceID
        self.projectID = projectID
    }

    /// A missing field the API requires for this engine, as an error naming it.
    package struct InvalidEnvelope: Error, CustomStringConvertible, Sendable {
        /// What is missing and what to do.
        package var description: String
    }

    /// Refuses an envelope the API would refuse: no `instance_id` for MRS or DWS, no
    /// `project_id` for DLI.
    package func validate() throws {
        let upper = engine.uppercased()
        if (upper == "MRS" || upper == "DWS") && (instanceID ?? "").isEmpty {
            throw InvalidEnvelope(
                description: "engine \(engine) needs an instance_id (the API refuses requests without one)")
        }
        if upper == "DLI" && (projectID ?? "").isEmpty {
            throw InvalidEnvelope(
                description: "engine DLI needs a project_id in the body (the API refuses requests without one)")
        }
    }

    /// The request body with these events, as compact JSON text.
    package func body(_ entries: [JSONValue]) -> Data {
        body(serialized: entries.map(\.bytes))
    }

    /// The request body around events already serialized (each once, by the batcher).
    func body(serialized entries: [[UInt8]]) -> Data {
        var data = Data(framing.prefix)
        for (index, entry) in entries.enumerated() {
            if index > 0 { data.append(UInt8(ascii: ",")) }
            data.append(contentsOf: entry)
        }
        data.append(contentsOf: framing.suffix)
        return data
    }

    /// The body's text before and after the events: `{"engine":…,"events":[` and `],…}`.
    var framing: (prefix: [UInt8], suffix: [UInt8]) {
        var object: [String: JSONValue] = [
            "engine": .string(engine), "engine_version": .string(engineVersion), "events": .array([]),
        ]
        if let instanceID { object["instance_id"] = .string(instanceID) }
        if let projectID { object["project_id"] = .string(projectID) }
        let empty = JSONValue.object(object).bytes
        let marker = Array("\"events\":[]".utf8)
        guard
            let start = (0...(empty.count - marker.count)).first(where: {
                Array(empty[$0..<$0 + marker.count]) == marker
            })
        else { return (empty, []) }
        let split = start + marker.count - 1
        return (Array(empty[..<split]), Array(empty[split...]))
    }
}

/// Splitting events into request bodies of at most `maxEvents` events and `maxBytes` bytes,
/// in order; an event too large for `maxBytes` on its own is sent alone.
package struct Batcher: Sendable {
    /// At most this many events per request (default 500; the API documents no limit).
    package var maxEvents: Int
    /// At most this many bytes of body per request (default 1 MiB).
    package var maxBytes: Int

    /// Limits of a batch.
    package init(maxEvents: Int = 500, maxBytes: Int = 1_048_576) {
        self.maxEvents = max(1, maxEvents)
        self.maxBytes = max(1, maxBytes)
    }

    /// The request bodies, in order; every event of one run carries `timestamp`. Each event
    /// is serialized once.
    package func bodies(_ events: [Event], timestamp: Int64, envelope: RequestEnvelope) -> [Data] {
        var builder = BodyBuilder(batcher: self, timestamp: timestamp, envelope: envelope)
        var bodies: [Data] = []
        for event in events {
            if let body = builder.add(event) { bodies.append(body.data) }
        }
        if let body = builder.finish() { bodies.append(body.data) }
        return bodies
    }
}

/// Builds request bodies one event at a time (with `EventEncoder.forEach`, no list of
/// every event is ever held), handing each body over as soon as it is cut, so that the
/// caller can write it to the journal and hold none of them.
package struct BodyBuilder {
    /// One request body and how many events it holds.
    package struct Body: Sendable {
        /// The body, byte for byte what is sent.
        package var data: Data
        /// The events it holds.
        package var events: Int
    }

    private let batcher: Batcher
    private let timestamp: Int64
    private let envelope: RequestEnvelope
    private let framing: (prefix: [UInt8], suffix: [UInt8])
    private var batch: [[UInt8]] = []
    private var size: Int
    /// Events added so far.
    package private(set) var eventCount = 0
    /// Bodies handed over so far.
    package private(set) var bodyCount = 0

    /// A builder of bodies for `envelope`, cut by `batcher`'s limits.
    package init(batcher: Batcher, timestamp: Int64, envelope: RequestEnvelope) {
        self.batcher = batcher
        self.timestamp = timestamp
        self.envelope = envelope
        framing = envelope.framing
        size = framing.prefix.count + framing.suffix.count
    }

    /// Adds the next event. Returns the body it closed, if this event is the first of the
    /// next one (the bodies come out in order; `finish` gives the last).
    package mutating func add(_ event: Event) -> Body? {
        let entry = event.envelopeEntry(timestamp: timestamp).bytes
        let overhead = framing.prefix.count + framing.suffix.count
        var closed: Body? = nil
        if !batch.isEmpty && (batch.count == batcher.maxEvents || size + entry.count + 1 > batcher.maxBytes) {
            closed = close()
            size = overhead
        }
        size += entry.count + (batch.isEmpty ? 0 : 1)
        batch.append(entry)
        eventCount += 1
        return closed
    }

    /// The last body, if events are left in it.
    package mutating func finish() -> Body? {
        batch.isEmpty ? nil : close()
    }

    private mutating func close() -> Body {
        let body = Body(data: envelope.body(serialized: batch), events: batch.count)
        batch = []
        bodyCount += 1
        return body
    }
}
