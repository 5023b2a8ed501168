/// An index that does not back a constraint (those are recorded as the constraint).
public struct Index: Sendable, Hashable, Codable {
    /// The index's name.
    public var name: String
    /// PostgreSQL: the index's `pg_class.oid`.
    public var objectId: Int64?
    /// The access method (`btree`, `gin`, MySQL `BTREE`, `FULLTEXT`, …).
    public var method: IndexMethod
    /// Whether the index is UNIQUE.
    public var unique: Bool
    /// The key parts, in order.
    public var columns: [IndexColumn]
    /// Non-key columns (`INCLUDE (…)`).
    public var include: [String]
    /// A partial index's predicate, as the server prints it.
    public var predicate: String?
    /// PostgreSQL 15: `NULLS NOT DISTINCT`.
    public var nullsNotDistinct: Bool
    /// The CREATE INDEX statement exactly as the server prints it (`pg_get_indexdef`;
    /// MySQL: as `SHOW CREATE TABLE` would, rebuilt from the parts).
    public var definition: String
    /// The index's comment; nil without one.
    public var comment: String?
    /// Settings by name: PostgreSQL `reloptions` (`fillfactor`), `tablespace`;
    /// MySQL `visible`/`ignored`.
    public var options: [String: String]

    /// Creates an index; unless told otherwise it is not unique, not partial, with no included columns.
    public init(
        name: String, objectId: Int64? = nil, method: IndexMethod, unique: Bool = false,
        columns: [IndexColumn], include: [String] = [], predicate: String? = nil, nullsNotDistinct: Bool = false,
        definition: String, comment: String? = nil, options: [String: String] = [:]
    ) {
        self.name = name
        self.objectId = objectId
        self.method = method
        self.unique = unique
        self.columns = columns
        self.include = include
        self.predicate = predicate
        self.nullsNotDistinct = nullsNotDistinct
        self.definition = definition
        self.comment = comment
        self.options = options
    }
}

/// One key part of an index: a column or an expression, with its ordering.
public struct IndexColumn: Sendable, Hashable, Codable {
    /// The column's name; nil for an expression part.
    public var column: String?
    /// The expression as the server prints it; nil for a column part.
    public var expression: String?
    /// Whether the part sorts in descending order (`DESC`).
    public var descending: Bool
    /// NULLS FIRST (true) / NULLS LAST (false) where the method orders; nil where it does not.
    public var nullsFirst: Bool?
    /// A non-default operator class (`text_pattern_ops`).
    public var opclass: String?
    /// A collation other than the column's.
    public var collation: String?
    /// MySQL: an index prefix length (`name(10)`).
    public var prefixLength: Int?

    /// Creates a key part: give either a column or an expression.
    public init(
        column: String? = nil, expression: String? = nil, descending: Bool = false, nullsFirst: Bool? = nil,
        opclass: String? = nil, collation: String? = nil, prefixLength: Int? = nil
    ) {
        self.column = column
        self.expression = expression
        self.descending = descending
        self.nullsFirst = nullsFirst
        self.opclass = opclass
        self.collation = collation
        self.prefixLength = prefixLength
    }
}

/// A trigger on a table or view.
public struct Trigger: Sendable, Hashable, Codable {
    /// The trigger's name.
    public var name: String
    /// PostgreSQL: the trigger's `pg_trigger.oid`.
    public var objectId: Int64?
    /// When it fires: BEFORE, AFTER or INSTEAD OF the operation.
    public var timing: TriggerTiming
    /// The events it fires on, in INSERT, UPDATE, DELETE, TRUNCATE order.
    public var events: [TriggerEvent]
    /// `UPDATE OF` columns.
    public var updateColumns: [String]
    /// Whether it fires once per row or once per statement.
    public var level: TriggerLevel
    /// Its firing state: enabled, disabled, or PostgreSQL's replica / always.
    public var state: TriggerState
    /// PostgreSQL: the function it calls, schema-qualified; MySQL: nil (the body is inline).
    public var function: String?
    /// A constraint trigger (PostgreSQL `CREATE CONSTRAINT TRIGGER`).
    public var isConstraint: Bool
    /// The whole definition as the server prints it (`pg_get_triggerdef`; MySQL the
    /// statement body), which includes any WHEN condition and arguments.
    public var definition: String
    /// The trigger's comment; nil without one.
    public var comment: String?
    /// MySQL: `definer`, `actionOrder`.
    public var options: [String: String]

    /// Creates a trigger; unless told otherwise it is enabled, not a constraint trigger, with no `UPDATE OF` columns.
    public init(
        name: String, objectId: Int64? = nil, timing: TriggerTiming, events: [TriggerEvent],
        updateColumns: [String] = [], level: TriggerLevel, state: TriggerState = .enabled,
        function: String? = nil, isConstraint: Bool = false, definition: String, comment: String? = nil,
        options: [String: String] = [:]
    ) {
        self.name = name
        self.objectId = objectId
        self.timing = timing
        self.events = events
        self.updateColumns = updateColumns
        self.level = level
        self.state = state
        self.function = function
        self.isConstraint = isConstraint
        self.definition = definition
        self.comment = comment
        self.options = options
    }
}

/// A function or procedure. Its identity is its name plus its argument types.
public struct Routine: Sendable, Hashable, Codable {
    /// The routine's name, unqualified.
    public var name: String
    /// PostgreSQL: `pg_proc.oid`.
    public var objectId: Int64?
    /// What the routine is: function, procedure, aggregate or window function.
    public var kind: RoutineKind
    /// The identity arguments as the server prints them (`a integer, b integer`; PostgreSQL
    /// `pg_get_function_identity_arguments`); with `name`, the routine's identity.
    public var arguments: String
    /// The result type (`integer`, `SETOF record`, `TABLE(…)`); nil for a procedure.
    public var returns: String?
    /// The language (`plpgsql`, `sql`, `SQL` for MySQL).
    public var language: String
    /// The role that owns the routine.
    public var owner: String?
    /// The routine's comment; nil without one.
    public var comment: String?
    /// Hex SHA-256 of the body as stored by the server.
    public var bodyHash: String
    /// PostgreSQL `IMMUTABLE`/`STABLE`/`VOLATILE`; MySQL `DETERMINISTIC`/`NOT DETERMINISTIC`.
    public var volatility: String?
    /// `DEFINER` or `INVOKER`.
    public var security: String?
    /// Other attributes by name: PostgreSQL `strict`, `config` (SET clauses); MySQL
    /// `definer`, `dataAccess`, `sqlMode`.
    public var options: [String: String]

    /// Creates a routine from its parts; the optional attributes default to absent.
    public init(
        name: String, objectId: Int64? = nil, kind: RoutineKind, arguments: String, returns: String? = nil,
        language: String, owner: String? = nil, comment: String? = nil, bodyHash: String,
        volatility: String? = nil, security: String? = nil, options: [String: String] = [:]
    ) {
        self.name = name
        self.objectId = objectId
        self.kind = kind
        self.arguments = arguments
        self.returns = returns
        self.language = language
        self.owner = owner
        self.comment = comment
        self.bodyHash = bodyHash
        self.volatility = volatility
        self.security = security
        self.options = options
    }

    /// The routine's identity: `name(arguments)`.
    public var signature: String { "\(name)(\(arguments))" }
}
