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
    public static func redact(_ connection: String) -> String {
        if let schemeEnd = schemeEnd(connection) {
            return redactURL(connection, schemeEnd: schemeEnd)
        }
        return redactConninfo(connection)
    }

    /// The end of a leading `scheme://`, if the string starts with one.
    private static func schemeEnd(_ text: String) -> String.Index? {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
            let separator = text.range(of: "://")
        else { return nil }
        let scheme = text[..<separator.lowerBound]
        let valid = scheme.unicodeScalars.allSatisfy {
            $0.isASCII
                && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "+" || $0 == "-" || $0 == ".")
        }
        return valid ? separator.upperBound : nil
    }

    /// Where the user part of a URL ends (its `@`), if it has one. `rest` is what follows `://`.
    ///
    /// MySQL (`mysql://`, `mariadb://`): the last `@` of all of `rest`. Anything else (libpq):
    /// the last `@` before the first `/`.
    public static func userInfoEnd(scheme: some StringProtocol, rest: Substring) -> Substring.Index? {
        let lowered = scheme.lowercased()
        if lowered == "mysql" || lowered == "mariadb" { return rest.lastIndex(of: "@") }
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        return rest[..<pathStart].lastIndex(of: "@")
    }

    private static func redactURL(_ url: String, schemeEnd: String.Index) -> String {
        var result = String(url[..<schemeEnd])
        let rest = url[schemeEnd...]
        let scheme = url[..<schemeEnd].dropLast(3)
        var hostAndAfter = rest
        if let at = userInfoEnd(scheme: scheme, rest: rest) {
            let userinfo = rest[..<at]
            let user = userinfo.firstIndex(of: ":").map { userinfo[..<$0] } ?? userinfo
            result += user + "@"
            hostAndAfter = rest[rest.index(after: at)...]
        }
        guard let question = hostAndAfter.firstIndex(of: "?") else { return result + hostAndAfter }
        result += hostAndAfter[..<question]
        let query = hostAndAfter[hostAndAfter.index(after: question)...]
        let kept = query.split(separator: "&", omittingEmptySubsequences: false).filter { parameter in
            let key = parameter.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return !isSecretKey(key.removingPercentEncoding ?? key)
        }
        if !kept.isEmpty { result += "?" + kept.joined(separator: "&") }
        return result
    }

    private static func redactConninfo(_ conninfo: String) -> String {
        // keyword = value pairs, values optionally single-quoted with \' and \\ escapes.
        var out: [String] = []
        var index = conninfo.startIndex
        func skipSpaces() {
            while index < conninfo.endIndex, conninfo[index].isWhitespace { index = conninfo.index(after: index) }
        }
        while true {
            skipSpaces()
            guard index < conninfo.endIndex else { break }
            let keyStart = index
            while index < conninfo.endIndex, conninfo[index] != "=", !conninfo[index].isWhitespace {
                index = conninfo.index(after: index)
            }
            let key = String(conninfo[keyStart..<index])
            skipSpaces()
            guard index < conninfo.endIndex, conninfo[index] == "=" else {
                out.append(key)
                continue
            }
            index = conninfo.index(after: index)
            skipSpaces()
            let valueStart = index
            if index < conninfo.endIndex, conninfo[index] == "'" {
                index = conninfo.index(after: index)
                while index < conninfo.endIndex, conninfo[index] != "'" {
                    if conninfo[index] == "\\" { index = conninfo.index(after: index) }
                    if index < conninfo.endIndex { index = conninfo.index(after: index) }
                }
                if index < conninfo.endIndex { index = conninfo.index(after: index) }
            } else {
                while index < conninfo.endIndex, !conninfo[index].isWhitespace {
                    if conninfo[index] == "\\" { index = conninfo.index(after: index) }
                    if index < conninfo.endIndex { index = conninfo.index(after: index) }
                }
            }
            if !isSecretKey(key) { out.append("\(key)=\(conninfo[valueStart..<index])") }
        }
        return out.joined(separator: " ")
    }

    private static func isSecretKey(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return lowered == "password" || lowered == "pwd" || lowered == "sslpassword"
    }
}
