import Foundation
import SchemaCapture

/// How to reach a MySQL or MariaDB server, parsed from a `mysql://` (or `mariadb://`) URL.
///
/// `mysql://user[:password]@host[:port][/database][?ssl-mode=…&ssl-ca=…&socket=…&defaults-file=…]`.
/// The user part ends at the URL's last `@`: a password may hold `/`, `?`, `#`, `:` and `@`
/// as they are, and an `@` anywhere after it (a path, a query value) is written `%40`.
/// Every part is optional: what the URL leaves out comes from the option files (`~/.my.cnf`,
/// the `[client]` group, or `defaults-file`) and the client library's defaults, as the
/// `mysql` command line client does. The password, when the URL has none, comes from
/// `MYSQL_PWD` or an option file.
public struct ConnectionSettings: Sendable, Hashable {
    /// TLS modes, as the MySQL client's `--ssl-mode` spells them.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// No TLS.
        case disabled = "DISABLED"
        /// TLS when the server offers it, else plain (the default).
        case preferred = "PREFERRED"
        /// TLS or fail, without checking the server's certificate.
        case required = "REQUIRED"
        /// TLS, and the server's certificate checked against the CA.
        case verifyCA = "VERIFY_CA"
        /// TLS, the certificate checked against the CA and the host name.
        case verifyIdentity = "VERIFY_IDENTITY"
    }

    /// The user; nil for the option files' or the login name.
    public var user: String?
    /// The password from the URL; nil to use `MYSQL_PWD` or the option files.
    public var password: String?
    /// The host name or address; nil for the option files' or `localhost`.
    public var host: String?
    /// The TCP port; nil for the option files' or 3306.
    public var port: Int?
    /// The one database the URL names; nil when it names none.
    public var database: String?
    /// A unix socket path.
    public var socket: String?
    /// The TLS mode; nil when the URL gives none (the client library's default, `PREFERRED`).
    public var tlsMode: TLSMode?
    /// A CA certificate file (`ssl-ca`).
    public var tlsCA: String?
    /// A directory of CA certificates (`ssl-capath`).
    public var tlsCAPath: String?
    /// A client certificate (`ssl-cert`).
    public var tlsCert: String?
    /// The client certificate's key (`ssl-key`).
    public var tlsKey: String?
    /// An option file read instead of the default ones (`defaults-file`).
    public var defaultsFile: String?

    /// Creates settings from their parts; everything defaults to absent.
    public init(
        user: String? = nil, password: String? = nil, host: String? = nil, port: Int? = nil,
        database: String? = nil, socket: String? = nil, tlsMode: TLSMode? = nil, tlsCA: String? = nil,
        tlsCAPath: String? = nil, tlsCert: String? = nil, tlsKey: String? = nil, defaultsFile: String? = nil
    ) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.socket = socket
        self.tlsMode = tlsMode
        self.tlsCA = tlsCA
        self.tlsCAPath = tlsCAPath
        self.tlsCert = tlsCert
        self.tlsKey = tlsKey
        self.defaultsFile = defaultsFile
    }

    /// Parses a `mysql://` or `mariadb://` URL. Errors never quote the password.
    ///
    /// The URL is read byte by byte (UTF-8), as `Redaction` and the C client read strings
    /// (`ConnectionURL`): a delimiter followed by a combining mark is still a delimiter.
    public static func parse(_ url: String) throws(MySQLError) -> ConnectionSettings {
        let target = Redaction.redact(url)
        func invalid(_ message: String) -> MySQLError {
            MySQLError(code: .invalidURL, context: "reading the connection URL", message: message, target: target)
        }
        func decoded(_ bytes: ArraySlice<UInt8>) -> String? {
            ConnectionURL.text(bytes).removingPercentEncoding
        }
        guard let parts = ConnectionURL(url), parts.scheme == "mysql" || parts.scheme == "mariadb" else {
            throw invalid("the URL must start with mysql:// or mariadb://")
        }
        var rest = parts.rest[...]
        var settings = ConnectionSettings()

        // The user part ends at the last @ of the URL (as `Redaction` reads it), so that a
        // password may hold any character but `%` unencoded, and no other part is read from it.
        if let userinfo = parts.userInfo?[...] {
            let userText: ArraySlice<UInt8>
            if let colon = userinfo.firstIndex(of: ASCII.colon) {
                userText = userinfo[..<colon]
                // `host:3306/db?…@x`: no user part at all, but an @ later on (a socket path).
                let afterColon = userinfo[(colon + 1)...]
                let digits = afterColon.prefix(while: ASCII.isDigit)
                if !digits.isEmpty, let next = afterColon.dropFirst(digits.count).first,
                    next == ASCII.slash || next == ASCII.question
                {
                    throw invalid(
                        "an @ after the host and port (in the database name or a query value) must be written %40")
                }
                guard let password = decoded(afterColon) else {
                    throw invalid("the password is not valid percent-encoding")
                }
                settings.password = password
            } else {
                userText = userinfo
            }
            // A `/`, `?`, `#` or `@` in the user name: the last @ was in the path or the query.
            let misplaced: Set<UInt8> = [ASCII.slash, ASCII.question, ASCII.hash, ASCII.at]
            guard !userText.contains(where: misplaced.contains) else {
                throw invalid("an @ after the user part (in the database name or a query value) must be written %40")
            }
            guard let user = decoded(userText) else {
                throw invalid("the user name is not valid percent-encoding")
            }
            if !user.isEmpty { settings.user = user }
        }
        if rest.contains(ASCII.hash) { throw invalid("the URL has a fragment (#…); percent-encode a # as %23") }

        // Query parameters. Errors name only the keys this parser knows, never other text.
        let known = ["ssl-mode", "ssl-ca", "ssl-capath", "ssl-cert", "ssl-key", "socket", "defaults-file"]
        if let question = rest.firstIndex(of: ASCII.question) {
            let query = rest[(question + 1)...]
            rest = rest[..<question]
            for parameter in query.split(separator: ASCII.ampersand) {
                let parts = parameter.split(separator: ASCII.equals, maxSplits: 1, omittingEmptySubsequences: false)
                guard let rawKey = parts.first, let key = decoded(rawKey) else {
                    throw invalid("a query parameter cannot be decoded")
                }
                let normalized = key.lowercased().replacingOccurrences(of: "_", with: "-")
                guard parts.count == 2, let value = decoded(parts[1]), !value.isEmpty else {
                    throw invalid(
                        known.contains(normalized)
                            ? "the query parameter \(normalized) has no value" : "a query parameter has no value")
                }
                switch normalized {
                case "ssl-mode", "sslmode":
                    guard let mode = TLSMode(rawValue: value.uppercased().replacingOccurrences(of: "-", with: "_"))
                    else {
                        throw invalid(
                            "ssl-mode must be one of " + TLSMode.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    settings.tlsMode = mode
                case "ssl-ca": settings.tlsCA = value
                case "ssl-capath": settings.tlsCAPath = value
                case "ssl-cert": settings.tlsCert = value
                case "ssl-key": settings.tlsKey = value
                case "socket": settings.socket = value
                case "defaults-file": settings.defaultsFile = value
                case "password", "pwd":
                    throw invalid("give the password as user:password@ in the URL, in MYSQL_PWD, or in an option file")
                default:
                    throw invalid("an unknown query parameter (known: \(known.joined(separator: ", ")))")
                }
            }
        }

        let pathStart = rest.firstIndex(of: ASCII.slash) ?? rest.endIndex
        let hostPart = rest[..<pathStart]

        // Host and port; an IPv6 address is bracketed.
        var hostText: ArraySlice<UInt8> = hostPart
        var portText: ArraySlice<UInt8>?
        if hostPart.first == ASCII.openBracket {
            guard let close = hostPart.firstIndex(of: ASCII.closeBracket) else {
                throw invalid("an IPv6 address lacks its ]")
            }
            hostText = hostPart[(hostPart.startIndex + 1)..<close]
            let after = hostPart[(close + 1)...]
            if !after.isEmpty {
                guard after.first == ASCII.colon else { throw invalid("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = hostPart.lastIndex(of: ASCII.colon) {
            hostText = hostPart[..<colon]
            portText = hostPart[(colon + 1)...]
        }
        guard let host = decoded(hostText) else { throw invalid("the host is not valid percent-encoding") }
        if !host.isEmpty { settings.host = host }
        if let portText, !portText.isEmpty {
            guard portText.count <= 5, portText.allSatisfy(ASCII.isDigit),
                let port = Int(ConnectionURL.text(portText)), (1...65535).contains(port)
            else {
                throw invalid("the port must be a number from 1 to 65535")
            }
            settings.port = port
        }

        // The path: one database, or none.
        if pathStart < rest.endIndex {
            guard let database = decoded(rest[(pathStart + 1)...]) else {
                throw invalid("the database name is not valid percent-encoding")
            }
            if database.utf8.contains(ASCII.slash) {
                throw invalid("the URL's path names one database: percent-encode a / as %2F")
            }
            if !database.isEmpty { settings.database = database }
        }
        if settings.tlsMode == .disabled && (settings.tlsCA != nil || settings.tlsCert != nil) {
            throw invalid("ssl-mode=DISABLED contradicts ssl-ca / ssl-cert")
        }
        return settings
    }
}
