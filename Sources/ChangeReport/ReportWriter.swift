import Foundation
import SchemaModel

/// The bytes of a report, handed on in chunks of about `chunkSize` as they are written, so a
/// report of any size is never held whole.
struct ReportWriter {
    static let chunkSize = 1 << 16

    private var buffer: [UInt8] = []
    private let output: ([UInt8]) throws -> Void

    init(output: @escaping ([UInt8]) throws -> Void) {
        self.output = output
        buffer.reserveCapacity(Self.chunkSize + 4096)
    }

    mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.chunkSize { try flush() }
    }

    mutating func write(byte: UInt8) {
        buffer.append(byte)
    }

    /// Hands on what is buffered.
    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try output(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: Pretty-printed JSON

    /// A Foundation JSON value (`String`, `NSNumber`, `NSNull`, `[Any]`, `[String: Any]`, or a
    /// Swift number or `Bool`) in exactly the bytes `JSONSerialization` writes with
    /// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`, nested `indent` spaces deep:
    /// two-space indentation, `"key" : value`, empty containers as `[`, a blank line, `]`, keys
    /// in `JSONSerialization`'s order. Writing it here, straight into the buffer, is what makes
    /// a report of 150,000 changes take seconds (`JSONSerialization` writes one small string
    /// per character).
    mutating func json(_ value: Any, indent: Int) throws {
        // By dynamic type first: a failed cast of an array or a dictionary to `NSNumber` or
        // `String` bridges it to an `NSArray` or `NSDictionary`, which costs more than writing it.
        let type = type(of: value)
        if type == String.self, let string = value as? String {
            self.string(string)
        } else if type is NSNumber.Type, let number = value as? NSNumber {
            try self.number(number)
        } else if let object = value as? [String: Any] {
            buffer.append(UInt8(ascii: "{"))
            buffer.append(UInt8(ascii: "\n"))
            for (index, key) in Self.sortedKeys(object.keys).enumerated() {
                if index > 0 { append(",\n") }
                spaces(indent + 2)
                string(key)
                append(" : ")
                try json(object[key]!, indent: indent + 2)
            }
            buffer.append(UInt8(ascii: "\n"))
            spaces(indent)
            buffer.append(UInt8(ascii: "}"))
        } else if let array = value as? [Any] {
            buffer.append(UInt8(ascii: "["))
            buffer.append(UInt8(ascii: "\n"))
            for (index, element) in array.enumerated() {
                if index > 0 { append(",\n") }
                spaces(indent + 2)
                try json(element, indent: indent + 2)
            }
            buffer.append(UInt8(ascii: "\n"))
            spaces(indent)
            buffer.append(UInt8(ascii: "]"))
        } else if let string = value as? String {
            self.string(string)
        } else if type == Bool.self, let bool = value as? Bool {
            append(bool ? "true" : "false")
        } else if let number = value as? NSNumber {
            try self.number(number)
        } else if value is NSNull {
            append("null")
        } else {
            // Nothing else comes out of `JSONSerialization.jsonObject` or the records.
            let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
            buffer.append(contentsOf: data)
        }
        if buffer.count >= Self.chunkSize { try flush() }
    }

    /// As JSONSerialization: a boolean as `true`/`false`, a floating-point number without a
    /// trailing `.0`, an integer in digits.
    private mutating func number(_ number: NSNumber) throws {
        switch UInt8(bitPattern: number.objCType.pointee) {
        case UInt8(ascii: "c") where type(of: number) != NSNumber.self:  // a CFBoolean
            append(number.boolValue ? "true" : "false")
        case UInt8(ascii: "d"), UInt8(ascii: "f"):
            let double = number.doubleValue
            guard double.isFinite else {
                throw CocoaError(.propertyListReadCorrupt, userInfo: [NSDebugDescriptionErrorKey: "\(double)"])
            }
            var text = double.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            append(text)
        default:
            append(number.stringValue)
        }
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    private mutating func append(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    private static let blanks = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    private mutating func spaces(_ count: Int) {
        if count <= Self.blanks.count {
            buffer.append(contentsOf: Self.blanks[0..<count])
        } else {
            buffer.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
        }
    }

    /// A string as `JSONSerialization` escapes it: `"` and `\`, the control characters (`\n`,
    /// `\t`, … or `\u00xx`), nothing else (slashes and non-ASCII as they are).
    private mutating func string(_ value: String) {
        JSONString.append(value, to: &buffer)
    }

    /// Keys in `JSONSerialization`'s order (numeric, case-insensitive, forced ordering, the
    /// system locale). Keys of ASCII letters only (every key of the model's objects) compare
    /// as their lowercase forms where those differ, which is that order, without the cost of a
    /// locale-aware comparison; any other key set is sorted by that comparison itself.
    static func sortedKeys(_ keys: some Collection<String>) -> [String] {
        guard keys.allSatisfy({ $0.utf8.allSatisfy(isLetter) }) else { return keys.sorted(by: foundationOrdered) }
        return keys.sorted { a, b in
            var left = a.utf8.makeIterator()
            var right = b.utf8.makeIterator()
            while true {
                switch (left.next(), right.next()) {
                case (nil, nil): return foundationOrdered(a, b)
                case (nil, _): return true
                case (_, nil): return false
                case (.some(let l), .some(let r)):
                    if l | 0x20 != r | 0x20 { return l | 0x20 < r | 0x20 }
                }
            }
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    private static func foundationOrdered(_ a: String, _ b: String) -> Bool {
        let options: String.CompareOptions = [.numeric, .caseInsensitive, .forcedOrdering]
        return a.compare(b, options: options, range: a.startIndex..<a.endIndex, locale: NSLocale.system as Locale)
            == .orderedAscending
    }
}
