import Foundation
import SchemaModel

/// A reader of JSON text straight from its bytes, for the snapshot's model types
/// (ModelJSONReading.swift): the counterpart of `JSONWriter`. It reads any JSON, not only
/// the canonical layout; it builds no intermediate tree, so a value is read once, into the
/// model type that holds it.
struct JSONReader {
    /// What is wrong, and where: the byte offset and the line.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var line: Int
        var description: String { "\(message) (line \(line), byte \(offset))" }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// A failure at the current offset.
    func failure(_ message: String) -> Failure {
        let end = min(offset, bytes.count)
        var line = 1
        for index in 0..<end where bytes[index] == 0x0A { line += 1 }
        return Failure(message: message, offset: offset, line: line)
    }

    /// The value of a property that is not optional, or a failure naming the missing key.
    func required<T>(_ value: T?, _ key: String, of type: String) throws -> T {
        guard let value else { throw failure("missing key \"\(key)\" in a \(type)") }
        return value
    }

    /// Fails unless only white space is left.
    mutating func finish() throws {
        skipSpace()
        guard offset == bytes.count else { throw failure("unexpected text after the document") }
    }

    @inline(__always)
    private mutating func skipSpace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// The next byte after white space, not consumed; nil at the end.
    @inline(__always)
    private mutating func peek() -> UInt8? {
        skipSpace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek() == byte else {
            throw failure(offset < bytes.count ? "expected \(what)" : "unexpected end (truncated?)")
        }
        offset += 1
    }

