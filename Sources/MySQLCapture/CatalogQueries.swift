import Foundation

/// The bulk information_schema queries: one per kind of object, each over every database
/// read at once (`TABLE_SCHEMA IN (…)` with exact names, never LIKE, never one per table).
///
/// Names go in as hex literals with a charset introducer (`_utf8mb4 X'…'`), so no quoting
/// or `sql_mode` can change their meaning. information_schema compares names case-
/// insensitively: the reader keeps only rows whose database matches exactly.
enum CatalogQueries {
    /// `'a'` → `_utf8mb4 X'61'`: a string literal no escaping can get wrong.
    static func literal(_ text: String) -> String {
        "_utf8mb4 X'" + text.utf8.map { String(format: "%02X", $0) }.joined() + "'"
    }

    /// `(lit, lit, …)` for `IN`.
    static func list(_ names: [String]) -> String {
        "(" + names.map(literal).joined(separator: ", ") + ")"
    }

    static let systemDatabases: Set<String> = ["mysql", "information_schema", "performance_schema", "sys"]

    /// Run first on every connection of a capture, so that what the server returns does not
    /// depend on its global settings or on `init_connect`: `ANSI_QUOTES` (also in `ANSI`,
    /// MariaDB's `ORACLE`, …) quotes identifiers with `"` in GENERATION_EXPRESSION, expression
    /// defaults, CHECK_CLAUSE and PARTITION_EXPRESSION; `sql_quote_show_create = 0` leaves
    /// names unquoted in `SHOW CREATE TABLE` (where the DEFAULT partition is read); `time_zone`
    /// shifts the literal defaults of TIMESTAMP columns; `sql_select_limit` silently cuts every
    /// result short (tables missing would read as dropped); `max_join_size` can refuse a large
    /// read (`sql_big_selects`). No `sql_mode` flag matters to reading, so none is kept.
    static let printSettings =
        "SET SESSION sql_mode = '', SESSION sql_quote_show_create = 1, SESSION time_zone = '+00:00', "
        + "SESSION sql_select_limit = 18446744073709551615, SESSION sql_big_selects = 1"

