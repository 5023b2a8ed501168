import Foundation

/// Removing secrets from connection strings before they are shown, logged or stored.
public enum Redaction {
    /// The URL or libpq conninfo with any password removed.
    ///
    /// `postgresql://u:secret@h/db` → `postgresql://u@h/db`; a `password=` query parameter or
    /// conninfo keyword is dropped whole. It follows libpq's own reading: a string is a URL only
    /// when it starts with `scheme://`; the user part ends at the last `@` before the first
    /// `/` (a `?` or `#` inside a password does not end it); there is no fragment; query keys
    /// are percent-decoded; unquoted conninfo values take backslash escapes.
    ///
    /// `mysql://` and `mariadb://` URLs follow schemasync's own MySQL rule instead
    /// (`ConnectionSettings.parse` reads them the same way): the user part ends at the
    /// **last** `@` of the whole URL, so a password may hold `/`, `?`, `#`, `:` and `@`
    /// unencoded, and an `@` after the user part must be written `%40`.
    ///
    /// The string is read byte by byte (UTF-8), as libpq reads it (`ConnectionURL`): a
    /// delimiter followed by a combining mark is still a delimiter, and only the ASCII spaces
    /// separate conninfo pairs (a U+00A0 is part of a value). What cannot be read as a
    /// keyword and its value is left out: a word without `=`, a quoted value without its
    /// closing quote, a key or query key that is not ASCII letters, digits, `_` and `-` (libpq
    /// refuses such a string anyway, and what follows it may be a password), and a conninfo
    /// value holding a non-ASCII space (`host=h\u{2003}password=…`: a mistyped separator).
    public static func redact(_ connection: String) -> String {
        let bytes = Array(connection.utf8)
        guard let url = ConnectionURL(connection) else { return redactConninfo(bytes) }
        return redactURL(url, schemeAsWritten: bytes.prefix(url.scheme.utf8.count + 3))
    }

    private static func redactURL(_ url: ConnectionURL, schemeAsWritten: ArraySlice<UInt8>) -> String {
        var url = url
        if url.scheme != "mysql" && url.scheme != "mariadb", url.rest.contains(ASCII.at) {
            // libpq ends the user part at the first `/`, so it reads a password holding an
            // unencoded `/` (and then `?` or `@`) as host and port, and fails. An `@` left
            // after the user part may be the end of such a password: everything up to the
            // last `@` of the whole URL is hidden all the same (only the user name shows).
            let whole = (url.userInfo.map { $0 + [ASCII.at] } ?? []) + url.rest
            if let at = whole.lastIndex(of: ASCII.at) {
                url.userInfo = Array(whole[..<at])
                url.rest = Array(whole[(at + 1)...])
            }
        }
        var result = Array(schemeAsWritten)
        if let user = url.user {
            result += user
            result.append(ASCII.at)
        }
        let rest = url.rest
        guard let question = rest.firstIndex(of: ASCII.question) else { return ConnectionURL.text(result + rest) }
        result += rest[..<question]
        let query = rest[(question + 1)...]
        let kept = query.split(separator: ASCII.ampersand, omittingEmptySubsequences: false).filter { parameter in
            let key = ConnectionURL.text(parameter.prefix { $0 != ASCII.equals })
            return isShownKey(key.removingPercentEncoding ?? "")
        }
        if !kept.isEmpty {
            result.append(ASCII.question)
            result += kept.joined(separator: [ASCII.ampersand])
        }
        return ConnectionURL.text(result)
    }

    /// libpq's `conninfo_parse`: `keyword = value` pairs separated by ASCII spaces, values
    /// optionally single-quoted, with `\` escapes in both forms.
    private static func redactConninfo(_ conninfo: [UInt8]) -> String {
        var kept: [[UInt8]] = []
        var index = 0
        func skipSpaces() {
            while index < conninfo.count, ASCII.isSpace(conninfo[index]) { index += 1 }
        }
        while true {
            skipSpaces()
            guard index < conninfo.count else { break }
            let keyStart = index
            while index < conninfo.count, conninfo[index] != ASCII.equals, !ASCII.isSpace(conninfo[index]) {
                index += 1
            }
            let keyEnd = index
            let key = ConnectionURL.text(conninfo[keyStart..<keyEnd])
            skipSpaces()
            guard index < conninfo.count, conninfo[index] == ASCII.equals else { continue }  // no `=`: left out
            index += 1
            skipSpaces()
            let valueStart = index
            var complete = true
            if index < conninfo.count, conninfo[index] == ASCII.quote {
                index += 1
                complete = false
                while index < conninfo.count {
                    if conninfo[index] == ASCII.backslash {
                        index = min(index + 2, conninfo.count)
                        continue
                    }
                    index += 1
                    if conninfo[index - 1] == ASCII.quote {
                        complete = true
                        break
                    }
                }
            } else {
                while index < conninfo.count, !ASCII.isSpace(conninfo[index]) {
                    index = min(index + (conninfo[index] == ASCII.backslash ? 2 : 1), conninfo.count)
                }
            }
            // A non-ASCII space is part of the value to libpq, but may be a mistyped separator
            // with a password after it: such a value is left out.
            let value = ConnectionURL.text(conninfo[valueStart..<index])
            let spaced = value.unicodeScalars.contains { !$0.isASCII && $0.properties.isWhitespace }
            if complete && !spaced && isShownKey(key) {
                kept.append(Array(conninfo[keyStart..<keyEnd]) + [ASCII.equals] + conninfo[valueStart..<index])
            }
        }
        return ConnectionURL.text(Array(kept.joined(separator: [0x20])))
    }

    /// A key whose value may be shown: a plain keyword (ASCII letters, digits, `_`, `-`)
    /// that does not name a password.
    private static func isShownKey(_ key: String) -> Bool {
        guard !key.isEmpty, key.utf8.allSatisfy(ASCII.isKeywordByte) else { return false }
        let lowered = key.lowercased()
        return lowered != "password" && lowered != "pwd" && lowered != "sslpassword"
    }
}
