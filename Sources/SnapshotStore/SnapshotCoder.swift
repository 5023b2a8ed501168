package import Foundation
package import SchemaModel

/// The canonical JSON form of a snapshot: keys sorted, two-space indentation, slashes not
/// escaped, one trailing newline. The same snapshot always gives the same bytes, and
/// `git diff` of two snapshots reads as the schema change.
package enum SnapshotCoder {
    /// The canonical bytes of a snapshot (its catalog canonicalized first).
    package static func encode(_ snapshot: Snapshot) throws -> Data {
        Data(encodeBytes(snapshot))
    }

    /// The canonical bytes as an array, for writing without another copy.
    package static func encodeBytes(_ snapshot: Snapshot) -> [UInt8] {
        var writer = JSONWriter(capacity: 1 << 20)
        if snapshot.catalog.isCanonical {
            snapshot.write(to: &writer)
        } else {
            var canonical = snapshot
            canonical.catalog = snapshot.catalog.canonicalized()
            canonical.write(to: &writer)
        }
        var bytes = writer.takeBytes()
        bytes.append(0x0A)
        return bytes
    }

    /// The same document through Foundation's `JSONEncoder` (sorted keys, pretty-printed,
    /// empty containers collapsed): the definition `encode` must match byte for byte.
    static func referenceEncode(_ snapshot: Snapshot) throws -> Data {
        var canonical = snapshot
        canonical.catalog = snapshot.catalog.canonicalized()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = collapseEmptyContainers(try encoder.encode(canonical))
        data.append(0x0A)
        return data
    }

    /// Foundation pretty-prints an empty array or object over three lines (`[`, a blank line,
    /// `]`); this writes `[]` and `{}`. Safe on JSON text: a raw newline never occurs inside a
    /// JSON string (it is escaped), so a bracket, newlines and spaces, and its closing bracket
    /// can only be structure.
    static func collapseEmptyContainers(_ json: Data) -> Data {
        let newline = UInt8(ascii: "\n")
        let space = UInt8(ascii: " ")
        var output = Data()
        output.reserveCapacity(json.count)
        json.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                output.append(byte)
                index += 1
                guard byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{"), index < bytes.count,
                    bytes[index] == newline
                else { continue }
                var probe = index
                while probe < bytes.count && (bytes[probe] == newline || bytes[probe] == space) { probe += 1 }
                let closing = byte == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
                if probe < bytes.count && bytes[probe] == closing {
                    output.append(closing)
                    index = probe + 1
                }
            }
        }
        return output
    }

    /// Reads a snapshot, refusing anything that is not a complete one of a known format.
    /// `path` names the file in errors. Read by `JSONReader` straight into the model (no
    /// `JSONDecoder`): any JSON layout is read, not only the canonical one.
    package static func decode(_ data: Data, path: String) throws -> Snapshot {
        if data.isEmpty {
            throw SnapshotStoreError(code: .corrupt, path: path, message: "the file is empty (truncated?)")
        }
        let parsed: Result<Snapshot, JSONReader.Failure> = data.withUnsafeBytes { raw in
            var reader = JSONReader(raw.bindMemory(to: UInt8.self))
            do {
                let snapshot = try Snapshot(json: &reader)
                try reader.finish()
                return .success(snapshot)
            } catch {
                return .failure(error as? JSONReader.Failure ?? reader.failure(String(describing: error)))
            }
        }
        // What is wrong is said in the order a reader meets it: not JSON, not a snapshot, a
        // newer format, then an incomplete one.
        let version: Int?
        switch parsed {
        case .success(let snapshot): version = snapshot.formatVersion
        case .failure(let failure):
            switch header(data) {
            case .failure(let syntax):
                throw SnapshotStoreError(
                    code: .corrupt, path: path, message: "not valid JSON (truncated or edited?): \(syntax)")
            case .success(nil):
                throw SnapshotStoreError(
                    code: .corrupt, path: path, message: "no formatVersion: not a schemasync snapshot")
            case .success(let found?):
                guard found <= Snapshot.currentFormatVersion else {
                    version = found
                    break
                }
                throw SnapshotStoreError(
                    code: .corrupt, path: path, message: "not a complete snapshot: \(failure)")
            }
        }
        if let version, version > Snapshot.currentFormatVersion {
            throw SnapshotStoreError(
                code: .unsupportedFormat, path: path,
                message: "format version \(version); this schemasync reads up to \(Snapshot.currentFormatVersion)")
        }
        guard case .success(let snapshot) = parsed else {
            preconditionFailure("every failure above has thrown")
        }
        return snapshot
    }

    /// The document's `formatVersion` (nil without one), or why it is not a JSON object.
    private static func header(_ data: Data) -> Result<Int?, JSONReader.Failure> {
        data.withUnsafeBytes { raw in
            var reader = JSONReader(raw.bindMemory(to: UInt8.self))
            var version: Int?
            do {
                try reader.object { reader, key in
                    if key == "formatVersion" {
                        version = try reader.nullable { try $0.int() }
                    } else {
                        try reader.skipValue()
                    }
                }
                try reader.finish()
                return .success(version)
            } catch {
                return .failure(error as? JSONReader.Failure ?? reader.failure(String(describing: error)))
            }
        }
    }

    /// The same through Foundation's `JSONDecoder` and the synthesized `Decodable`
    /// conformances: what `decode` must agree with (SnapshotCoderTests).
    static func referenceDecode(_ data: Data) throws -> Snapshot {
        try JSONDecoder().decode(Snapshot.self, from: data)
    }

    /// Whether `encoded`, the canonical bytes of a new snapshot, and `committed`, a snapshot
    /// file's, hold the same catalog, format version and scope: every byte but the capture
    /// time and the tool version is equal. False whenever `committed` is not in the canonical
    /// layout (hand-edited, another writer), so that a caller then decodes and compares.
    package static func sameCatalog(_ encoded: [UInt8], _ committed: Data) -> Bool {
        committed.withUnsafeBytes { raw in
            encoded.withUnsafeBytes { new in
                guard let old = catalogBytes(raw), let current = catalogBytes(new), old.count == current.count
                else { return false }
                return old.count == 0 || memcmp(old.baseAddress!, current.baseAddress!, old.count) == 0
            }
        }
    }

    /// Whether `encoded` and `committed`, canonical documents both, hold the same catalog but
    /// for where the binary log stands (`catalog.binaryLog`) and what it said since
    /// (`catalog.nameChanges`): a MySQL source whose server logged anything since the last
    /// run (every write moves the position), its schema unchanged. The diff of two such
    /// catalogs is empty whatever the hints say; only the new position needs recording.
    /// False for anything else, and whenever a document is not in the canonical layout.
    package static func sameCatalogButTheLog(_ encoded: [UInt8], _ committed: Data) -> Bool {
        committed.withUnsafeBytes { raw in
            encoded.withUnsafeBytes { new in
                guard let old = catalogBytes(raw), let current = catalogBytes(new),
                    let oldPieces = withoutLog(old), let currentPieces = withoutLog(current)
                else { return false }
                return equal(oldPieces, currentPieces)
            }
        }
    }

    /// The catalog's keys, in the canonical layout: four spaces in, each on a line of its own.
    private static let catalogKey = Array("\n    \"".utf8)
    private static let catalogEnd = Array("\n  }".utf8)
    private static let logKeys = ["binaryLog", "nameChanges"].map { Array("\n    \"\($0)\" : ".utf8) }

    /// The pieces of canonical catalog bytes that are left when the `binaryLog` and
    /// `nameChanges` members are cut out, each from its key's line to the next key's line or
    /// the catalog's closing brace (a deeper line is indented further; a raw newline is never
    /// inside a string); nil when a cut member is not one valid value.
    private static func withoutLog(_ bytes: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer]? {
        var pieces: [UnsafeRawBufferPointer] = []
        var from = 0
        for key in logKeys {
            guard let at = find(key, in: bytes, from: from) else { continue }
            let valueStart = at + key.count
            let end = min(
                find(catalogKey, in: bytes, from: valueStart) ?? bytes.count,
                find(catalogEnd, in: bytes, from: valueStart) ?? bytes.count)
            // What is cut must be the one member's value, whole and valid (then a comma):
            // nothing else on its lines, and no damage, goes unread.
            guard isOneValue(UnsafeRawBufferPointer(rebasing: bytes[valueStart..<end])) else { return nil }
            pieces.append(UnsafeRawBufferPointer(rebasing: bytes[from..<at]))
            from = end
        }
        pieces.append(UnsafeRawBufferPointer(rebasing: bytes[from...]))
        return pieces
    }

    /// Whether `bytes` are one valid JSON value, then at most a comma (a member's value).
    private static func isOneValue(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var value = bytes
        if let last = value.lastIndex(where: { $0 != 0x20 && $0 != 0x0A }), value[last] == UInt8(ascii: ",") {
            value = UnsafeRawBufferPointer(rebasing: value[..<last])
        }
        var reader = JSONReader(value.bindMemory(to: UInt8.self))
        do {
            try reader.skipValue()
            try reader.finish()
            return true
        } catch {
            return false
        }
    }

    /// Where `needle` first occurs in `bytes` at or after `from`.
    private static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard let first = needle.first, let base = bytes.baseAddress else { return nil }
        var at = from
        while at + needle.count <= bytes.count {
            guard let hit = memchr(base + at, Int32(first), bytes.count - at) else { return nil }
            let index = base.distance(to: UnsafeRawPointer(hit))
            guard index + needle.count <= bytes.count else { return nil }
            if memcmp(base + index, needle, needle.count) == 0 { return index }
            at = index + 1
        }
        return nil
    }

    /// Whether two lists of pieces hold the same bytes, read one after the other.
    private static func equal(_ a: [UnsafeRawBufferPointer], _ b: [UnsafeRawBufferPointer]) -> Bool {
        guard a.reduce(0, { $0 + $1.count }) == b.reduce(0, { $0 + $1.count }) else { return false }
        var (i, j, x, y) = (0, 0, 0, 0)  // piece and offset in each
        while true {
            while i < a.count && x == a[i].count { (i, x) = (i + 1, 0) }
            while j < b.count && y == b[j].count { (j, y) = (j + 1, 0) }
            guard i < a.count, j < b.count else { return i == a.count && j == b.count }
            let n = min(a[i].count - x, b[j].count - y)
            guard memcmp(a[i].baseAddress! + x, b[j].baseAddress! + y, n) == 0 else { return false }
            x += n
            y += n
        }
    }

    /// The bytes of a canonical document between its `capturedAt` line and its
    /// `toolVersion` line (the catalog, the format version, the scope); nil when the
    /// document does not begin and end as a canonical one does.
    private static func catalogBytes(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let head = Array("{\n  \"capturedAt\" : \"".utf8)
        let toolVersion = Array("\n  \"toolVersion\" : \"".utf8)
        let tail = Array("\"\n}\n".utf8)
        guard bytes.count > head.count + toolVersion.count + tail.count,
            bytes.starts(with: head), bytes.suffix(tail.count).elementsEqual(tail)
        else { return nil }
        // A raw newline is never inside a JSON string: the second line ends at the first one
        // after the head, and the toolVersion line is the one before the closing brace.
        guard let start = bytes[head.count...].firstIndex(of: 0x0A) else { return nil }
        guard let end = bytes[..<(bytes.count - tail.count)].lastIndex(of: 0x0A), end > start,
            bytes[end...].starts(with: toolVersion)
        else { return nil }
        // The two lines left out of the comparison must still be valid strings: a damaged
        // capture time or tool version is the full decode's to report, never skipped over.
        guard isOneValue(UnsafeRawBufferPointer(rebasing: bytes[(head.count - 1)..<start])),
            isOneValue(UnsafeRawBufferPointer(rebasing: bytes[(end + toolVersion.count - 1)..<(bytes.count - 2)]))
        else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }
}
