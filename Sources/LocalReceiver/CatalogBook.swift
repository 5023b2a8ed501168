import Crypto
import EventContract
import EventDelivery
import Foundation
import SchemaModel
import SnapshotStore
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A request body the API refuses, with the answer's `error_code` and `error_msg`.
struct BodyError: Error {
    var code: String
    var message: String
}

/// What a checked body holds: its events, in order, each with its catalog's name.
struct CheckedBody {
    var events: [(catalog: String, event: Event)]
    /// The largest `event_ts`, if any event has one.
    var latestTimestamp: Int64?
}

/// The receiver's catalogs (one per `catName`, as docs/events.md section 9 says) and, per
/// catalog, the hash of the last body applied to it: what `--state` keeps across restarts.
///
/// The state file, format 3:
///
/// ```json
/// {
/// "formatVersion": 3,
/// "journalSequence": 1341,
/// "lastBodySHA256ByCatalog": {"orders":"<hex>","shop":"<hex>"},
/// "snapshots": [ … ]
/// }
/// ```
///
/// `journalSequence` is the last journal record the file holds (`StateFolder`): later ones
/// are applied on top of it at start. Format 2 (no journal) is read as sequence 0. Format 1
/// (one `lastBodySHA256` for the whole receiver) is still read: its hash is kept as
/// `legacyLastBodySHA256` until the next body is applied, which is format 1's own rule.
struct CatalogBook: Decodable, Equatable {
    /// The format `encoded` writes.
    static let currentFormatVersion = 3
    /// The state file's format, as read (`currentFormatVersion` for a new book).
    var formatVersion = currentFormatVersion
    /// Hex SHA-256 of the last body applied to each catalog, keyed by the catalog names the
    /// body's events name (the names before the body, so a dropped or renamed catalog keeps
    /// the entry its resend needs). A body naming several catalogs is the last of each.
    var lastBodySHA256ByCatalog: [String: String] = [:]
    /// The single hash of a format-1 file, whose catalog is unknown: the last body applied
    /// to the whole receiver. Cleared by the next applied body, never written.
    var legacyLastBodySHA256: String?
    /// One snapshot per catalog, sorted by name.
    var snapshots: [Snapshot] = []
    /// The sequence of the last journal record this book holds (0: none).
    var journalSequence: Int64 = 0

    static let fileName = "receiver-state.json"

    private enum CodingKeys: String, CodingKey {
        case formatVersion, journalSequence, lastBodySHA256, lastBodySHA256ByCatalog, snapshots
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        snapshots = try container.decode([Snapshot].self, forKey: .snapshots)
        journalSequence = try container.decodeIfPresent(Int64.self, forKey: .journalSequence) ?? 0
        if formatVersion >= 2 {
            lastBodySHA256ByCatalog =
                try container.decodeIfPresent([String: String].self, forKey: .lastBodySHA256ByCatalog) ?? [:]
        } else {
            legacyLastBodySHA256 = try container.decodeIfPresent(String.self, forKey: .lastBodySHA256)
        }
    }

    /// Whether a body of this hash is the last one applied to a catalog it names: a resend
    /// (the same bytes name the same catalogs), acknowledged and not applied again. A body
    /// that was applied whole, all or nothing, counts when any catalog it names has seen no
    /// later body.
    func isResend(bodyHash: String) -> Bool {
        bodyHash == legacyLastBodySHA256 || lastBodySHA256ByCatalog.values.contains(bodyHash)
    }

    /// The book in `folder`, or an empty one when the folder has no state file yet.
    static func load(folder: String) throws(ReceiverError) -> CatalogBook {
        let path = folder + "/" + fileName
        let data: Data?
        do {
            data = try AtomicFile.read(path)
        } catch {
            throw ReceiverError(code: .io, description: "cannot read \(path): \(error)")
        }
        guard let data else { return CatalogBook() }
        struct Header: Decodable { var formatVersion: Int }
        if let header = try? JSONDecoder().decode(Header.self, from: data),
            header.formatVersion > currentFormatVersion
        {
            throw ReceiverError(
                code: .corruptState,
                description:
                    "\(path) has format version \(header.formatVersion); this reads \(currentFormatVersion) and older")
        }
        do {
            return try JSONDecoder().decode(CatalogBook.self, from: data)
        } catch {
            throw ReceiverError(
                code: .corruptState, description: "\(path) is not a receiver state file (truncated or edited?)")
        }
    }

    /// Writes the book (its `encoded` bytes, given when already made) to `folder` atomically.
    func save(folder: String, bytes: Data? = nil) throws(ReceiverError) {
        let path = folder + "/" + Self.fileName
        do {
            try AtomicFile.makeFolder(folder)
            try AtomicFile.write(bytes ?? encoded, to: path)
        } catch {
            throw ReceiverError(code: .io, description: "cannot write \(path): \(error)")
        }
    }

