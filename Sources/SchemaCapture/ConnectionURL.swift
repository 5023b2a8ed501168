/// A connection URL (`scheme://[user[:password]@]rest`) split at its user part, byte by byte.
///
/// Every delimiter of a connection string is an ASCII byte, and libpq and MariaDB
/// Connector/C read them as bytes: so does this. Reading `Character`s instead would miss a
/// delimiter that a combining mark follows (`:` + U+0301 is one `Character`, and not `:`),
/// and would put the password in the user name or the host. Splitting UTF-8 at ASCII bytes
/// always leaves valid UTF-8 on both sides.
package struct ConnectionURL: Sendable, Hashable {
    /// The scheme, lower-cased ASCII (`postgresql`, `mysql`).
    package var scheme: String
    /// Everything before the `@` that ends the user part, as written; nil when there is no `@`.
    package var userInfo: [UInt8]?
    /// What follows the user part (host, port, path, query), as written.
    package var rest: [UInt8]

    /// The user name of `userInfo`, as written (before its first `:`).
    package var user: [UInt8]? {
        userInfo.map { info in Array(info.prefix { $0 != ASCII.colon }) }
    }

    /// The password of `userInfo`, as written (after its first `:`); nil when there is no `:`.
    package var password: [UInt8]? {
        guard let info = userInfo, let colon = info.firstIndex(of: ASCII.colon) else { return nil }
        return Array(info[(colon + 1)...])
    }

    /// Splits `text`; nil when it does not start with `scheme://` (an ASCII letter, then
    /// ASCII letters, digits, `+`, `-` or `.`).
    ///
    /// Where the user part ends depends on the scheme. MySQL (`mysql://`, `mariadb://`,
    /// schemasync's own rule): at the last `@` of the whole URL, so a password may hold `/`,
    /// `?`, `#`, `:` and `@` unencoded. Anything else (libpq): at the last `@` before the
    /// first `/`.
    package init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, ASCII.isLetter(first) else { return nil }
        var index = 0
        while index < bytes.count, ASCII.isSchemeByte(bytes[index]) { index += 1 }
        guard index + 2 < bytes.count, bytes[index] == ASCII.colon, bytes[index + 1] == ASCII.slash,
            bytes[index + 2] == ASCII.slash
        else { return nil }
        scheme = String(decoding: bytes[..<index].map(ASCII.lowercased), as: UTF8.self)
        let afterScheme = bytes[(index + 3)...]
        let at: Int?
        if scheme == "mysql" || scheme == "mariadb" {
            at = afterScheme.lastIndex(of: ASCII.at)
        } else {
            let pathStart = afterScheme.firstIndex(of: ASCII.slash) ?? afterScheme.endIndex
            at = afterScheme[..<pathStart].lastIndex(of: ASCII.at)
        }
        if let at {
            userInfo = Array(afterScheme[..<at])
            rest = Array(afterScheme[(at + 1)...])
        } else {
            userInfo = nil
            rest = Array(afterScheme)
        }
    }

    /// The text of bytes cut out of a valid UTF-8 string at ASCII bytes.
    package static func text(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}

/// The ASCII bytes connection strings are split on, and the byte classes libpq uses.
package enum ASCII {
    package static let colon = UInt8(ascii: ":")
    package static let slash = UInt8(ascii: "/")
    package static let at = UInt8(ascii: "@")
    package static let question = UInt8(ascii: "?")
    package static let hash = UInt8(ascii: "#")
    package static let ampersand = UInt8(ascii: "&")
    package static let equals = UInt8(ascii: "=")
    package static let quote = UInt8(ascii: "'")
    package static let backslash = UInt8(ascii: "\\")
    package static let openBracket = UInt8(ascii: "[")
    package static let closeBracket = UInt8(ascii: "]")

    /// `name` between two `delimiter`s, each delimiter inside it doubled byte by byte, as
    /// the servers read quoted identifiers (PostgreSQL's `"`, MySQL's backtick): a delimiter
    /// followed by a combining mark is one `Character`, but still a delimiter.
    package static func delimited(_ name: String, by delimiter: UInt8) -> String {
        var quoted: [UInt8] = [delimiter]
        for byte in name.utf8 {
            if byte == delimiter { quoted.append(delimiter) }
            quoted.append(byte)
        }
        quoted.append(delimiter)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// C's `isspace` in the C locale: space, tab, newline, vertical tab, form feed, carriage
    /// return. A non-ASCII space (U+00A0) is part of a value, as libpq reads it.
    package static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    package static func isLetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    package static func isDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte)
    }

    /// A letter, digit, `_` or `-`: what a libpq keyword (`sslmode`) or a query key
    /// (`ssl-mode`) is made of.
    package static func isKeywordByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    static func isSchemeByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
    }
}
