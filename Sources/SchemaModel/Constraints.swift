/// A PRIMARY KEY or UNIQUE constraint.
public struct KeyConstraint: Sendable, Hashable, Codable {
    /// The constraint's name.
    public var name: String
    /// PostgreSQL: the constraint's `pg_constraint.oid`.
    public var objectId: Int64?
    /// The key columns, in key order.
    public var columns: [String]
    /// Non-key columns of the backing index (`INCLUDE (…)`).
    public var include: [String]
    /// PostgreSQL 15: `UNIQUE NULLS NOT DISTINCT`.
    public var nullsNotDistinct: Bool
    /// Whether checking can be put off to the end of the transaction (`DEFERRABLE`).
    public var deferrable: Bool
    /// Whether a deferrable constraint is checked at commit by default (`INITIALLY DEFERRED`).
    public var initiallyDeferred: Bool
    /// The constraint's comment; nil without one.
    public var comment: String?

    /// Creates a key constraint; unless told otherwise it is immediate, with no included columns.
    public init(
        name: String, objectId: Int64? = nil, columns: [String], include: [String] = [],
        nullsNotDistinct: Bool = false, deferrable: Bool = false, initiallyDeferred: Bool = false,
        comment: String? = nil
    ) {
        self.name = name
        self.objectId = objectId
        self.columns = columns
        self.include = include
        self.nullsNotDistinct = nullsNotDistinct
        self.deferrable = deferrable
        self.initiallyDeferred = initiallyDeferred
        self.comment = comment
    }
}

/// A FOREIGN KEY constraint.
public struct ForeignKey: Sendable, Hashable, Codable {
    /// The constraint's name.
    public var name: String
    /// PostgreSQL: the constraint's `pg_constraint.oid`.
    public var objectId: Int64?
    /// The referencing columns, in key order.
    public var columns: [String]
    /// MySQL: the referenced table's database where it differs from the referencing one.
    public var referencedDatabase: String?
    /// PostgreSQL: the referenced table's schema.
    public var referencedSchema: String?
    /// The referenced table's name.
    public var referencedTable: String
    /// The referenced columns, paired with `columns`.
    public var referencedColumns: [String]
    /// What an update of a referenced key does to the referencing rows.
    public var onUpdate: ReferentialAction
    /// What a delete of a referenced row does to the referencing rows.
    public var onDelete: ReferentialAction
    /// PostgreSQL 15: the columns an `ON DELETE SET NULL (…)` / `SET DEFAULT (…)` sets; empty for all.
    public var onDeleteColumns: [String]
    /// How a referencing key with NULLs in it is matched.
    public var matchType: MatchType
    /// Whether checking can be put off to the end of the transaction (`DEFERRABLE`).
    public var deferrable: Bool
    /// Whether a deferrable constraint is checked at commit by default (`INITIALLY DEFERRED`).
    public var initiallyDeferred: Bool
    /// False for a PostgreSQL constraint added `NOT VALID` and not yet validated.
    public var validated: Bool
    /// The constraint's comment; nil without one.
    public var comment: String?

    /// Creates a foreign key; unless told otherwise it is `NO ACTION`, `MATCH SIMPLE`, immediate and validated.
    public init(
        name: String, objectId: Int64? = nil, columns: [String], referencedDatabase: String? = nil,
        referencedSchema: String? = nil, referencedTable: String, referencedColumns: [String],
        onUpdate: ReferentialAction = .noAction, onDelete: ReferentialAction = .noAction,
        onDeleteColumns: [String] = [], matchType: MatchType = .simple, deferrable: Bool = false,
        initiallyDeferred: Bool = false,
        validated: Bool = true, comment: String? = nil
    ) {
        self.name = name
        self.objectId = objectId
        self.columns = columns
        self.referencedDatabase = referencedDatabase
        self.referencedSchema = referencedSchema
        self.referencedTable = referencedTable
        self.referencedColumns = referencedColumns
        self.onUpdate = onUpdate
        self.onDelete = onDelete
        self.onDeleteColumns = onDeleteColumns
        self.matchType = matchType
        self.deferrable = deferrable
        self.initiallyDeferred = initiallyDeferred
        self.validated = validated
        self.comment = comment
    }
}

/// A CHECK constraint.
public struct CheckConstraint: Sendable, Hashable, Codable {
    /// The constraint's name.
    public var name: String
    /// PostgreSQL: the constraint's `pg_constraint.oid`.
    public var objectId: Int64?
    /// The expression as the server prints it (PostgreSQL: `pg_get_expr(conbin)`, e.g. `(qty > 0)`).
    public var expression: String
    /// The columns the expression refers to (PostgreSQL `conkey`, the same for a check written
    /// on a column or on the table).
    public var columns: [String]
    /// False for a constraint added `NOT VALID`.
    public var validated: Bool
    /// PostgreSQL `NO INHERIT`.
    public var noInherit: Bool
    /// The constraint's comment; nil without one.
    public var comment: String?

    /// Creates a check constraint; unless told otherwise it is validated and inherited.
    public init(
        name: String, objectId: Int64? = nil, expression: String, columns: [String] = [], validated: Bool = true,
        noInherit: Bool = false, comment: String? = nil
    ) {
        self.name = name
        self.objectId = objectId
        self.expression = expression
        self.columns = columns
        self.validated = validated
        self.noInherit = noInherit
        self.comment = comment
    }
}

/// A PostgreSQL EXCLUDE constraint.
public struct ExclusionConstraint: Sendable, Hashable, Codable {
    /// The constraint's name.
    public var name: String
    /// PostgreSQL: the constraint's `pg_constraint.oid`.
    public var objectId: Int64?
    /// The definition as `pg_get_constraintdef` prints it (`EXCLUDE USING gist (b WITH &&)`).
    public var definition: String
    /// Whether checking can be put off to the end of the transaction (`DEFERRABLE`).
    public var deferrable: Bool
    /// Whether a deferrable constraint is checked at commit by default (`INITIALLY DEFERRED`).
    public var initiallyDeferred: Bool
    /// The constraint's comment; nil without one.
    public var comment: String?

    /// Creates an exclusion constraint; unless told otherwise it is immediate.
    public init(
        name: String, objectId: Int64? = nil, definition: String, deferrable: Bool = false,
        initiallyDeferred: Bool = false, comment: String? = nil
    ) {
        self.name = name
        self.objectId = objectId
        self.definition = definition
        self.deferrable = deferrable
        self.initiallyDeferred = initiallyDeferred
        self.comment = comment
    }
}
