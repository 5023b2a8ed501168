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
