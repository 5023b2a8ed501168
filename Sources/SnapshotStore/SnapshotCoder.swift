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
    /// `path` names the file in errors.
    package static func decode(_ data: Data, path: String) throws -> Snapshot {
        if data.isEmpty {
            throw SnapshotStoreError(code: .corrupt, path: path, message: "the file is empty (truncated?)")
        }
        struct Header: Decodable { var formatVersion: Int? }
        let decoder = JSONDecoder()
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw SnapshotStoreError(
                code: .corrupt, path: path, message: "not valid JSON (truncated or edited?): \(describe(error))")
        }
        guard let version = header.formatVersion else {
            throw SnapshotStoreError(code: .corrupt, path: path, message: "no formatVersion: not a schemasync snapshot")
        }
        guard version <= Snapshot.currentFormatVersion else {
            throw SnapshotStoreError(
                code: .unsupportedFormat, path: path,
                message: "format version \(version); this schemasync reads up to \(Snapshot.currentFormatVersion)")
        }
        do {
            return try decoder.decode(Snapshot.self, from: data)
        } catch {
            throw SnapshotStoreError(code: .corrupt, path: path, message: "not a complete snapshot: \(describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return String(describing: error) }
        func location(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? context.debugDescription : "at \(path): \(context.debugDescription)"
        }
        switch error {
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return [location(context), underlying].compactMap { $0 }.joined(separator: " ")
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\" \(location(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return location(context)
        @unknown default:
            return String(describing: error)
        }
    }
}
