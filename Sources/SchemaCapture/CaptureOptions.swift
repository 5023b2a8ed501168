public import SchemaModel

/// What to read from a source, shared by every connector.
public struct CaptureOptions: Sendable, Hashable {
    /// The name the catalog gets (the source's name in the config).
    public var sourceName: String
    /// The databases to read: names, or `all`; empty means the URL's own database.
    public var databases: [String]
    /// Which `schema.table` (MySQL `database.table`) to keep, and which to leave out.
    public var filter: NameFilter
    /// Seconds to wait for a connection.
    public var connectTimeout: Int
    /// Seconds any one catalog query may run.
    public var statementTimeout: Int
    /// When the capture started, in milliseconds since the epoch; the snapshot's capture time.
    public var capturedAtMillis: Int64
    /// Databases the last delivered snapshot holds. A reader that lists databases by what
    /// the account can see (MySQL) checks each one it no longer sees: gone, it is left out;
    /// possibly still there but unreadable (privileges revoked), it is an error, never a drop.
    /// Empty when drops are allowed (`--allow-drops`).
    public var expectedDatabases: [String] = []
    /// The last delivered capture, when there is one. MySQL and MariaDB read the binary log
    /// from its position for rename hints, and keep a view's last known columns when the
    /// server reports the view invalid (docs/capture-mysql.md): only that asks for its whole
    /// catalog, which is then decoded. PostgreSQL ignores it.
    public var previous: PreviousCapture?

    /// Creates options; unless told otherwise: the URL's own database, no filter, 10 s to connect, 300 s per query.
    public init(
        sourceName: String, databases: [String] = [], filter: NameFilter = NameFilter(),
        connectTimeout: Int = 10, statementTimeout: Int = 300, capturedAtMillis: Int64
    ) {
        self.sourceName = sourceName
        self.databases = databases
        self.filter = filter
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
        self.capturedAtMillis = capturedAtMillis
    }

    /// Whether every database of the server is asked for.
    public var allDatabases: Bool { databases.contains { $0.lowercased() == "all" } }

    /// The scope a snapshot records for these options.
    public var scope: CaptureScope {
        CaptureScope(databases: databases, include: filter.include, exclude: filter.exclude)
    }
}

/// Counts of what a capture did, for tests and logs.
public struct CaptureStatistics: Sendable, Hashable {
    /// Catalog queries sent per database.
    public var queriesPerDatabase: [String: Int] = [:]
    /// Seconds spent per step (a query's context, or `assembling`), summed over databases:
    /// where a capture's time goes, for `--log-level debug` and the benchmark.
    public var secondsPerStep: [String: Double] = [:]
    /// What the user should hear about the capture although it succeeded (a server newer than
    /// the connector knows, say), once each, for the command to log as warnings.
    public var warnings: [String] = []

    /// Creates statistics with nothing counted yet.
    public init() {}
}

/// A connector: reads one source's catalog into the model.
public protocol CatalogReader: Sendable {
    /// Reads the catalog. Blocking: call it through `runBlocking` from async code.
    func capture(_ options: CaptureOptions) throws -> (Catalog, CaptureStatistics)

    /// Whether `capture` reads `CaptureOptions.previous` and `expectedDatabases`. When it
    /// does not, a sync need not even skim the last delivered snapshot before capturing.
    /// Either way the snapshot is decoded whole only when something changed, or when the
    /// reader asks `PreviousCapture.catalog()`. True unless a reader says otherwise.
    var readsPreviousCapture: Bool { get }
}

extension CatalogReader {
    /// Readers read the previous capture unless they say otherwise.
    public var readsPreviousCapture: Bool { true }
}
