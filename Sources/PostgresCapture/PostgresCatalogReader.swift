import Dispatch
public import SchemaCapture
public import SchemaModel

/// Reads a PostgreSQL cluster's catalog (one or more databases) into the canonical model.
///
/// Connection strings follow libpq: a `postgresql://` URL or a conninfo string, with
/// `PGPASSWORD`, `~/.pgpass`, service files, `sslmode` and every other libpq convention.
/// Each database is read in one `REPEATABLE READ READ ONLY` transaction with a fixed set of
/// bulk catalog queries (`CatalogQueries`).
public struct PostgresCatalogReader: CatalogReader {
    /// The URL or conninfo, as given (it may hold a password: never shown; see `target`).
    public var connection: String
    /// A password to use instead of libpq's own sources; nil to let libpq find one.
    public var password: String?

    public init(connection: String, password: String? = nil) {
        self.connection = connection
        self.password = password
    }

    /// The connection string with any password removed, for messages and snapshots.
    public var target: String { Redaction.redact(connection) }

    public func capture(_ options: CaptureOptions) throws -> (Catalog, CaptureStatistics) {
        var statistics = CaptureStatistics()
        var catalog = Catalog(name: options.sourceName, kind: .postgresql, serverVersion: "", location: target)

        var first: PGConnection? = nil
        let names: [String]
        if options.databases.isEmpty || options.allDatabases {
            let connection = try connect(database: nil, options: options)
            first = connection
            if options.allDatabases {
                names = try connection.execute(CatalogQueries.databaseNames, context: "listing databases").rows.map {
                    $0.required(0)
                }
            } else {
                let current = try connection.execute("SELECT current_database()", context: "reading the database name")
                names = current.rows.map { $0.required(0) }
            }
        } else {
            names = Array(Set(options.databases)).sorted()
        }

        for name in names {
            let connection: PGConnection
            if let reused = first, names.first == name {
                connection = reused
            } else {
                do {
                    connection = try connect(database: name, options: options)
                } catch let error as PostgresError {
                    // With `all`, a database dropped since it was listed is gone, not unreadable:
                    // the server says so (3D000). A database asked for by name stays an error.
                    guard options.allDatabases, error.code == .databaseNotFound else { throw error }
                    continue
                }
            }
            first = nil
            let before = connection.queryCount
            let reader = DatabaseReader(connection: connection, options: options)
            let start = DispatchTime.now().uptimeNanoseconds
            catalog.databases.append(try reader.read())
            let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            catalog.serverVersion = Self.versionString(connection.serverVersionNumber)
            statistics.queriesPerDatabase[name] = connection.queryCount - before
            let queries = connection.secondsPerContext
            statistics.secondsPerStep.merge(queries, uniquingKeysWith: +)
            statistics.secondsPerStep["assembling", default: 0] += max(0, total - queries.values.reduce(0, +))
        }
        return (catalog.canonicalized(), statistics)
    }

    private func connect(database: String?, options: CaptureOptions) throws -> PGConnection {
        var overrides: [(String, String)] = []
        if let database { overrides.append(("dbname", database)) }
        if let password { overrides.append(("password", password)) }
        var context = target
        if let database { context += " database \"\(database)\"" }
        return try PGConnection(
            connection: connection,
            defaults: [("connect_timeout", String(options.connectTimeout)), ("fallback_application_name", "schemasync")],
            overrides: overrides,
            target: context)
    }

    /// `150018` → `15.18`; `90624` → `9.6.24`.
    static func versionString(_ number: Int) -> String {
        if number >= 100000 { return "\(number / 10000).\(number % 10000)" }
        return "\(number / 10000).\(number / 100 % 100).\(number % 100)"
    }
}
