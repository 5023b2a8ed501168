public import Foundation
import SchemaModel

/// Why a text is not JSON: what was expected, and the byte offset where it was not found.
public struct JSONParseError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The offset, from 0, of the byte where reading stopped.
    public var offset: Int
    /// What is wrong there.
    public var reason: String

    /// `reason` at `offset`.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// `not valid JSON at byte N: reason`.
    public var description: String { "not valid JSON at byte \(offset): \(reason)" }
}

/// Reads JSON text (RFC 8259) into a `JSONValue`, in one pass over the bytes: what the local
/// receiver does with every request body, so it is written for speed (no `Decoder`, no
/// intermediate objects) and for hostile input (nesting is bounded, every byte checked).
///
/// - An integer literal (no fraction, no exponent) that fits an `Int64` is `.int`; any
///   other number is `.double`. `-0` is `.int(0)`.
/// - Strings must be valid UTF-8 with no raw control characters; escapes include `\uXXXX`
///   and surrogate pairs (a lone surrogate is an error).
/// - A repeated key in an object keeps its last value. A leading UTF-8 byte order mark and
///   white space around the value are allowed; anything after it is an error.
public enum JSONParser {
    /// The deepest nesting of arrays and objects read (deeper is an error, not a crash).
    public static let maximumDepth = 512

    /// The value of the JSON text in `data`.
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = data.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw.bindMemory(to: UInt8.self))
            do throws(JSONParseError) {
                return .success(try reader.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func fail(_ reason: String) -> JSONParseError {
        JSONParseError(offset: position, reason: reason)
    }

    mutating func document() throws(JSONParseError) -> JSONValue {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
        skipSpace()
        let value = try self.value()
        skipSpace()
        guard position == bytes.count else { throw fail("text after the value") }
        return value
    }

    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func value() throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else { throw fail("the text ends where a value should be") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("a value cannot start here")
        }
    }

    mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw fail("expected \(word)") }
        let start = word.utf8Start
        for offset in 0..<count where bytes[position + offset] != start[offset] {
            throw fail("expected \(word)")
        }
        position += count
        return value
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= JSONParser.maximumDepth else {
            throw fail("nested deeper than \(JSONParser.maximumDepth) arrays and objects")
        }
    }

    mutating func object() throws(JSONParseError) -> JSONValue {
        try enter()
        position += 1
        var members: [String: JSONValue] = [:]
        skipSpace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw fail("expected a key (a string)")
            }
            let key = try string()
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw fail("expected :") }
            position += 1
            skipSpace()
            members[key] = try value()
            skipSpace()
            guard position < bytes.count else { throw fail("the text ends inside an object") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "}") else { throw fail("expected , or }") }
            position += 1
            depth -= 1
            return .object(members)
        }
    }

    mutating func array() throws(JSONParseError) -> JSONValue {
        try enter()
        position += 1
        var elements: [JSONValue] = []
        skipSpace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipSpace()
            elements.append(try value())
            skipSpace()
            guard position < bytes.count else { throw fail("the text ends inside an array") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == UInt8(ascii: "]") else { throw fail("expected , or ]") }
            position += 1
            depth -= 1
            return .array(elements)
        }
    }

    /// A string, from its opening quote; positioned after the closing one.
    mutating func string() throws(JSONParseError) -> String {
        position += 1
        let start = position
        var ascii = true
        // The common case: no escape. Find the closing quote, checking each byte.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<position])
                position += 1
                guard ascii || Self.isValidUTF8(slice) else {
                    position = start
                    throw fail("a string that is not valid UTF-8")
                }
                return String(decoding: slice, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw fail("a control character inside a string") }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        guard position < bytes.count else { throw fail("the text ends inside a string") }
        // An escape: copy the bytes, unescaping.
        var output = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard Self.isValidUTF8(output) else { throw fail("a string that is not valid UTF-8") }
                return String(decoding: output, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw fail("the text ends inside an escape") }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escaped)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"): try unicodeEscape(into: &output)
                default:
                    position -= 1
                    throw fail("an unknown escape")
                }
            default:
                guard byte >= 0x20 else { throw fail("a control character inside a string") }
                output.append(byte)
                position += 1
            }
        }
        throw fail("the text ends inside a string")
    }

    /// Whether the bytes are well-formed UTF-8 (`String(decoding:)` would replace what is not).
    static func isValidUTF8(_ bytes: some Sequence<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// `\uXXXX` (after the `u`), with the low half of a surrogate pair if it is one; appended as UTF-8.
    mutating func unicodeEscape(into output: inout [UInt8]) throws(JSONParseError) {
        do {
            let (scalar, end) = try JSONString.unicodeEscape(in: bytes, at: position)
            position = end
            output.append(contentsOf: String(Character(scalar)).utf8)
        } catch {
            switch error {
            case .notHex: throw fail("a \\u escape needs 4 hex digits")
            case .loneSurrogate: throw fail("a lone surrogate in a \\u escape")
            }
        }
    }

    /// A number: an integer literal that fits is `.int`, anything else `.double`.
    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = position
        let integral: Bool
        do {
            (position, integral) = try JSONNumber.scan(bytes, at: start)
        } catch {
            switch error {
            case .noDigit: throw fail("a number needs a digit")
            case .leadingZero: throw fail("a number with a leading zero")
            case .noFractionDigit: throw fail("a fraction needs a digit")
            case .noExponentDigit: throw fail("an exponent needs a digit")
            }
        }
        if integral, let value = JSONNumber.int64(bytes, start..<position) { return .int(value) }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        // A number too large for a Double (`1e400`) is refused, as `JSONDecoder` refuses it:
        // it would be kept as infinity and written back as something else.
        guard let value = Double(text), value.isFinite else {
            position = start
            throw fail("not a number, or too large for one")
        }
        return .double(value)
    }
}
