/// A table, view, materialized view, foreign table or partitioned table.
public struct Relation: Sendable, Hashable, Codable {
    /// The relation's name, unqualified.
    public var name: String
    /// What the relation is: table, view, materialized view, foreign or partitioned table.
    public var kind: RelationKind
    /// The server's stable identity (PostgreSQL: `pg_class.oid`; MySQL: the InnoDB table id).
    public var objectId: Int64?
    /// The role that owns the relation.
    public var owner: String?
    /// The relation's comment; nil without one.
    public var comment: String?
    /// The columns, in position order.
    public var columns: [Column]
    /// The PRIMARY KEY constraint; nil without one.
    public var primaryKey: KeyConstraint?
    /// UNIQUE constraints, sorted by name.
    public var uniqueConstraints: [KeyConstraint]
    /// Foreign keys, sorted by name.
    public var foreignKeys: [ForeignKey]
    /// CHECK constraints, sorted by name.
    public var checkConstraints: [CheckConstraint]
    /// Exclusion constraints (PostgreSQL), sorted by name.
    public var exclusionConstraints: [ExclusionConstraint]
    /// Indexes that do not back a constraint, sorted by name.
    public var indexes: [Index]
    /// Triggers, sorted by name.
    public var triggers: [Trigger]
    /// For a partitioned table: how it is partitioned.
    public var partitioning: Partitioning?
    /// For a partitioned table: its partitions, sorted by name.
    public var partitions: [Partition]
    /// For a view or materialized view: its definition.
    public var view: ViewDefinition?
    /// Storage and other settings by name: PostgreSQL `reloptions` (`fillfactor`), `persistence`
    /// (`unlogged`), `tablespace`, `inherits`; MySQL `engine`, `rowFormat`, `charset`, `collation`.
    public var options: [String: String]

    /// Creates a relation; everything but its name and kind defaults to absent or empty.
    public init(
        name: String, kind: RelationKind, objectId: Int64? = nil, owner: String? = nil, comment: String? = nil,
        columns: [Column] = [], primaryKey: KeyConstraint? = nil, uniqueConstraints: [KeyConstraint] = [],
        foreignKeys: [ForeignKey] = [], checkConstraints: [CheckConstraint] = [],
        exclusionConstraints: [ExclusionConstraint] = [], indexes: [Index] = [], triggers: [Trigger] = [],
        partitioning: Partitioning? = nil, partitions: [Partition] = [], view: ViewDefinition? = nil,
        options: [String: String] = [:]
    ) {
        self.name = name
        self.kind = kind
        self.objectId = objectId
        self.owner = owner
        self.comment = comment
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniqueConstraints = uniqueConstraints
        self.foreignKeys = foreignKeys
        self.checkConstraints = checkConstraints
        self.exclusionConstraints = exclusionConstraints
        self.indexes = indexes
        self.triggers = triggers
        self.partitioning = partitioning
        self.partitions = partitions
        self.view = view
        self.options = options
    }

    /// The column with this name, if any.
    public func column(named name: String) -> Column? { columns.first { $0.name == name } }
}

/// The query behind a view or materialized view.
public struct ViewDefinition: Sendable, Hashable, Codable {
    /// The definition as the server prints it (`pg_get_viewdef`, MySQL `VIEW_DEFINITION`).
    public var definition: String
    /// `LOCAL` or `CASCADED` for WITH CHECK OPTION; nil without.
    public var checkOption: String?
    /// MySQL: the view's definer (`user@host`).
    public var definer: String?
    /// MySQL: `DEFINER` or `INVOKER`; PostgreSQL: `INVOKER` for `security_invoker` views.
    public var securityType: String?

    /// Creates a view definition from the query and its optional check option and security.
    public init(definition: String, checkOption: String? = nil, definer: String? = nil, securityType: String? = nil) {
        self.definition = definition
        self.checkOption = checkOption
        self.definer = definer
        self.securityType = securityType
    }
}