    /// The state file's bytes, always in the current format: the snapshots written by
    /// `SnapshotCoder`'s fast canonical writer inside a small JSON object, which
    /// `JSONDecoder` reads back as a `CatalogBook`.
    var encoded: Data {
        var bytes = Array("{\n\"formatVersion\": \(Self.currentFormatVersion),\n".utf8)
        bytes += Array("\"journalSequence\": \(journalSequence),\n".utf8)
        let hashes = JSONValue.object(lastBodySHA256ByCatalog.mapValues { JSONValue.string($0) })
        bytes += Array("\"lastBodySHA256ByCatalog\": ".utf8) + hashes.bytes + Array(",\n".utf8)
        bytes += Array("\"snapshots\": [".utf8)
        for (index, snapshot) in snapshots.enumerated() {
            bytes += Array((index == 0 ? "\n" : ",\n").utf8)
            bytes += SnapshotCoder.encodeBytes(snapshot)
        }
        bytes += Array("]\n}\n".utf8)
        return Data(bytes)
    }

    /// The catalog named `name`.
    func snapshot(named name: String) -> Snapshot? {
        snapshots.first { $0.catalog.name == name }
    }

    /// Reads and checks a request body as the API would: a JSON object with `engine`,
    /// `engine_version`, the envelope's required fields, and a non-empty `events` array of
    /// known event types with object messages.
    static func check(_ body: Data) throws(BodyError) -> CheckedBody {
        try check(parse(body))
    }

    /// A body's JSON, or the API's answer to a body that is not JSON.
    static func parse(_ body: Data) throws(BodyError) -> JSONValue {
        do {
            return try JSONValue.parse(body)
        } catch {
            throw BodyError(code: "DLM.4001", message: "the body is not valid JSON")
        }
    }

    /// `check(_:)` of a body already parsed.
    static func check(_ root: JSONValue) throws(BodyError) -> CheckedBody {
        guard root.object != nil else { throw BodyError(code: "DLM.4001", message: "the body is not a JSON object") }
        func text(_ key: String, required: Bool) throws(BodyError) -> String? {
            guard let value = root[key], value != .null else {
                if required { throw BodyError(code: "DLM.4001", message: "the body has no \(key)") }
                return nil
            }
            guard let string = value.string else {
                throw BodyError(code: "DLM.4001", message: "\(key) must be a string")
            }
            if required && string.isEmpty { throw BodyError(code: "DLM.4001", message: "\(key) is empty") }
            return string
        }
        let envelope = RequestEnvelope(
            engine: try text("engine", required: true) ?? "",
            engineVersion: try text("engine_version", required: true) ?? "",
            instanceID: try text("instance_id", required: false), projectID: try text("project_id", required: false))
        do {
            try envelope.validate()
        } catch {
            throw BodyError(code: "DLM.4002", message: "\(error)")
        }
        guard let entries = root["events"]?.array else {
            throw BodyError(code: "DLM.4001", message: "the body has no events array")
        }
        guard !entries.isEmpty else { throw BodyError(code: "DLM.4001", message: "events is empty") }
        var checked = CheckedBody(events: [])
        for (offset, entry) in entries.enumerated() {
            let number = offset + 1
            guard entry.object != nil else {
                throw BodyError(code: "DLM.4001", message: "event \(number) is not a JSON object")
            }
            guard let name = entry["event_type"]?.string else {
                throw BodyError(code: "DLM.4001", message: "event \(number) has no event_type string")
            }
            guard let type = EventType(rawValue: name) else {
                throw BodyError(
                    code: "DLM.4003", message: "event \(number): \(name) is not one of the 31 event types")
            }
            guard let message = entry["event_message"], message.object != nil else {
                throw BodyError(code: "DLM.4001", message: "event \(number) (\(name)) has no event_message object")
            }
            if let stamp = entry["event_ts"], stamp != .null {
                guard let value = stamp.int else {
                    throw BodyError(code: "DLM.4001", message: "event \(number): event_ts must be an integer")
                }
                checked.latestTimestamp = max(checked.latestTimestamp ?? value, value)
            }
            guard let catalog = catalogName(type: type, message: message), !catalog.isEmpty else {
                throw BodyError(code: "DLM.4001", message: "event \(number) (\(name)) names no catalog (catName)")
            }
            checked.events.append((catalog, Event(type: type, message: message)))
        }
        return checked
    }

    /// The catalog an event belongs to: the CAT's `name`, the DB's `catalogName`, or the
    /// first `catName` found in the message.
    static func catalogName(type: EventType, message: JSONValue) -> String? {
        switch type {
        case .createCatalog, .dropCatalog: return message["catalog"]?["name"]?.string
        case .alterCatalog: return message["oldCatalog"]?["name"]?.string
        case .createDatabase, .dropDatabase: return message["database"]?["catalogName"]?.string
        case .alterDatabase: return message["oldDatabase"]?["catalogName"]?.string
        default: return firstCatName(message, depth: 0)
        }
    }

