/// A string as JSON text, the one way every writer of the project quotes it (snapshots,
/// diff reports, request bodies): `"` and `\` escaped, the control characters as `\b`, `\f`,
/// `\n`, `\r`, `\t` or `\u00xx`, nothing else (slashes and non-ASCII as they are): the
/// escaping of `JSONEncoder` with `.withoutEscapingSlashes` and of `JSONSerialization`.
public enum JSONString {
    /// Appends `value`, quoted and escaped, to `output`; runs without escapes are copied whole.
    public static func append(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    hex.withUTF8Buffer { digits in
                        output.append(contentsOf: [
                            UInt8(ascii: "u"), 0x30, 0x30, digits[Int(byte >> 4)], digits[Int(byte & 0xF)],
                        ])
                    }
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONString {
    /// What is wrong with a `\u` escape.
    public enum EscapeError: Error, Sendable {
        /// Fewer than 4 hex digits.
        case notHex
        /// A high surrogate without its low half after it, or a low one alone.
        case loneSurrogate
    }

    /// Reads the `\u` escape whose 4 hex digits start at `start` (just after its `u`), with the
    /// `\uXXXX` of the low half after it when it is a high surrogate, as both JSON readers of the
    /// project read it (snapshots, the receiver's request bodies). Returns the scalar and the
    /// offset just after the escape.
    public static func unicodeEscape(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) throws(EscapeError) -> (
        scalar: Unicode.Scalar, end: Int
    ) {
        var end = start
        var value = try hex4(bytes, &end)
        if (0xD800..<0xDC00).contains(value) {
            guard end + 1 < bytes.count, bytes[end] == UInt8(ascii: "\\"), bytes[end + 1] == UInt8(ascii: "u") else {
                throw .loneSurrogate
            }
            end += 2
            let low = try hex4(bytes, &end)
            guard (0xDC00..<0xE000).contains(low) else { throw .loneSurrogate }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(value) {
            throw .loneSurrogate
        }
        // Every value left is a scalar: surrogates are paired above, the largest is 0x10FFFF.
        guard let scalar = Unicode.Scalar(value) else { throw .loneSurrogate }
        return (scalar, end)
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: inout Int) throws(EscapeError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw .notHex }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .notHex
            }
            value = value << 4 | UInt32(digit)
            offset += 1
        }
        return value
    }
}

/// JSON's number grammar (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`), as both JSON
/// readers of the project hold to it (as `JSONDecoder` does: `01`, `1.`, `.5`, `+1` and `1e`
/// are not numbers), and the integer value of an integral one.
public enum JSONNumber {
    /// What is wrong with a number.
    public enum ScanError: Error, Sendable {
        /// No digit where the number begins (after its `-`).
        case noDigit
        /// A `0` followed by another digit.
        case leadingZero
        /// A point without a digit after it.
        case noFractionDigit
        /// An `e` without a digit in its exponent.
        case noExponentDigit
    }

    /// Reads the number that begins at `start`: where it ends, and whether it is integral
    /// (no fraction, no exponent).
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) throws(ScanError) -> (
        end: Int, integral: Bool
    ) {
        var offset = start
        func digits() -> Int {
            let first = offset
            while offset < bytes.count, bytes[offset] &- 0x30 < 10 { offset += 1 }
            return offset - first
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let integer = offset
        guard digits() > 0 else { throw .noDigit }
        guard offset - integer == 1 || bytes[integer] != UInt8(ascii: "0") else { throw .leadingZero }
        var integral = true
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            integral = false
            offset += 1
            guard digits() > 0 else { throw .noFractionDigit }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            integral = false
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            guard digits() > 0 else { throw .noExponentDigit }
        }
        return (offset, integral)
    }

    /// The value of an integral number `scan` read in `range`; nil when it does not fit an
    /// `Int64` (accumulated negatively: `Int64.min` has no positive counterpart).
    public static func int64(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
        var offset = range.lowerBound
        let negative = offset < range.upperBound && bytes[offset] == UInt8(ascii: "-")
        if negative { offset += 1 }
        var value: Int64 = 0
        while offset < range.upperBound {
            let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowMinus) = times.subtractingReportingOverflow(Int64(bytes[offset] &- 0x30))
            guard !overflowTimes && !overflowMinus else { return nil }
            value = next
            offset += 1
        }
        if negative { return value }
        return value == Int64.min ? nil : -value
    }
}