/// A column of a relation.
public struct Column: Sendable, Hashable, Codable {
    /// The column's name.
    public var name: String
    /// 1-based position among the relation's live columns.
    public var position: Int
    /// The server's stable identity within the table (PostgreSQL `attnum`, which a rename keeps).
    public var objectId: Int64?
    /// The type as the server formats it: `character varying(64)`, `numeric(12,2)`,
    /// `integer[]`, `app.mood`; MySQL's `COLUMN_TYPE` (`int(10) unsigned`, `enum('a','b')`).
    public var type: String
    /// Whether the column accepts NULL (has no `NOT NULL`).
    public var nullable: Bool
    /// PostgreSQL 18: the NOT NULL constraint's own record (name, validity, `NO INHERIT`), on a
    /// table's column that is not nullable; nil before 18, where the name is derived.
    public var notNullConstraint: NotNullConstraintInfo?
    /// The default expression as the server prints it; nil without one.
    public var defaultValue: String?
    /// An identity or auto-increment.
    public var identity: IdentityKind?
    /// A generated column's expression and whether it is stored.
    public var generated: GeneratedColumn?
    /// The collation, where it differs from the type's (or the table's) default.
    public var collation: String?
    /// MySQL: the character set, where the column has one.
    public var charset: String?
    /// MySQL: `ON UPDATE` expression (`current_timestamp()`).
    public var onUpdate: String?
    /// MySQL 8 / MariaDB: an invisible column.
    public var invisible: Bool?
    /// The column's comment; nil without one.
    public var comment: String?

    /// Creates a column; everything but its name, position and type defaults to a plain nullable column.
    public init(
        name: String, position: Int, objectId: Int64? = nil, type: String, nullable: Bool = true,
        notNullConstraint: NotNullConstraintInfo? = nil, defaultValue: String? = nil, identity: IdentityKind? = nil,
        generated: GeneratedColumn? = nil,
        collation: String? = nil, charset: String? = nil, onUpdate: String? = nil, invisible: Bool? = nil,
        comment: String? = nil
    ) {
        self.name = name
        self.position = position
        self.objectId = objectId
        self.type = type
        self.nullable = nullable
        self.notNullConstraint = notNullConstraint
        self.defaultValue = defaultValue
        self.identity = identity
        self.generated = generated
        self.collation = collation
        self.charset = charset
        self.onUpdate = onUpdate
        self.invisible = invisible
        self.comment = comment
    }
}

/// A generated column's expression.
public struct GeneratedColumn: Sendable, Hashable, Codable {
    /// The generation expression as the server prints it.
    public var expression: String
    /// STORED (true) or VIRTUAL (false: MySQL, MariaDB, and PostgreSQL 18's default).
    public var stored: Bool

    /// Creates a generated column's description from its expression and storage.
    public init(expression: String, stored: Bool) {
        self.expression = expression
        self.stored = stored
    }
}

/// How a partitioned table (or a sub-partitioned partition) divides its rows.
public struct Partitioning: Sendable, Hashable, Codable {
    /// The partitioning strategy: RANGE, LIST, HASH, ….
    public var strategy: PartitionStrategy
    /// The key as the server prints it: PostgreSQL `pg_get_partkeydef` (`RANGE (created_at)`),
    /// MySQL the partition expression or column list.
    public var key: String

    /// Creates a partitioning from its strategy and key.
    public init(strategy: PartitionStrategy, key: String) {
        self.strategy = strategy
        self.key = key
    }
}

/// One partition of a partitioned table.
public struct Partition: Sendable, Hashable, Codable {
    /// The partition's name.
    public var name: String
    /// PostgreSQL: the partition's own schema, which may differ from its parent's.
    public var schemaName: String?
    /// PostgreSQL: the partition's `pg_class.oid`.
    public var objectId: Int64?
    /// The bound as the server prints it: `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
    /// `FOR VALUES WITH (modulus 2, remainder 0)`, `DEFAULT`, MySQL `LESS THAN (100)`, `IN (1,2)`;
    /// empty for a MySQL HASH or KEY partition, which has no bound.
    public var bound: String
    /// The role that owns the partition.
    public var owner: String?
    /// The partition's comment; nil without one.
    public var comment: String?
    /// A partition that is itself partitioned.
    public var partitioning: Partitioning?
    /// Its partitions, sorted by name.
    public var subpartitions: [Partition]
    /// Settings by name (PostgreSQL `reloptions`, `tablespace`; MySQL `engine`).
    public var options: [String: String]

    /// Creates a partition; everything but its name and bound defaults to absent or empty.
    public init(
        name: String, schemaName: String? = nil, objectId: Int64? = nil, bound: String, owner: String? = nil,
        comment: String? = nil, partitioning: Partitioning? = nil, subpartitions: [Partition] = [],
        options: [String: String] = [:]
    ) {
        self.name = name
        self.schemaName = schemaName
        self.objectId = objectId
        self.bound = bound
        self.owner = owner
        self.comment = comment
        self.partitioning = partitioning
        self.subpartitions = subpartitions
        self.options = options
    }
}
