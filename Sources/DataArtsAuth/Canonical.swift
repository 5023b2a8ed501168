/// The text primitives of the SDK's signer, with Python's semantics: strings compare by code
/// point (not by Swift's canonical equivalence), `strip()` removes Python's whitespace set, and
/// percent-encoding keeps only `A-Z a-z 0-9 - _ . ~`.
enum Canonical {
    /// Whether `a` and `b` hold the same code points (Python's `==` on `str`).
    static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    /// Whether `a` sorts before `b` by code point (Python's `<` on `str`; UTF-8 preserves that order).
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Whether `text` starts with the code points of `prefix` (Python's `str.startswith`).
    static func starts(_ text: String, with prefix: String) -> Bool {
        text.utf8.starts(with: prefix.utf8)
    }

    /// Python's `str.lower()`: the full Unicode lower-case mapping.
    static func lower(_ text: String) -> String {
        text.lowercased()
    }

    /// The code points Python's `str.isspace()` accepts, which `str.strip()` removes.
    static let pythonWhitespace: Set<Unicode.Scalar> = {
        let values: [UInt32] =
            [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680]
            + Array(0x2000...0x200A) + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
        return Set(values.compactMap(Unicode.Scalar.init))
    }()

    /// Python's `str.strip()`: `text` without leading and trailing whitespace.
    static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !pythonWhitespace.contains($0) }),
            let last = scalars.lastIndex(where: { !pythonWhitespace.contains($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// The bytes that `quote(s, safe='~')` leaves alone: RFC 3986's unreserved characters.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Python's `quote(text, safe='~')`: every UTF-8 byte but the unreserved ones as `%XX`, hex upper-case.
    static func percentEncode(_ text: String) -> String {
        percentEncode(text.utf8)
    }

    /// `percentEncode` of UTF-8 bytes.
    static func percentEncode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            if isUnreserved(byte) {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value of one hex digit, or nil.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Python's `unquote(text)`: each `%XX` (either case) becomes its byte, any other `%` stays, and
    /// the bytes decode as UTF-8 with each ill-formed sequence replaced by U+FFFD.
    static func percentDecode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(UInt8(ascii: "%")) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `text.encode('utf-8').decode('iso-8859-1')`: each UTF-8 byte as the code point of that value.
    ///
    /// The SDK stores header values this way after it has built the canonical headers, so a value it
    /// reads back later (the `X-Sdk-Content-Sha256` payload marker) is this text.
    static func latin1View(ofUTF8 text: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.utf8.map { Unicode.Scalar($0) })
        return String(scalars)
    }
}
