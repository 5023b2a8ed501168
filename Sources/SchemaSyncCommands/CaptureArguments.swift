import ArgumentParser
import MySQLCapture
import PostgresCapture
import SchemaCapture
import SchemaModel

/// What to read from a source: shared by the commands that capture.
struct CaptureArguments: ParsableArguments {
    @Option(
        name: .long, parsing: .singleValue,
        help: "A database to read (repeatable, or comma-separated); `all` reads every database. Default: the URL's.")
    var databases: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "Keep only `schema.table` matching this glob (repeatable).")
    var include: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "Leave out `schema.table` matching this glob (repeatable).")
    var exclude: [String] = []

    @Option(name: .long, help: "Seconds to wait for a connection.")
    var connectTimeout: Int = 10

    @Option(name: .long, help: "Seconds any one catalog query may run.")
    var statementTimeout: Int = 300

    /// Whether no option narrows or widens what is read.
    var isDefaultScope: Bool { databases.isEmpty && include.isEmpty && exclude.isEmpty }

    /// These arguments, with the scope of `snapshot` when no option gives one: a capture
    /// compared with a snapshot reads what that snapshot read.
    func withScope(of snapshot: Snapshot?) -> CaptureArguments {
        guard let scope = snapshot?.scope, isDefaultScope else { return self }
        var arguments = self
        arguments.databases = scope.databases
        arguments.include = scope.include
        arguments.exclude = scope.exclude
        return arguments
    }

    func options(sourceName: String, capturedAtMillis: Int64) -> CaptureOptions {
        let databases = self.databases.flatMap { $0.split(separator: ",").map { String($0).trimmed } }.filter {
            !$0.isEmpty
        }
        return CaptureOptions(
            sourceName: sourceName, databases: databases, filter: NameFilter(include: include, exclude: exclude),
            connectTimeout: connectTimeout, statementTimeout: statementTimeout, capturedAtMillis: capturedAtMillis)
    }
}

extension String {
    var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}

/// Chooses the connector for a connection string.
enum SourceConnector {
    static func reader(for connection: String) throws -> any CatalogReader {
        // The scheme read on bytes, as the connectors read it. Before the conninfo test: a
        // mysql:// URL's query part holds `=` too.
        let scheme = ConnectionURL(connection)?.scheme
        if scheme == "mysql" || scheme == "mariadb" {
            return MySQLCatalogReader(connection: connection)
        }
        if scheme == "postgresql" || scheme == "postgres" || connection.utf8.contains(UInt8(ascii: "=")) {
            return PostgresCatalogReader(connection: connection)
        }
        throw UsageError(
            description: "cannot tell the source's engine from \"\(Redaction.redact(connection))\": "
                + "give a postgresql:// URL, a libpq conninfo string (host=… dbname=…) or a mysql:// URL")
    }
}
