/// One capture of a source: the header that says what and when, then the catalog.
///
/// The JSON of a snapshot is canonical (see `SnapshotStore.SnapshotCoder`): two captures
/// of an unchanged database at the same capture time give the same bytes.
public struct Snapshot: Sendable, Hashable, Codable {
    /// The snapshot format this document follows; readers refuse a newer one.
    public static let currentFormatVersion = 1

    /// The snapshot format version.
    public var formatVersion: Int
    /// The schemasync version that wrote it.
    public var toolVersion: String
    /// When the capture started, as ISO 8601 UTC with milliseconds (`2026-11-25T03:24:04.123Z`).
    public var capturedAt: String
    /// What was asked to be captured: a change of scope explains changes in the catalog.
    public var scope: CaptureScope
    /// The catalog: the source and everything read from it.
    public var catalog: Catalog

    /// Creates a snapshot; the format version defaults to the current one.
    public init(
        formatVersion: Int = Snapshot.currentFormatVersion,
        toolVersion: String,
        capturedAt: String,
        scope: CaptureScope,
        catalog: Catalog
    ) {
        self.formatVersion = formatVersion
        self.toolVersion = toolVersion
        self.capturedAt = capturedAt
        self.scope = scope
        self.catalog = catalog
    }
}

/// The part of a source that a capture read: which databases, which `schema.table` patterns.
public struct CaptureScope: Sendable, Hashable, Codable {
    /// The databases asked for: names, `["all"]`, or empty for the URL's own database.
    public var databases: [String]
    /// Glob patterns on `schema.table` (MySQL: `database.table`); empty means everything.
    public var include: [String]
    /// Glob patterns on `schema.table` left out.
    public var exclude: [String]

    /// Creates a scope; the defaults ask for the URL's own database, everything in it.
    public init(databases: [String] = [], include: [String] = [], exclude: [String] = []) {
        self.databases = databases
        self.include = include
        self.exclude = exclude
    }
}

/// The source instance: the top of the hierarchy (a PostgreSQL cluster, a MySQL server).
public struct Catalog: Sendable, Hashable, Codable {
    /// The source's name in the config (the catalog name events carry as `catName`).
    public var name: String
    /// The engine.
    public var kind: SourceKind
    /// The server's version as it reports it (`15.18`, `10.11.6-MariaDB`).
    public var serverVersion: String
    /// The source URL with any password removed.
    public var location: String
    /// The databases read, sorted by name.
    public var databases: [Database]
    /// MySQL and MariaDB: the binary log position the capture saw, when the account may read it.
    public var binaryLog: BinaryLogPosition?
    /// MySQL and MariaDB: what the DDL logged since the previous capture's position said about names.
    public var nameChanges: NameChangeLog?

    /// Creates a catalog of a source; the databases default to none.
    public init(name: String, kind: SourceKind, serverVersion: String, location: String, databases: [Database] = []) {
        self.name = name
        self.kind = kind
        self.serverVersion = serverVersion
        self.location = location
        self.databases = databases
    }
}

/// A database: a PostgreSQL database, or a MySQL database (which MySQL also calls a schema).
public struct Database: Sendable, Hashable, Codable {
    /// The database's name.
    public var name: String
    /// The server's stable identity (PostgreSQL: the database OID); nil where there is none.
    public var objectId: Int64?
    /// The role that owns the database.
    public var owner: String?
    /// The database's comment; nil without one.
    public var comment: String?
    /// PostgreSQL: the encoding (`UTF8`); MySQL: the default character set.
    public var encoding: String?
    /// The default collation (PostgreSQL `datcollate`, MySQL default collation).
    public var collation: String?
    /// PostgreSQL's `datctype`.
    public var ctype: String?
    /// Other settings, by name (PostgreSQL: `localeProvider`, `locale`, `icuRules`).
    public var options: [String: String]
    /// The schemas, sorted by name. MySQL has no schema level: its database holds one
    /// implicit schema named like the database, and no schema events are sent for it.
    public var schemas: [Schema]

    /// Creates a database; everything but its name defaults to absent or empty.
    public init(
        name: String, objectId: Int64? = nil, owner: String? = nil, comment: String? = nil,
        encoding: String? = nil, collation: String? = nil, ctype: String? = nil,
        options: [String: String] = [:], schemas: [Schema] = []
    ) {
        self.name = name
        self.objectId = objectId
        self.owner = owner
        self.comment = comment
        self.encoding = encoding
        self.collation = collation
        self.ctype = ctype
        self.options = options
        self.schemas = schemas
    }
}

/// A schema: a namespace of relations and routines inside a database.
public struct Schema: Sendable, Hashable, Codable {
    /// The schema's name.
    public var name: String
    /// PostgreSQL: the namespace OID.
    public var objectId: Int64?
    /// The role that owns the schema.
    public var owner: String?
    /// The schema's comment; nil without one.
    public var comment: String?
    /// Tables, views, materialized views, foreign tables and partitioned tables, sorted by
    /// name. Partitions are not here: they are recorded under their partitioned table.
    public var relations: [Relation]
    /// Functions and procedures, sorted by name then argument types.
    public var routines: [Routine]

    /// Creates a schema; everything but its name defaults to absent or empty.
    public init(
        name: String, objectId: Int64? = nil, owner: String? = nil, comment: String? = nil,
        relations: [Relation] = [], routines: [Routine] = []
    ) {
        self.name = name
        self.objectId = objectId
        self.owner = owner
        self.comment = comment
        self.relations = relations
        self.routines = routines
    }
}
