import Foundation
public import SchemaCapture
public import SchemaModel

/// Reads a MySQL or MariaDB server's catalog (one or more databases) into the canonical model.
///
/// The connection is a `mysql://` (or `mariadb://`) URL, with `MYSQL_PWD` and the option
/// files (`~/.my.cnf`, `defaults-file`) as the `mysql` client reads them. A fixed set of bulk
/// information_schema queries, each over every database read at once, runs on a few
/// connections in parallel (`parallelism`); see docs/capture-mysql.md for why.
public struct MySQLCatalogReader: CatalogReader {
    /// The URL, as given (it may hold a password: never shown; see `target`).
    public var connection: String
    /// A password to use instead of the URL's, `MYSQL_PWD` or the option files; nil for those.
    public var password: String?
    /// How many connections run the bulk queries at once (at least 1).
    public var parallelism: Int

    /// Tests only: runs after the binary log position is read and before the catalog is (DDL
    /// that lands between the two).
    var beforeCatalogRead: (@Sendable () throws -> Void)?

    /// Creates a reader for a URL; `password`, when given, wins over every other source.
    public init(connection: String, password: String? = nil, parallelism: Int = 4) {
        self.connection = connection
        self.password = password
        self.parallelism = parallelism
    }

    /// The URL with any password removed, for messages and snapshots.
    public var target: String { Redaction.redact(connection) }

    /// Reads the databases `options` names into one catalog. Blocking: call it via `runBlocking` from async code.
    public func capture(_ options: CaptureOptions) throws -> (Catalog, CaptureStatistics) {
        let settings = try ConnectionSettings.parse(connection)
        let secret = password ?? settings.password ?? ProcessInfo.processInfo.environment["MYSQL_PWD"]
        let connect: @Sendable () throws -> MySQLConnection = { [target] in
            let connection = try MySQLConnection(
                settings: settings, password: secret, database: settings.database,
                connectTimeout: options.connectTimeout, readTimeout: options.statementTimeout, target: target)
            // Before any query: the global sql_mode, time_zone and init_connect change what is printed.
            try connection.execute(CatalogQueries.printSettings, context: "setting up the session")
            return connection
        }
        let first = try connect()
        let flavor = ServerFlavor(versionString: first.serverInfo)
        let serverVersion = first.serverInfo
        // Before the catalog is read, and again after it (`BinaryLogReader.settle`).
        let logPosition = BinaryLogReader.position(first, flavor)
        try beforeCatalogRead?()

        // Which databases: the config's list, `all`, the URL's one, or (none) every one.
        let visible = try Self.databaseRows(first, flavor)
        let readEverything = options.allDatabases || (options.databases.isEmpty && settings.database == nil)
        var names: [String]
        if readEverything {
            names = visible.keys.filter {
                !CatalogQueries.systemDatabases.contains($0.lowercased()) && options.filter.mayKeep(schema: $0)
            }
            // A database delivered before and no longer listed: dropped, or hidden by revoked
            // privileges. The server tells which; hidden must never read as dropped.
            for name in options.expectedDatabases where visible[name] == nil && options.filter.mayKeep(schema: name) {
                var reason = "it is not listed"
                do {
                    try first.execute("USE " + quoteIdentifier(name), context: "checking database \(name)")
                } catch let error as MySQLError where error.errorNumber == 1049 {
                    continue
                } catch let error as MySQLError {
                    reason = error.message
                }
                // To an account without privileges on it, a dropped database and a hidden one
                // answer alike (1044): only the user can say which.
                throw MySQLError(
                    code: .insufficientPrivilege, context: "checking database \(name), delivered before",
                    message: "this account no longer sees it (\(reason)): dropped, or its privileges revoked, which "
                        + "the server does not tell this account; nothing was reported as dropped. Grant the "
                        + "capture account its privileges again, or if it was dropped, run again with --allow-drops",
                    target: target)
            }
        } else {
            names = options.databases.isEmpty ? [settings.database ?? ""] : options.databases
            names = Array(Set(names))
            for name in names where visible[name] == nil {
                // Not listed: missing, or no privilege on it. The server says which.
                try first.execute("USE " + quoteIdentifier(name), context: "opening database \(name)")
                throw MySQLError(
                    code: .databaseNotFound, context: "listing databases",
                    message: "database \(name) is not visible to this account", target: target)
            }
        }
        names.sort()

        var statistics = CaptureStatistics()
        var catalog = Catalog(
            name: options.sourceName, kind: flavor.isMariaDB ? .mariadb : .mysql, serverVersion: serverVersion,
            location: target)
        catalog.binaryLog = logPosition
        // Hints only about what this capture reads (its databases, include and exclude).
        let databases = Set(names)
        let inScope: (String, String) -> Bool = { databases.contains($0) && options.filter.keeps(schema: $0, name: $1) }
        if let since = options.previous?.binaryLog, let logPosition {
            catalog.nameChanges = BinaryLogReader.scoped(
                BinaryLogReader.nameChanges(from: since, to: logPosition, first, flavor: flavor), inScope: inScope)
        }
        guard !names.isEmpty else { return (catalog, statistics) }

        let start = DispatchTime.now().uptimeNanoseconds
        // SCHEMASYNC_MYSQL_CONNECTIONS overrides the number of connections (for tuning and the benchmark).
        let connections =
            ProcessInfo.processInfo.environment["SCHEMASYNC_MYSQL_CONNECTIONS"].flatMap { Int($0) } ?? parallelism
        let results = try BulkRead.run(
            names: names, flavor: flavor, first: first, connect: connect, parallelism: min(16, max(1, connections)),
            statementTimeout: options.statementTimeout)

        // A database dropped while it was read is gone, not empty: left out with `all`, an error when named.
        let after = try Self.databaseRows(first, flavor)
        var kept: [String] = []
        for name in names {
            if after[name] != nil {
                kept.append(name)
            } else if !readEverything {
                throw MySQLError(
                    code: .databaseNotFound, context: "reading database \(name)",
                    message: "database \(name) was dropped while it was read", target: target)
            }
        }
        // The catalog was read at no single point of the log: settle which hints hold and
        // which position the next run reads from.
        (catalog.binaryLog, catalog.nameChanges) = BinaryLogReader.settle(
            before: logPosition, after: BinaryLogReader.position(first, flavor), hints: catalog.nameChanges, first,
            flavor: flavor, inScope: inScope)
        let assembler = Assembler(flavor: flavor, options: options, results: results)
        catalog.databases = try kept.compactMap { name in
            try visible[name].map { try assembler.database(name, row: $0) }
        }
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        statistics.secondsPerStep = results.secondsPerStep
        statistics.secondsPerStep["assembling", default: 0] += max(0, total - results.wallSeconds)
        // The bulk queries cover every database at once: each is credited with all of them.
        for name in kept { statistics.queriesPerDatabase[name] = results.queryCount }
        return (catalog.canonicalized(), statistics)
    }

    /// Database name → (charset, collation, comment), for every database the account sees.
    static func databaseRows(_ connection: MySQLConnection, _ flavor: ServerFlavor) throws -> [String: [String?]] {
        var rows: [String: [String?]] = [:]
        for row in try connection.query(CatalogQueries.schemata(flavor), context: "listing databases").rows {
            rows[row.text(0)] = [row.string(1), row.string(2), row.string(3)]
        }
        return rows
    }
}