    /// Reads an object: `member` is called with each key, the reader at its value, which
    /// `member` must read or skip.
    mutating func object(_ member: (inout JSONReader, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "an object")
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try string()
            try expect(UInt8(ascii: ":"), "':' after a key")
            try member(&self, key)
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                return
            case nil: throw failure("unexpected end (truncated?)")
            default: throw failure("expected ',' or '}' in an object")
            }
        }
    }

    /// Reads an array: `element` is called with the reader at each element.
    mutating func array(_ element: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["), "an array")
        if peek() == UInt8(ascii: "]") {
            offset += 1
            return
        }
        while true {
            try element(&self)
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return
            case nil: throw failure("unexpected end (truncated?)")
            default: throw failure("expected ',' or ']' in an array")
            }
        }
    }

    /// An array of model values.
    mutating func array<T: JSONReadable>(of type: T.Type) throws -> [T] {
        var values: [T] = []
        try array { r in values.append(try T(json: &r)) }
        return values
    }

    mutating func strings() throws -> [String] {
        var values: [String] = []
        try array { r in values.append(try r.string()) }
        return values
    }

    mutating func stringDictionary() throws -> [String: String] {
        var values: [String: String] = [:]
        try object { r, key in values[key] = try r.string() }
        return values
    }

    /// nil for `null`, else the value `read` reads.
    mutating func nullable<T>(_ read: (inout JSONReader) throws -> T) throws -> T? {
        if peek() == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        return try read(&self)
    }

    /// One of the cases of a closed set of strings.
    mutating func closedSet<T: RawRepresentable>(_ type: T.Type) throws -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else { throw failure("unknown value \"\(text)\" for \(T.self)") }
        return value
    }

    mutating func bool() throws -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default: throw failure("expected true or false")
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        let matches = word.withUTF8Buffer { expected in
            offset + count <= bytes.count && (0..<count).allSatisfy { bytes[offset + $0] == expected[$0] }
        }
        guard matches else { throw failure("expected \(word)") }
        offset += count
    }

    mutating func int() throws -> Int {
        Int(try int64())
    }

    /// An integer; a number with a fraction or an exponent is refused, as `JSONDecoder`
    /// refuses it for an integer property unless it is whole (which the writer never writes).
    mutating func int64() throws -> Int64 {
        skipSpace()
        let start = offset
        let integral = try number()
        guard integral else { throw failure("expected an integer") }
        guard let value = JSONNumber.int64(bytes, start..<offset) else { throw failure("an integer out of range") }
        return value
    }

    /// Steps over a number by JSON's grammar; whether it is integral.
    private mutating func number() throws -> Bool {
        do {
            let (end, integral) = try JSONNumber.scan(bytes, at: offset)
            offset = end
            return integral
        } catch {
            switch error {
            case .noDigit: throw failure("expected a number")
            case .leadingZero: throw failure("a number with a leading zero")
            case .noFractionDigit: throw failure("a number without digits after its point")
            case .noExponentDigit: throw failure("a number without digits in its exponent")
            }
        }
    }

    mutating func string() throws -> String {
        guard peek() == UInt8(ascii: "\"") else { throw failure("expected a string") }
        offset += 1
        let start = offset
        var ascii = true
        // The common case: no escape, one copy into the String.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                // ASCII is valid UTF-8 as it is (most strings; `String(validating:)` costs a
                // generic metadata lookup per call, a fifth of a snapshot's decode).
                if ascii { return String(decoding: text, as: UTF8.self) }
                // Bytes that are not UTF-8 are damage, as `JSONDecoder` says: never repaired
                // into U+FFFD (a damaged name would then be diffed as a rename or a drop).
                guard let valid = String(validating: text, as: UTF8.self) else {
                    offset -= 1
                    throw failure("a string that is not valid UTF-8")
                }
                return valid
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw failure("a control character in a string") }
            if byte >= 0x80 { ascii = false }
            offset += 1
        }
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw failure("a string that is not valid UTF-8")
                }
                return text
            case UInt8(ascii: "\\"):
                guard offset < bytes.count else { break }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    do {
                        let (scalar, end) = try JSONString.unicodeEscape(in: bytes, at: offset)
                        offset = end
                        utf8.append(contentsOf: String(Character(scalar)).utf8)
                    } catch {
                        switch error {
                        case .notHex: throw failure("an invalid \\u escape")
                        case .loneSurrogate: throw failure("an unpaired surrogate in a string")
                        }
                    }
                default: throw failure("an invalid escape in a string")
                }
            default:
                if byte < 0x20 { throw failure("a control character in a string") }
                utf8.append(byte)
            }
        }
        throw failure("unexpected end in a string (truncated?)")
    }

    /// Skips any value, checking its syntax.
    mutating func skipValue() throws {
        switch peek() {
        case UInt8(ascii: "{"): try object { r, _ in try r.skipValue() }
        case UInt8(ascii: "["): try array { r in try r.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): try literal("null")
        case nil: throw failure("unexpected end (truncated?)")
        default: _ = try number()
        }
    }

    /// Skips any value by its structure alone, a tight scan for a skim that reads a few
    /// fields of a large document (SnapshotSkim.swift): brackets are counted and strings
    /// stepped over (`memchr` to each quote; one preceded by an odd run of backslashes is
    /// escaped); nothing is built or checked beyond that. Valid JSON is skipped exactly as
    /// `skipValue` skips it; damage may go unnoticed here, so whatever skims must leave the
    /// rest to the full reader.
    mutating func skipStructure() throws {
        guard peek() != nil, let base = bytes.baseAddress else { throw failure("unexpected end (truncated?)") }
        let count = bytes.count
        var depth = 0
        while offset < count {
            if depth > 0 {
                // Inside a container only quotes and brackets matter.
                while offset < count {
                    let byte = base[offset]
                    let folded = byte | 0x20  // `[` → `{`, `]` → `}`
                    if byte == UInt8(ascii: "\"") || folded == UInt8(ascii: "{") || folded == UInt8(ascii: "}") {
                        break
                    }
                    offset += 1
                }
                guard offset < count else { break }
            }
            switch base[offset] {
            case UInt8(ascii: "\""):
                try skipStringBody(base, count)
                if depth == 0 { return }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                offset += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                // At depth 0: the end of the container around a scalar, not consumed.
                guard depth > 0 else { return }
                depth -= 1
                offset += 1
                if depth == 0 { return }
            case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
                // The end of a scalar at depth 0 (inside a container these are skipped above).
                return
            default: offset += 1
            }
        }
        guard depth == 0 else { throw failure("unexpected end (truncated?)") }
    }

    /// From a string's opening quote to just past its closing one.
    @inline(__always)
    private mutating func skipStringBody(_ base: UnsafePointer<UInt8>, _ count: Int) throws {
        let start = offset + 1
        var from = start
        while from < count {
            guard let found = memchr(base + from, Int32(UInt8(ascii: "\"")), count - from) else { break }
            let quote = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - base
            var backslashes = 0
            while quote - backslashes > start && base[quote - backslashes - 1] == UInt8(ascii: "\\") {
                backslashes += 1
            }
            if backslashes % 2 == 0 {
                offset = quote + 1
                return
            }
            from = quote + 1
        }
        offset = count
        throw failure("unexpected end in a string (truncated?)")
    }
}

/// A model value read from JSON (ModelJSONReading.swift).
protocol JSONReadable {
    init(json reader: inout JSONReader) throws
}
