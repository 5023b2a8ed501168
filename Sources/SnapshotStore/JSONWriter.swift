import SchemaModel

/// A fast writer of pretty-printed JSON in exactly the form `SnapshotCoder` promises: two-space
/// indentation, `"key" : value`, `[]` and `{}` for empty containers, slashes not escaped.
///
/// Foundation's `JSONEncoder` with sorted keys took 5 s for a 10,000-table catalog; writing
/// straight into a byte buffer takes a small fraction of that. Callers write keys in sorted
/// order themselves (`JSONWritable`); a test proves the bytes equal to `JSONEncoder`'s.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Per open container: whether it has no member yet.
    private var empty: [Bool] = []

    init(capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
    }

    /// The bytes written, leaving the writer empty (no copy).
    mutating func takeBytes() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts an object member: the separator, the indentation and `"key" : `.
    mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        appendKeySeparator()
    }

    /// Starts an object member whose key is data (a dictionary's).
    mutating func key(_ key: String) {
        separate()
        string(key)
        bytes.removeLast()
        appendKeySeparator()
    }

    /// Starts an array element.
    mutating func element() { separate() }

    mutating func string(_ value: String) {
        JSONString.append(value, to: &bytes)
    }

    mutating func int(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // Digits least significant first, then reversed in place.
        let start = bytes.count
        var magnitude = value.magnitude
        repeat {
            bytes.append(0x30 + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    mutating func bool(_ value: Bool) {
        let text: StaticString = value ? "true" : "false"
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `"` then ` : ` after a key.
    private mutating func appendKeySeparator() {
        let separator: StaticString = "\" : "
        separator.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        empty.append(true)
    }

    private mutating func close(_ bracket: UInt8) {
        let wasEmpty = empty.removeLast()
        if !wasEmpty {
            newline(depth: empty.count)
        }
        bytes.append(bracket)
    }

    private mutating func separate() {
        if empty[empty.count - 1] {
            empty[empty.count - 1] = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
        newline(depth: empty.count)
    }

    private mutating func newline(depth: Int) {
        bytes.append(0x0A)
        let width = 2 * depth
        if width <= Self.spaces.count {
            bytes.append(contentsOf: Self.spaces[0..<width])
        } else {
            bytes.append(contentsOf: repeatElement(0x20, count: width))
        }
    }

    private static let spaces = [UInt8](repeating: 0x20, count: 128)
}

/// A value that writes itself as canonical JSON, keys in sorted order, nil optionals left out
/// (as the synthesized `Encodable` conformance does).
protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWriter {
    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        if let value { field(name, value) }
    }

    mutating func field(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
        field(name, value.map(Int64.init))
    }

    mutating func field(_ name: StaticString, _ value: Bool?) {
        guard let value else { return }
        key(name)
        bool(value)
    }

    mutating func field<T: OpenStringSet>(_ name: StaticString, _ value: T?) {
        field(name, value?.rawValue)
    }

    mutating func field(_ name: StaticString, _ values: [String]) {
        key(name)
        beginArray()
        for value in values {
            element()
            string(value)
        }
        endArray()
    }

    mutating func field<T: OpenStringSet>(_ name: StaticString, _ values: [T]) {
        field(name, values.map(\.rawValue))
    }

    mutating func field(_ name: StaticString, _ values: [String: String]) {
        key(name)
        beginObject()
        for (entryKey, value) in values.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
        {
            key(entryKey)
            string(value)
        }
        endObject()
    }

    mutating func field<T: JSONWritable>(_ name: StaticString, _ value: T?) {
        guard let value else { return }
        key(name)
        value.write(to: &self)
    }

    mutating func field<T: JSONWritable>(_ name: StaticString, _ values: [T]) {
        key(name)
        beginArray()
        for value in values {
            element()
            value.write(to: &self)
        }
        endArray()
    }
}
