public import SchemaModel

/// One step of the difference between two catalogs: an object created, altered (renamed
/// included) or dropped, with the full object on each side it exists on.
///
/// Alters carry the whole old and the whole new object, drops the last known whole object:
/// a consumer never needs an earlier change to act on one.
///
/// `indirect`: each change's objects live in a box of their own, so a `SchemaChange` is a
/// few words, not the size of its largest case (two whole relations, about 600 bytes), and
/// the lists the differ concatenates copy those words only. A first delivery of 10,000
/// tables (97,621 changes) peaked at 354 MiB in the diff without it.
public indirect enum Change<Object: Sendable & Hashable>: Sendable, Hashable {
    case create(Object)
    case alter(old: Object, new: Object)
    case drop(Object)

    /// The object after the change; nil for a drop.
    public var new: Object? {
        switch self {
        case .create(let object), .alter(_, let object): object
        case .drop: nil
        }
    }

    /// The object before the change; nil for a create.
    public var old: Object? {
        switch self {
        case .drop(let object), .alter(let object, _): object
        case .create: nil
        }
    }

    /// Whether the change removes something from the catalog.
    public var isDrop: Bool {
        if case .drop = self { return true }
        return false
    }
}

/// A database, schema or table, named as it is at the moment a change is applied.
public struct TableReference: Sendable, Hashable, Codable {
    /// The database's name.
    public var database: String
    /// The schema's name (MySQL: the implicit schema, named like the database).
    public var schema: String
    /// The table's name.
    public var table: String

    /// Creates a reference from its three names.
    public init(database: String, schema: String, table: String) {
        self.database = database
        self.schema = schema
        self.table = table
    }
}

/// A relation with the schema it is in: a table moved to another schema is an alter whose
/// old and new `schema` differ.
public struct PlacedRelation: Sendable, Hashable {
    /// The database's name.
    public var database: String
    /// The schema the relation is in.
    public var schema: String
    /// The relation, with its columns and table-level properties; its keys, indexes,
    /// triggers and partitions are changes of their own.
    public var relation: Relation

    /// Places a relation in a database and schema.
    public init(database: String, schema: String, relation: Relation) {
        self.database = database
        self.schema = schema
        self.relation = relation
    }

    /// The reference to this relation.
    public var reference: TableReference {
        TableReference(database: database, schema: schema, table: relation.name)
    }
}

/// The catalog itself, without its databases.
public struct CatalogHeader: Sendable, Hashable {
    /// The source's name.
    public var name: String
    /// The engine.
    public var kind: SourceKind
    /// The server version.
    public var serverVersion: String
    /// The source URL without its password.
    public var location: String

    /// The header of a catalog.
    public init(_ catalog: Catalog) {
        name = catalog.name
        kind = catalog.kind
        serverVersion = catalog.serverVersion
        location = catalog.location
    }
}

/// A NOT NULL constraint: a column of a table that does not accept NULL.
public struct NotNullConstraint: Sendable, Hashable {
    /// The column's name.
    public var column: String
    /// The constraint's name: the server's, or `<table>_<column>_not_null` where it gives none.
    public var name: String
    /// PostgreSQL 18: the constraint's `pg_constraint.oid`; nil where the server keeps no
    /// record of its own (the name is derived).
    public var objectId: Int64?
    /// False for a constraint added `NOT VALID` (PostgreSQL 18).
    public var validated: Bool
    /// `NO INHERIT` (PostgreSQL 18).
    public var noInherit: Bool

    /// Creates a NOT NULL constraint on a column; unless told otherwise it is validated and inherited.
    public init(column: String, name: String, objectId: Int64? = nil, validated: Bool = true, noInherit: Bool = false) {
        self.column = column
        self.name = name
        self.objectId = objectId
        self.validated = validated
        self.noInherit = noInherit
    }

    /// What the column records of it: the server's own record (with an identity), or nothing
    /// where the name is derived.
    public var record: NotNullConstraintInfo? {
        objectId.map { NotNullConstraintInfo(name: name, objectId: $0, validated: validated, noInherit: noInherit) }
    }

    /// The constraint apart from its identity: what a server upgrade may renew.
    var withoutIdentity: NotNullConstraint {
        var copy = self
        copy.objectId = nil
        return copy
    }
}

/// One change of a schema difference, with where it applies.
public enum SchemaChange: Sendable, Hashable {
    /// The catalog (the source) appeared, changed (a server upgrade) or was retired.
    case catalog(Change<CatalogHeader>)
    /// A database; its schemas are left out of the value (they are changes of their own).
    case database(Change<Database>)
    /// A schema of a database; its relations and routines are left out of the value.
    case schema(database: String, Change<Schema>)
    /// A function or procedure. There is no alter: a changed routine is dropped and created.
    case routine(database: String, schema: String, Change<Routine>)
    /// A table, view, materialized view or foreign table, with its columns, CHECK and
    /// exclusion constraints and table-level properties.
    case relation(Change<PlacedRelation>)
    /// Columns added or dropped (alters carry one column each).
    case column(TableReference, Change<Column>)
    /// A NOT NULL constraint added or dropped: a change of nullability alone.
    case notNull(TableReference, Change<NotNullConstraint>)
    /// A primary key added or dropped (a changed key is dropped and added).
    case primaryKey(TableReference, Change<KeyConstraint>)
    /// A unique constraint added or dropped.
    case unique(TableReference, Change<KeyConstraint>)
    /// A foreign key added or dropped.
    case foreignKey(TableReference, Change<ForeignKey>)
    /// An index added, altered (renamed, comment) or dropped; a changed definition is a drop and an add.
    case index(TableReference, Change<Index>)
    /// A partition of a partitioned table added, altered or dropped.
    case partition(TableReference, Change<Partition>)
    /// A trigger added, altered (renamed, enabled or disabled, comment) or dropped.
    case trigger(TableReference, Change<Trigger>)

    /// Whether the change removes an object.
    public var isDrop: Bool {
        switch self {
        case .catalog(let change): change.isDrop
        case .database(let change): change.isDrop
        case .schema(_, let change): change.isDrop
        case .routine(_, _, let change): change.isDrop
        case .relation(let change): change.isDrop
        case .column(_, let change): change.isDrop
        case .notNull(_, let change): change.isDrop
        case .primaryKey(_, let change): change.isDrop
        case .unique(_, let change): change.isDrop
        case .foreignKey(_, let change): change.isDrop
        case .index(_, let change): change.isDrop
        case .partition(_, let change): change.isDrop
        case .trigger(_, let change): change.isDrop
        }
    }
}
