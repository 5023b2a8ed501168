/// An error from a PostgreSQL source: what failed, where, and the server's own words.
///
/// `description` names the problem and what to do; it never holds a password (connection
/// strings are redacted) nor the values of bound parameters.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. An open set.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code as messages spell it (`query failed`).
        public var rawValue: String
        /// Creates a code from its text, whether or not this code knows it.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code as messages spell it: the raw value.
        public var description: String { rawValue }

        /// The URL or conninfo could not be parsed.
        public static let invalidConnectionString = Code(rawValue: "invalid connection string")
        /// The server could not be reached (refused, unknown host, timeout).
        public static let unreachable = Code(rawValue: "unreachable")
        /// The server refused the credentials.
        public static let authenticationFailed = Code(rawValue: "authentication failed")
        /// The database named does not exist.
        public static let databaseNotFound = Code(rawValue: "database not found")
        /// The role lacks a privilege the capture needs.
        public static let insufficientPrivilege = Code(rawValue: "insufficient privilege")
        /// Some other connection failure.
        public static let connectionFailed = Code(rawValue: "connection failed")
        /// A catalog query failed.
        public static let queryFailed = Code(rawValue: "query failed")
        /// The server answered in a way the reader does not understand.
        public static let protocolViolation = Code(rawValue: "unexpected answer")
    }

    /// What kind of failure this is.
    public var code: Code
    /// What was being done (`connecting to database "orders"`, `reading indexes`).
    public var context: String
    /// The server's or libpq's message, first line.
    public var message: String
    /// The SQLSTATE, where the server sent one.
    public var sqlState: String?
    /// The server's DETAIL line, where it sent one.
    public var detail: String?
    /// The server's HINT, where it sent one; without it, `description` gives its own advice for some codes.
    public var hint: String?
    /// The redacted connection target.
    public var target: String?

    /// Creates an error from its parts.
    public init(
        code: Code, context: String, message: String, sqlState: String? = nil, detail: String? = nil,
        hint: String? = nil, target: String? = nil
    ) {
        self.code = code
        self.context = context
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.target = target
    }

    /// The message shown to the user: what failed while doing what, the server's words, and a hint.
    public var description: String {
        var text = "PostgreSQL \(code) while \(context)"
        if let target { text += " (\(target))" }
        text += ": \(message)"
        if let sqlState { text += " [SQLSTATE \(sqlState)]" }
        if let detail { text += "\ndetail: \(detail)" }
        if let advice = hint ?? defaultAdvice { text += "\nhint: \(advice)" }
        return text
    }

    private var defaultAdvice: String? {
        switch code {
        case .invalidConnectionString:
            "give a postgresql:// URL or a libpq conninfo string (host=… port=… dbname=… user=…)"
        case .unreachable:
            "check the host and port, that the server is running and accepts TCP connections, and any firewall"
        case .authenticationFailed:
            "check the user and the password (PGPASSWORD, ~/.pgpass or a service file) and pg_hba.conf"
        case .databaseNotFound:
            "check the database name in the URL or in `databases:`; `databases: all` reads every database"
        case .insufficientPrivilege:
            "grant the capture role CONNECT on the database (catalog reads need no other privilege)"
        default: nil
        }
    }
}
