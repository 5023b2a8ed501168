/// An error from a MySQL or MariaDB source: what failed, where, and the server's own words.
///
/// `description` names the problem and what to do, with the MySQL error number and
/// SQLSTATE where there is one; it never holds a password (connection URLs are redacted).
public struct MySQLError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. An open set.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code as messages spell it (`query failed`).
        public var rawValue: String
        /// Creates a code from its text, whether or not this code knows it.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code as messages spell it: the raw value.
        public var description: String { rawValue }

        /// The URL could not be parsed.
        public static let invalidURL = Code(rawValue: "invalid connection URL")
        /// The server could not be reached (refused, unknown host, timeout).
        public static let unreachable = Code(rawValue: "unreachable")
        /// The server refused the credentials.
        public static let authenticationFailed = Code(rawValue: "authentication failed")
        /// The database named does not exist.
        public static let databaseNotFound = Code(rawValue: "database not found")
        /// The account lacks a privilege the capture needs.
        public static let insufficientPrivilege = Code(rawValue: "insufficient privilege")
        /// A TLS requirement could not be met.
        public static let tlsFailed = Code(rawValue: "TLS failed")
        /// Some other connection failure.
        public static let connectionFailed = Code(rawValue: "connection failed")
        /// A catalog query failed.
        public static let queryFailed = Code(rawValue: "query failed")
    }

    /// What kind of failure this is.
    public var code: Code
    /// What was being done (`connecting`, `reading columns`).
    public var context: String
    /// The server's or the client library's message.
    public var message: String
    /// The MySQL error number (`1045`), where there is one.
    public var errorNumber: Int?
    /// The SQLSTATE (`28000`), where there is one.
    public var sqlState: String?
    /// The redacted connection target.
    public var target: String?

    /// Creates an error from its parts.
    public init(
        code: Code, context: String, message: String, errorNumber: Int? = nil, sqlState: String? = nil,
        target: String? = nil
    ) {
        self.code = code
        self.context = context
        self.message = message
        self.errorNumber = errorNumber
        self.sqlState = sqlState
        self.target = target
    }

    /// The message shown to the user: what failed while doing what, the server's words, and advice.
    public var description: String {
        var text = "MySQL \(code) while \(context)"
        if let target { text += " (\(target))" }
        text += ": \(message)"
        if let errorNumber {
            text += " [error \(errorNumber)"
            if let sqlState { text += ", SQLSTATE \(sqlState)" }
            text += "]"
        } else if let sqlState {
            text += " [SQLSTATE \(sqlState)]"
        }
        if let advice { text += "\nhint: \(advice)" }
        return text
    }

    private var advice: String? {
        switch code {
        case .invalidURL:
            "give a URL like mysql://user@host:3306/database?ssl-mode=REQUIRED (see docs/capture-mysql.md)"
        case .unreachable:
            "check the host and port (or the socket), that the server is running, and any firewall"
        case .authenticationFailed:
            "check the user and the password (in the URL, MYSQL_PWD, or an option file such as ~/.my.cnf)"
        case .databaseNotFound:
            "check the database name in the URL or in `databases:`; `databases: all` reads every database"
        case .insufficientPrivilege:
            "grant the capture account SELECT (or SHOW VIEW / SHOW ROUTINE) on the databases to read"
        case .tlsFailed:
            "check ssl-mode and ssl-ca, and that the server has TLS enabled"
        default: nil
        }
    }

    /// The code a MySQL error number stands for.
    static func classify(errorNumber: Int, sqlState: String?) -> Code {
        switch errorNumber {
        case 1045, 1698, 1251: .authenticationFailed
        case 1044, 1142, 1143, 1227, 1370: .insufficientPrivilege
        case 1049: .databaseNotFound
        case 2002, 2003, 2005, 2006, 2013, 2055: .unreachable
        case 2026: .tlsFailed
        default: errorNumber >= 2000 && errorNumber < 3000 ? .connectionFailed : .queryFailed
        }
    }
}
