/// Where a MySQL or MariaDB capture found the server's binary log: the next run reads the
/// DDL logged since then for what it says about names (renames that survive a table rebuild).
public struct BinaryLogPosition: Sendable, Hashable, Codable {
    /// The binary log file (`binlog.000042`).
    public var file: String
    /// The byte offset in it (`SHOW MASTER STATUS`' `Position`).
    public var position: Int64
    /// The server that wrote the log (MySQL `uuid:<@@server_uuid>`, MariaDB
    /// `id:<@@server_id>@<@@hostname>`): a log of another server (a failover) gives no hints.
    public var server: String

    /// Creates a position.
    public init(file: String, position: Int64, server: String) {
        self.file = file
        self.position = position
        self.server = server
    }
}

/// What the DDL logged between two captures said about names, in log order. Recorded only
/// when the whole stretch of log was read: a gap (purged logs, another server, no privilege)
/// records none.
public struct NameChangeLog: Sendable, Hashable, Codable {
    /// The previous capture's position: the log was read from there to this capture's.
    public var since: BinaryLogPosition
    /// The statements' effects on names, in the order the server ran them.
    public var changes: [NameChange]

    /// Creates a log of name changes.
    public init(since: BinaryLogPosition, changes: [NameChange] = []) {
        self.since = since
        self.changes = changes
    }
}

/// One effect of a DDL statement on a name: a table, column or index renamed, dropped or
/// created. Columns and indexes are named within their table as it was named at that point.
public struct NameChange: Sendable, Hashable, Codable {
    /// What kind of object the name is.
    public enum Object: String, Sendable, Hashable, Codable {
        case table, column, index
    }

    /// What the statement did with it.
    public enum Action: String, Sendable, Hashable, Codable {
        /// Renamed (`RENAME TABLE`, `ALTER TABLE … RENAME`, `RENAME COLUMN`, `CHANGE`, `RENAME INDEX`).
        case rename
        /// Dropped, or created: the name now belongs to a new object.
        case replace
    }

    /// The kind of object.
    public var object: Object
    /// What happened.
    public var action: Action
    /// The table's database.
    public var database: String
    /// The table's name (for a table rename: the old name).
    public var table: String
    /// The column's or index's name; nil for a table. A column or index change without a name
    /// (always `replace`): the statement could not be followed, and every column (index) name of
    /// the table holds a new object from there on.
    public var name: String?
    /// A table renamed: its new database; nil otherwise.
    public var newDatabase: String?
    /// Renamed: the new name (the table's, column's or index's); nil otherwise.
    public var newName: String?
    /// Statements of one `ALTER TABLE` act at once (`RENAME COLUMN a TO b, RENAME COLUMN b TO a`
    /// swaps): the changes of one statement share a number.
    public var statement: Int

    /// Creates a name change.
    public init(
        object: Object, action: Action, database: String, table: String, name: String? = nil,
        newDatabase: String? = nil, newName: String? = nil, statement: Int = 0
    ) {
        self.object = object
        self.action = action
        self.database = database
        self.table = table
        self.name = name
        self.newDatabase = newDatabase
        self.newName = newName
        self.statement = statement
    }
}
