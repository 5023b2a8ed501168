import Foundation
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

    /// Creates a reader for a URL or conninfo; `password`, when given, is used instead of libpq's own sources.
    public init(connection: String, password: String? = nil) {
        self.connection = connection
        self.password = password
    }

    /// The connection string with any password removed, for messages and snapshots.
    public var target: String { Redaction.redact(connection) }

    /// A PostgreSQL capture needs nothing of the previous one: its databases are listed from
    /// the catalog (`pg_database`), not from what the account happens to see.
    public var readsPreviousCapture: Bool { false }

    /// Reads the databases `options` names into one catalog. Blocking: call it via `runBlocking` from async code.
    public func capture(_ options: CaptureOptions) throws -> (Catalog, CaptureStatistics) {
        var statistics = CaptureStatistics()
        var catalog = Catalog(name: options.sourceName, kind: .postgresql, serverVersion: "", location: target)

        // The first connection goes to the URL's own database; it is reused for that
        // database only.
        var first: (connection: PGConnection, database: String)? = nil
        let names: [String]
        if options.databases.isEmpty || options.allDatabases {
            let connection = try connect(database: nil, options: options)
            let current = try connection.execute("SELECT current_database()", context: "reading the database name")
            let currentName = current.rows.map { $0.required(0) }.first ?? ""
            first = (connection, currentName)
            if options.allDatabases {
                names = try connection.execute(CatalogQueries.databaseNames, context: "listing databases").rows.map {
                    $0.required(0)
                }
            } else {
                names = [currentName]
            }
        } else {
            names = Array(Set(options.databases)).sorted()
        }

        for name in names {
            let connection: PGConnection?
            if let reused = first, reused.database == name {
                connection = reused.connection
                first = nil
            } else {
                connection = nil
            }
            if let database = try read(name, reusing: connection, options: options, statistics: &statistics) {
                catalog.databases.append(database.database)
                catalog.serverVersion = database.serverVersion
            }
        }
        return (catalog.canonicalized(), statistics)
    }

    /// Reads one database; nil when, with `all`, it was dropped since it was listed.
    ///
    /// A database dropped before or while it is read is gone, not unreadable. `DROP DATABASE
    /// … WITH (FORCE)` ends the reading session before the database disappears, so after a
    /// failure the database is looked for again, a few times over about a second: gone, it
    /// is left out; still there, it is read again; still failing, the error stands. A
    /// database asked for by name is never left out: any failure is an error, never a
    /// reason to report its objects as dropped.
    private func read(
        _ name: String, reusing reused: PGConnection?, options: CaptureOptions, statistics: inout CaptureStatistics
    ) throws -> (database: Database, serverVersion: String)? {
        var connection = reused
        var attempt = 0
        while true {
            do {
                let current = try connection ?? connect(database: name, options: options)
                connection = nil
                let before = current.queryCount
                let start = DispatchTime.now().uptimeNanoseconds
                let database = try DatabaseReader(connection: current, options: options).read()
                let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                statistics.queriesPerDatabase[name] = current.queryCount - before
                let queries = current.secondsPerContext
                statistics.secondsPerStep.merge(queries, uniquingKeysWith: +)
                statistics.secondsPerStep["assembling", default: 0] += max(0, total - queries.values.reduce(0, +))
                if let warning = Self.versionWarning(current.serverVersionNumber),
                    !statistics.warnings.contains(warning)
                {
                    statistics.warnings.append(warning)
                }
                return (database, Self.versionString(current.serverVersionNumber))
            } catch {
                connection = nil
                attempt += 1
                guard options.allDatabases else { throw error }
                if try !databaseExists(name, options: options) { return nil }
                guard attempt < 4 else { throw error }
                Thread.sleep(forTimeInterval: 0.25 * Double(attempt))
            }
        }
    }

    /// Whether the database is still there, asked over a new connection to the URL's database.
    private func databaseExists(_ name: String, options: CaptureOptions) throws -> Bool {
        let connection = try connect(database: nil, options: options)
        let rows = try connection.execute(
            "SELECT count(*) FROM pg_catalog.pg_database WHERE datname = $1", parameters: [name],
            context: "checking that database \"\(name)\" still exists")
        return rows.rows.first { _ in true }?.requiredInt(0) != 0
    }

    private func connect(database: String?, options: CaptureOptions) throws -> PGConnection {
        // Text comes back as UTF-8 whatever the database's encoding or PGCLIENTENCODING says.
        var overrides: [(String, String)] = [("client_encoding", "UTF8")]
        if let database { overrides.append(("dbname", database)) }
        if let password { overrides.append(("password", password)) }
        var context = target
        if let database { context += " database \"\(database)\"" }
        return try PGConnection(
            connection: connection,
            defaults: [
                ("connect_timeout", String(options.connectTimeout)), ("fallback_application_name", "schemasync"),
            ],
            overrides: overrides,
            target: context)
    }

    /// The newest major whose catalog the queries were checked against (see
    /// docs/capture-postgresql.md); a newer server is read with its queries.
    static let newestKnownMajor = 18
    /// The oldest major the queries support and the tests run.
    static let oldestSupportedMajor = 14

    /// A warning for a server newer than the newest known major: read, not refused.
    static func versionWarning(_ number: Int) -> String? {
        let major = number / 10000
        guard major > newestKnownMajor else { return nil }
        return "PostgreSQL \(versionString(number)) is newer than the newest major schemasync was tested with "
            + "(\(newestKnownMajor)): read with the PostgreSQL \(newestKnownMajor) catalog queries; what the newer "
            + "server added to its catalog is not captured"
    }

    /// `150018` → `15.18`; `90624` → `9.6.24`.
    static func versionString(_ number: Int) -> String {
        if number >= 100000 { return "\(number / 10000).\(number % 10000)" }
        return "\(number / 10000).\(number / 100 % 100).\(number % 100)"
    }
}
