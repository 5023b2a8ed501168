import Foundation

/// Removing secrets from connection strings before they are shown, logged or stored.
public enum Redaction {
    /// The URL or libpq conninfo with any password removed.
    ///
    /// `postgresql://u:secret@h/db` → `postgresql://u@h/db`; a `password=` query parameter or
    /// conninfo keyword is dropped whole.
    public static func redact(_ connection: String) -> String {
        if let schemeEnd = connection.range(of: "://") {
            return redactURL(connection, schemeEnd: schemeEnd)
        }
        return redactConninfo(connection)
    }

    private static func redactURL(_ url: String, schemeEnd: Range<String.Index>) -> String {
        var result = String(url[..<schemeEnd.upperBound])
        var rest = url[schemeEnd.upperBound...]
        // The authority ends at the first '/', '?' or '#'; userinfo ends at its last '@'.
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            let user = userinfo.firstIndex(of: ":").map { userinfo[..<$0] } ?? userinfo
            result += user + authority[at...]
        } else {
            result += authority
        }
        rest = rest[authorityEnd...]
        guard let question = rest.firstIndex(of: "?") else { return result + rest }
        result += rest[..<question]
        let query = rest[rest.index(after: question)...]
        let fragmentStart = query.firstIndex(of: "#") ?? query.endIndex
        let kept = query[..<fragmentStart].split(separator: "&", omittingEmptySubsequences: false).filter {
            !isSecretKey($0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "")
        }
        if !kept.isEmpty { result += "?" + kept.joined(separator: "&") }
        return result + query[fragmentStart...]
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
                while index < conninfo.endIndex, !conninfo[index].isWhitespace { index = conninfo.index(after: index) }
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
