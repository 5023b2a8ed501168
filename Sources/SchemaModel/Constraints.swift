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
    /// PostgreSQL 18: a temporal key, `(…, col WITHOUT OVERLAPS)`: its last column is a range
    /// whose values may not overlap for equal other columns. Nil for an ordinary key.
    public var withoutOverlaps: Bool?
    /// Whether checking can be put off to the end of the transaction (`DEFERRABLE`).
    public var deferrable: Bool
    /// Whether a deferrable constraint is checked at commit by default (`INITIALLY DEFERRED`).
    public var initiallyDeferred: Bool
    /// The constraint's comment; nil without one.
    public var comment: String?

    /// Creates a key constraint; unless told otherwise it is immediate, with no included columns.
    public init(
        name: String, objectId: Int64? = nil, columns: [String], include: [String] = [],
        nullsNotDistinct: Bool = false, withoutOverlaps: Bool? = nil, deferrable: Bool = false,
        initiallyDeferred: Bool = false, comment: String? = nil
    ) {
        self.name = name
        self.objectId = objectId
        self.columns = columns
        self.include = include
        self.nullsNotDistinct = nullsNotDistinct
        self.withoutOverlaps = withoutOverlaps
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
    /// False for a PostgreSQL constraint added `NOT VALID` and not yet validated (and for
    /// one that is not enforced).
    public var validated: Bool
    /// PostgreSQL 18: false for a `NOT ENFORCED` foreign key; nil for an enforced one (the
    /// only kind before 18).
    public var enforced: Bool?
    /// PostgreSQL 18: a temporal foreign key, `(…, PERIOD col) REFERENCES t (…, PERIOD col)`:
    /// the last column pair is compared as ranges. Nil for an ordinary foreign key.
    public var period: Bool?
    /// The constraint's comment; nil without one.
    public var comment: String?

    /// Creates a foreign key; unless told otherwise it is `NO ACTION`, `MATCH SIMPLE`, immediate,
    /// validated and enforced.
    public init(
        name: String, objectId: Int64? = nil, columns: [String], referencedDatabase: String? = nil,
        referencedSchema: String? = nil, referencedTable: String, referencedColumns: [String],
        onUpdate: ReferentialAction = .noAction, onDelete: ReferentialAction = .noAction,
        onDeleteColumns: [String] = [], matchType: MatchType = .simple, deferrable: Bool = false,
        initiallyDeferred: Bool = false,
        validated: Bool = true, enforced: Bool? = nil, period: Bool? = nil, comment: String? = nil
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
        self.enforced = enforced
        self.period = period
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
    /// PostgreSQL 18: false for a `NOT ENFORCED` check; nil for an enforced one (the only kind
    /// before 18).
    public var enforced: Bool?
    /// The constraint's comment; nil without one.
    public var comment: String?

    /// Creates a check constraint; unless told otherwise it is validated, enforced and inherited.
    public init(
        name: String, objectId: Int64? = nil, expression: String, columns: [String] = [], validated: Bool = true,
        noInherit: Bool = false, enforced: Bool? = nil, comment: String? = nil
    ) {
        self.name = name
        self.objectId = objectId
        self.expression = expression
        self.columns = columns
        self.validated = validated
        self.noInherit = noInherit
        self.enforced = enforced
        self.comment = comment
    }
}

/// PostgreSQL 18: a column's NOT NULL constraint as the server records it (a `pg_constraint`
/// row of its own, with a name). Before 18 the server records nullability alone, and the
/// constraint's name is derived: `<table>_<column>_not_null`.
public struct NotNullConstraintInfo: Sendable, Hashable, Codable {
    /// The constraint's name (PostgreSQL 18 names one `<table>_<column>_not_null` unless told otherwise).
    public var name: String
    /// The constraint's `pg_constraint.oid`.
    public var objectId: Int64?
    /// False for a constraint added `NOT VALID` and not yet validated.
    public var validated: Bool
    /// `NO INHERIT`.
    public var noInherit: Bool

    /// The name a NOT NULL constraint has where the server gives none (before PostgreSQL 18,
    /// MySQL): the name PostgreSQL 18 gives one by default, `<table>_<column>_not_null`, with
    /// the table's and the column's names shortened as the server shortens them
    /// (`makeObjectName`) so that the whole fits in 63 bytes, never inside a character.
    public static func derivedName(table: String, column: String) -> String {
        let label = "not_null"
        let available = 63 - (label.utf8.count + 1) - 1
        var tableBytes = table.utf8.count
        var columnBytes = column.utf8.count
        while tableBytes + columnBytes > available {
            if tableBytes > columnBytes { tableBytes -= 1 } else { columnBytes -= 1 }
        }
        return clipped(table, to: tableBytes) + "_" + clipped(column, to: columnBytes) + "_" + label
    }

    /// The longest prefix of `name` of at most `bytes` UTF-8 bytes that ends on a character.
    private static func clipped(_ name: String, to bytes: Int) -> String {
        var result = ""
        var used = 0
        for scalar in name.unicodeScalars {
            let size = String(scalar).utf8.count
            guard used + size <= bytes else { break }
            result.unicodeScalars.append(scalar)
            used += size
        }
        return result
    }

    /// Creates the description of a column's NOT NULL constraint.
    public init(name: String, objectId: Int64? = nil, validated: Bool = true, noInherit: Bool = false) {
        self.name = name
        self.objectId = objectId
        self.validated = validated
        self.noInherit = noInherit
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