    private static func firstCatName(_ value: JSONValue, depth: Int) -> String? {
        guard depth < 8 else { return nil }
        switch value {
        case .object(let members):
            if let name = members["catName"]?.string { return name }
            for key in members.keys.sorted() {
                if let name = firstCatName(members[key]!, depth: depth + 1) { return name }
            }
            return nil
        case .array(let values):
            for element in values {
                if let name = firstCatName(element, depth: depth + 1) { return name }
            }
            return nil
        default:
            return nil
        }
    }

    /// The book after the events, all of them or none: a failing event leaves `self` as it was.
    func applying(_ body: CheckedBody, bodyHash: String, receivedAtMillis: Int64) throws(BodyError) -> CatalogBook {
        var catalogs: [String: Catalog] = [:]
        var stamps: [String: String] = [:]
        for snapshot in snapshots {
            catalogs[snapshot.catalog.name] = snapshot.catalog
            stamps[snapshot.catalog.name] = snapshot.capturedAt
        }
        let millis = body.latestTimestamp ?? receivedAtMillis
        let capturedAt = CaptureTime.iso8601(millis: millis)
        // Runs of consecutive events of one catalog are applied together.
        var start = 0
        while start < body.events.count {
            let name = body.events[start].catalog
            var end = start
            while end < body.events.count && body.events[end].catalog == name { end += 1 }
            let run = body.events[start..<end].map(\.event)
            let result: Catalog?
            do {
                result = try EventApplier.apply(run, to: catalogs[name])
            } catch {
                throw Self.locate(run, firstNumber: start + 1, catalog: catalogs[name], name: name)
            }
            catalogs[name] = nil
            stamps[name] = nil
            if let result {
                if catalogs[result.name] != nil {
                    throw BodyError(
                        code: "DLM.4004",
                        message: "events \(start + 1)…\(end) rename catalog \(name) to \(result.name), which exists")
                }
                catalogs[result.name] = result
                stamps[result.name] = capturedAt
            }
            start = end
        }
        var book = self
        book.formatVersion = Self.currentFormatVersion
        book.legacyLastBodySHA256 = nil
        for name in Set(body.events.map(\.catalog)) {
            book.lastBodySHA256ByCatalog[name] = bodyHash
        }
        book.snapshots = catalogs.keys.sorted().map { name in
            Snapshot(
                toolVersion: "schemasync-receiver", capturedAt: stamps[name] ?? capturedAt, scope: CaptureScope(),
                catalog: catalogs[name]!)
        }
        return book
    }

    /// The error of the first event of `run` that does not apply, numbered in the whole body.
    private static func locate(_ run: [Event], firstNumber: Int, catalog: Catalog?, name: String) -> BodyError {
        var state = catalog
        for (offset, event) in run.enumerated() {
            do {
                state = try EventApplier.apply([event], to: state)
            } catch {
                var reason = "\(error)"
                let inner = "event 1 (\(event.type.rawValue)): "
                if reason.hasPrefix(inner) { reason.removeFirst(inner.count) }
                return BodyError(
                    code: "DLM.4004",
                    message:
                        "event \(firstNumber + offset) (\(event.type.rawValue)) does not apply to catalog \(name): "
                        + "\(reason); nothing of this request was applied")
            }
        }
        return BodyError(code: "DLM.4004", message: "the events of catalog \(name) do not apply; nothing was applied")
    }

    /// Hex SHA-256 of a body.
    static func hash(_ body: Data) -> String {
        SHA256.hash(data: body).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
    }
}

/// The NDJSON record: each body answered 200 appended as one line and flushed to disk, with
/// the crash guarantee every NDJSON file of the project has (`SystemSupport.NDJSONFile`).
final class RecordFile: Sendable {
    let path: String

    /// Checks at start that the file can be opened for appending (created if missing).
    init(path: String) throws(ReceiverError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        self.path = path
        guard fd >= 0 else {
            throw ReceiverError(
                code: .io, description: "cannot open the record file \(path): \(String(cString: strerror(errno)))")
        }
        close(fd)
    }

    /// Appends the body as one line (a line break inside it, which JSON allows only as
    /// white space, becomes a space) and flushes it to disk.
    func append(_ body: Data) throws(ReceiverError) {
        let line = Data(body.map { $0 == 0x0A || $0 == 0x0D ? UInt8(ascii: " ") : $0 })
        do {
            try NDJSONFile.append(line, to: path)
        } catch {
            throw ReceiverError(code: .io, description: "cannot append to the record file: \(error)")
        }
    }
}