    static func session(_ flavor: ServerFlavor, statementTimeout: Int) -> [String] {
        var statements = ["SET SESSION TRANSACTION READ ONLY"]
        if flavor.isMariaDB {
            statements.append("SET SESSION max_statement_time = \(max(0, statementTimeout))")
        } else if flavor.major >= 8 || flavor.atLeast(5, 7) {
            statements.append("SET SESSION max_execution_time = \(max(0, statementTimeout) * 1000)")
        }
        // Read-only, and a consistent snapshot for what is MVCC (information_schema is not).
        statements.append("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        return statements
    }

    static func schemata(_ flavor: ServerFlavor) -> String {
        let comment = flavor.hasSchemaComments ? "SCHEMA_COMMENT" : "NULL"
        return """
            SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME, \(comment)
            FROM information_schema.SCHEMATA
            """
    }

    static func tables(_ databases: [String]) -> String {
        """
        SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, ENGINE, ROW_FORMAT, TABLE_COLLATION, TABLE_COMMENT,
               CREATE_OPTIONS
        FROM information_schema.TABLES WHERE TABLE_SCHEMA IN \(list(databases))
        """
    }

    static func columns(_ databases: [String]) -> String {
        """
        SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, DATA_TYPE,
               COLUMN_TYPE, CHARACTER_SET_NAME, COLLATION_NAME, EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT
        FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN \(list(databases))
        """
    }

    static func statistics(_ databases: [String], _ flavor: ServerFlavor) -> String {
        let ignored =
            flavor.hasIgnoredIndexes
            ? "IGNORED" : flavor.isMariaDB ? "'NO'" : flavor.major >= 8 ? "IF(IS_VISIBLE = 'NO', 'YES', 'NO')" : "'NO'"
        let expression = flavor.hasIndexExpressions ? "EXPRESSION" : "NULL"
        return """
            SELECT TABLE_SCHEMA, TABLE_NAME, NON_UNIQUE, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, COLLATION, SUB_PART,
                   INDEX_TYPE, INDEX_COMMENT, \(ignored), \(expression)
            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN \(list(databases))
            """
    }

    static func foreignKeyColumns(_ databases: [String]) -> String {
        """
        SELECT TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, REFERENCED_TABLE_SCHEMA,
               REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
        FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA IN \(list(databases)) AND REFERENCED_TABLE_NAME IS NOT NULL
        """
    }

    /// Foreign keys from the InnoDB dictionary (needs PROCESS): id, the child's database
    /// and table, the constraint's name, the parent's database and table, the action flags.
    /// No table definition is opened, unlike KEY_COLUMN_USAGE and REFERENTIAL_CONSTRAINTS,
    /// which open every table of the databases. (Joined with the columns in Swift: a join of
    /// two information_schema tables is a nested loop over both.)
    static func innodbForeignKeys(_ flavor: ServerFlavor) -> String {
        func decoded(_ expression: String) -> String {
            "CONVERT(CONVERT(CAST(\(expression) AS BINARY) USING filename) USING utf8mb4)"
        }
        return """
            SELECT ID, \(decoded("SUBSTRING_INDEX(FOR_NAME, '/', 1)")),
                   \(decoded("SUBSTRING(FOR_NAME, LOCATE('/', FOR_NAME) + 1)")), SUBSTRING(ID, LOCATE('/', ID) + 1),
                   \(decoded("SUBSTRING_INDEX(REF_NAME, '/', 1)")),
                   \(decoded("SUBSTRING(REF_NAME, LOCATE('/', REF_NAME) + 1)")), TYPE
            FROM information_schema.\(flavor.innodbForeignView)
            """
    }

    /// The columns of the InnoDB dictionary's foreign keys: id, position (from 0), child and parent column.
    static func innodbForeignKeyColumns(_ flavor: ServerFlavor) -> String {
        "SELECT ID, POS, FOR_COL_NAME, REF_COL_NAME FROM information_schema.\(flavor.innodbForeignView)_COLS"
    }

    /// InnoDB's foreign key flags (`dict0mem.h`): no flag for an action is RESTRICT.
    static func actions(fromInnoDBType type: Int64) -> (update: String, delete: String) {
        let delete =
            type & 1 != 0 ? "CASCADE" : type & 2 != 0 ? "SET NULL" : type & 16 != 0 ? "NO ACTION" : "RESTRICT"
        let update =
            type & 4 != 0 ? "CASCADE" : type & 8 != 0 ? "SET NULL" : type & 32 != 0 ? "NO ACTION" : "RESTRICT"
        return (update, delete)
    }

    static func referentialConstraints(_ databases: [String]) -> String {
        """
        SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE, MATCH_OPTION
        FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN \(list(databases))
        """
    }

    /// MariaDB names the table and the level (`Column`/`Table`); MySQL 8 names neither, so
    /// the table comes from TABLE_CONSTRAINTS (CHECK names are unique per database there),
    /// with `ENFORCED` (`NOT ENFORCED` checks are recorded as not validated).
    static func checkConstraints(_ databases: [String], _ flavor: ServerFlavor) -> String {
        if flavor.checkConstraintsHaveTable {
            let level = flavor.checkConstraintsHaveLevel ? "LEVEL" : "'Table'"
            return """
                SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, \(level), CHECK_CLAUSE, 'YES'
                FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN \(list(databases))
                """
        }
        return """
            SELECT tc.TABLE_SCHEMA, tc.TABLE_NAME, cc.CONSTRAINT_NAME, 'Table', cc.CHECK_CLAUSE, tc.ENFORCED
            FROM information_schema.TABLE_CONSTRAINTS tc
            JOIN information_schema.CHECK_CONSTRAINTS cc
              ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
            WHERE tc.CONSTRAINT_TYPE = 'CHECK' AND tc.TABLE_SCHEMA IN \(list(databases))
            """
    }

    /// Only run when some table is partitioned; also narrowed to those tables' names.
    static func partitions(_ databases: [String], tables: [String]) -> String {
        """
        SELECT TABLE_SCHEMA, TABLE_NAME, PARTITION_NAME, SUBPARTITION_NAME, PARTITION_ORDINAL_POSITION,
               SUBPARTITION_ORDINAL_POSITION, PARTITION_METHOD, SUBPARTITION_METHOD, PARTITION_EXPRESSION,
               SUBPARTITION_EXPRESSION, PARTITION_DESCRIPTION, PARTITION_COMMENT
        FROM information_schema.PARTITIONS
        WHERE TABLE_SCHEMA IN \(list(databases)) AND TABLE_NAME IN \(list(tables)) AND PARTITION_NAME IS NOT NULL
        """
    }

    static func triggers(_ databases: [String]) -> String {
        """
        SELECT TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_ORDER, ACTION_STATEMENT,
               ACTION_ORIENTATION, ACTION_TIMING, DEFINER
        FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN \(list(databases))
        """
    }

    static func views(_ databases: [String]) -> String {
        """
        SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, DEFINER, SECURITY_TYPE
        FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN \(list(databases))
        """
    }

    /// The body is hashed by the server (SHA-256 of its utf8mb4 bytes), as PostgreSQL's is.
    static func routines(_ databases: [String]) -> String {
        """
        SELECT ROUTINE_SCHEMA, SPECIFIC_NAME, ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, ROUTINE_BODY,
               SHA2(COALESCE(ROUTINE_DEFINITION, ''), 256), IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE,
               SQL_MODE, ROUTINE_COMMENT, DEFINER, ROUTINE_DEFINITION IS NULL
        FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN \(list(databases))
        """
    }

    static func parameters(_ databases: [String]) -> String {
        """
        SELECT SPECIFIC_SCHEMA, SPECIFIC_NAME, ROUTINE_TYPE, ORDINAL_POSITION, PARAMETER_MODE, PARAMETER_NAME,
               DTD_IDENTIFIER
        FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA IN \(list(databases))
        """
    }

    /// InnoDB table ids with the on-disk name (`db/table`, filename-encoded) decoded by the
    /// server itself (`CONVERT(… USING filename)`). Partitions (`#P#`) and temporary tables
    /// (`#sql`) hold a literal `#`, which a real name has encoded as `@0023`: left out.
    /// Table id, database, table. A partitioned table has no id of its own, but each of its
    /// partitions (`db/t#P#p0`; MySQL 8 `#p#`) has one that `RENAME TABLE` keeps: its lowest
    /// partition id stands for it. Names starting with `#` (`#sql-…`, an ALTER in progress) are left out.
    static func innodbTableIDs(_ flavor: ServerFlavor) -> String {
        """
        SELECT MIN(TABLE_ID),
               CONVERT(CONVERT(CAST(SUBSTRING_INDEX(BASE, '/', 1) AS BINARY) USING filename) USING utf8mb4),
               CONVERT(CONVERT(CAST(SUBSTRING(BASE, LOCATE('/', BASE) + 1) AS BINARY) USING filename) USING utf8mb4)
        FROM (SELECT TABLE_ID, CAST(SUBSTRING_INDEX(NAME, '#', 1) AS BINARY) AS BASE
              FROM information_schema.\(flavor.innodbTablesView)
              WHERE LOCATE('/', NAME) > 0 AND SUBSTRING(NAME, LOCATE('/', NAME) + 1, 1) <> '#'
                AND (LOCATE('#', NAME) = 0 OR LOCATE(BINARY '#P#', NAME) > 0 OR LOCATE(BINARY '#p#', NAME) > 0)) AS ids
        GROUP BY BASE
        """
    }

    static let collations = "SELECT COLLATION_NAME, CHARACTER_SET_NAME FROM information_schema.COLLATIONS"
}
