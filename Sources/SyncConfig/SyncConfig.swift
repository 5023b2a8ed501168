/// The configuration file (YAML; docs/config.md): where snapshots live, where events go,
/// and the sources to read.
public struct SyncConfig: Sendable {
    /// The snapshot store: a folder (default `./snapshots`), or a PostgreSQL URL or conninfo
    /// (docs/store.md).
    public var snapshots: String
    /// Where events go.
    public var sink: SinkConfig
    /// The sources, in file order.
    public var sources: [SourceConfig]
    /// A PostgreSQL store's schema (`snapshots_schema`; nil: `schemasync`).
    public var snapshotsSchema: String? = nil

    /// The source with this name.
    public func source(named name: String) -> SourceConfig? { sources.first { $0.name == name } }
}

/// A secret read from the config (an AK's SK, a token, a password): its value is never
/// shown; `description` says `<redacted>`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The value, for the one place that uses it (a signer, a login).
    public let value: String

    /// A secret with this value.
    public init(_ value: String) { self.value = value }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }
    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }
}

/// Where events go.
public struct SinkConfig: Sendable {
    /// `dataarts`, `file` or `stdout`.
    public enum Kind: String, Sendable, CaseIterable {
        case dataarts
        case file
        case stdout
    }

    /// How the sink authenticates to DataArts Studio.
    public enum Auth: Sendable {
        /// AK/SK request signing; a security token for temporary credentials.
        case accessKey(ak: String, sk: Secret, securityToken: Secret?)
        /// A ready `X-Auth-Token`.
        case token(Secret)
        /// A token obtained from IAM with a password.
        case password(user: String, password: Secret, domain: String, iamEndpoint: String?)
    }

    /// The kind of sink.
    public var kind: Kind
    /// DataArts: `https://dayu.<region>.myhuaweicloud.com`, from `endpoint:` or `region:`.
    public var endpoint: String?
    /// DataArts: the project in the URL path (`/v1/{project_id}/…`).
    public var projectID: String?
    /// DataArts: the credentials.
    public var auth: Auth?
    /// At most this many events per request (`batch.max_events`, default 500).
    public var maxEvents: Int
    /// At most this many bytes of body per request (`batch.max_bytes`, default 1 MiB).
    public var maxBytes: Int
    /// DataArts: a CA bundle to verify the endpoint with.
    public var caFile: String?
    /// DataArts: skip certificate verification (logged as a warning).
    public var insecure: Bool
    /// file: the NDJSON file to append to.
    public var path: String?
    /// DataArts: seconds to wait for a connection (`timeouts.connect`, default 10).
    public var connectTimeout: Double = 10
    /// DataArts: seconds one request may take (`timeouts.request`, default 60).
    public var requestTimeout: Double = 60
    /// DataArts: requests per body at most, the first included (`retry.max_attempts`, default 6).
    public var maxAttempts: Int = 6
    /// DataArts: seconds after which no retry starts (`retry.max_seconds`, default 120).
    public var maxRetrySeconds: Double = 120
    /// DataArts: the backoff's first ceiling in seconds (`retry.base_delay`, default 0.5).
    public var baseDelay: Double = 0.5
    /// DataArts: the backoff's largest ceiling in seconds (`retry.max_delay`, default 30).
    public var maxDelay: Double = 30
    /// DataArts: at most this many requests start per second, over every source of a run
    /// (`max_requests_per_second`, default 20); 0: no limit. Not used by file and stdout.
    public var maxRequestsPerSecond: Double = defaultMaxRequestsPerSecond

    /// The default rate limit: 20 requests per second, under the DataArts Data Map API's 50
    /// per user with room for a second run (a cron run and a manual one) and the console.
    public static let defaultMaxRequestsPerSecond = 20.0

    /// The default events per request: 500 (docs/delivery.md says why). The API documents
    /// no limit per request; `max_bytes` (1 MiB) still bounds every body.
    public static let defaultMaxEvents = 500
}

/// One source: a database server to read.
public struct SourceConfig: Sendable {
    /// The source's name: its catalog name and its folder in the store.
    public var name: String
    /// The connection URL (`postgresql://…`, a libpq conninfo, `mysql://…`).
    public var url: String
    /// The databases to read: names, `all`, or empty for the URL's own.
    public var databases: [String]
    /// `schema.table` globs to keep.
    public var include: [String]
    /// `schema.table` globs to leave out.
    public var exclude: [String]
    /// The envelope's `engine`.
    public var engine: String
    /// The envelope's `engine_version`; `auto` is the server's version.
    public var engineVersion: String
    /// The envelope's `instance_id` (required for MRS and DWS).
    public var instanceID: String?
    /// The envelope's `project_id` (required for DLI).
    public var projectID: String?
    /// The largest share of the source's tables one run may drop without `--allow-drops`.
    public var maxDropRatio: Double
}
