public import SchemaModel

/// Reads what DDL statements say about names, and nothing else: tables renamed (`RENAME TABLE
/// a TO b, c TO d`, `ALTER TABLE a RENAME [TO|AS] b`), columns renamed (`RENAME COLUMN x TO y`,
/// `CHANGE [COLUMN] x y …`), indexes renamed (`RENAME INDEX|KEY x TO y`), and names given to
/// new objects (tables, views, columns and indexes created or dropped: the name then belongs to
/// another object). Every other statement, and every other part of these, yields nothing.
/// Survives any text (see `SQLTokenizer`). An `ALTER TABLE` it cannot follow to its end gives
/// no partial result: every column and index name of that table counts as new from there on.
public enum DDLNameParser {
    /// The name changes of one logged statement. `database` is the statement's default
    /// database (the session's `USE`); a leading `use \`db\`; ` (as `SHOW BINLOG EVENTS` prints
    /// a query's `Info`) sets it too. Changes of one statement share `statement`. `server` says
    /// which version comments (`/*!NNNNN …*/`, `/*M!NNNNNN …*/`) the server ran; without it, a
    /// statement that says something else with and without them makes every table it names new.
    public static func nameChanges(
        _ sql: String, database: String?, statement: Int = 0, server: ServerFlavor? = nil
    ) -> [NameChange] {
        func parse(_ versionComments: SQLTokenizer.VersionComments) -> [NameChange] {
            var parser = Parser(
                tokens: SQLTokenizer.tokens(sql, versionComments: versionComments), database: database,
                statement: statement)
            return parser.statements()
        }
        if let server { return parse(.server(server)) }
        let all = parse(.all)
        let unconditional = parse(.unconditional)
        if all == unconditional { return all }
        var tables: [NameChange] = []
        for change in all + unconditional {
            var names = [(change.database, change.table)]
            if change.object == .table, let newName = change.newName {
                names.append((change.newDatabase ?? change.database, newName))
            }
            for (database, table) in names
            where !tables.contains(where: { $0.database == database && $0.table == table }) {
                tables.append(
                    NameChange(object: .table, action: .replace, database: database, table: table, statement: statement)
                )
            }
        }
        return tables
    }

    /// Whether a logged query can change a name: its first word (after comments and a leading
    /// `use \`db\`;`) is RENAME, ALTER, CREATE or DROP. Reads only the start of the text; a
    /// start it cannot decide on (a long comment) counts as yes.
    static func mayChangeNames(_ sql: String, server: ServerFlavor?) -> Bool {
        let scalars = sql.unicodeScalars
        let end = scalars.index(scalars.startIndex, offsetBy: 1_024, limitedBy: scalars.endIndex) ?? scalars.endIndex
        let cut = end != scalars.endIndex
        let tokens = SQLTokenizer.tokens(
            String(scalars[scalars.startIndex..<end]), versionComments: server.map { .server($0) } ?? .all)
        var at = 0
        if at < tokens.count, tokens[at].isKeyword("USE") {
            while at < tokens.count && !tokens[at].isSymbol(";") { at += 1 }
            at += 1
        }
        // Nothing read, or a last word that the cut may have shortened: read it all.
        guard at + 1 < tokens.count || !cut else { return true }
        guard at < tokens.count else { return false }
        return ["RENAME", "ALTER", "CREATE", "DROP"].contains(tokens[at].upperASCII)
    }

    struct Parser {
        var tokens: [SQLToken]
        var at = 0
        var database: String?
        var statement: Int
        var changes: [NameChange] = []
        /// False once a specification of the `ALTER TABLE` being read was not understood.
        var followed = true

        init(tokens: [SQLToken], database: String?, statement: Int) {
            self.tokens = tokens
            self.database = database
            self.statement = statement
        }

        var current: SQLToken? { at < tokens.count ? tokens[at] : nil }
        func peek(_ offset: Int) -> SQLToken? { at + offset < tokens.count ? tokens[at + offset] : nil }

        mutating func accept(_ keyword: String) -> Bool {
            guard current?.isKeyword(keyword) == true else { return false }
            at += 1
            return true
        }

        mutating func acceptSymbol(_ symbol: String) -> Bool {
            guard current?.isSymbol(symbol) == true else { return false }
            at += 1
            return true
        }

        mutating func acceptAll(_ keywords: String...) -> Bool {
            for (offset, keyword) in keywords.enumerated() where peek(offset)?.isKeyword(keyword) != true {
                return false
            }
            at += keywords.count
            return true
        }

        /// One identifier.
        mutating func name() -> String? {
            guard let text = current?.identifier else { return nil }
            at += 1
            return text
        }

        /// `[db.]table`, the database defaulting to the statement's.
        mutating func tableName() -> (database: String, table: String)? {
            guard let first = name() else { return nil }
            if acceptSymbol(".") {
                guard let second = name() else { return nil }
                return (first, second)
            }
            guard let database else { return nil }
            return (database, first)
        }

        /// Skips to the end of the statement (`;` at depth 0).
        mutating func skipStatement() {
            var depth = 0
            while let token = current {
                if token.isSymbol("(") { depth += 1 }
                if token.isSymbol(")") { depth = max(0, depth - 1) }
                if token.isSymbol(";") && depth == 0 { return }
                at += 1
            }
        }

        /// Skips to the next `,` or `;` at depth 0 (the end of one `ALTER TABLE` specification).
        mutating func skipSpecification() {
            var depth = 0
            while let token = current {
                if token.isSymbol("(") { depth += 1 }
                if token.isSymbol(")") {
                    if depth == 0 { return }
                    depth -= 1
                }
                if (token.isSymbol(",") || token.isSymbol(";")) && depth == 0 { return }
                at += 1
            }
        }

        /// MariaDB's `WAIT n` / `NOWAIT` after a table name.
        mutating func skipWait() {
            if accept("WAIT") {
                at += 1
            } else {
                _ = accept("NOWAIT")
            }
        }

        /// One logged statement: a Query event holds exactly one (the client's multi-statement
        /// text is logged statement by statement), so nothing after its first `;` is read: a
        /// stored program's body holds `;` of its own. A leading `use \`db\`;` (how `SHOW BINLOG
        /// EVENTS` prints the default database) only sets the database.
        mutating func statements() -> [NameChange] {
            if accept("USE") {
                if let name = name() { database = name }
                guard acceptSymbol(";") else { return changes }
            }
            if definesStoredProgram() { return changes }
            statementBody()
            return changes
        }

        /// Whether the statement creates or alters a stored program (`CREATE [OR REPLACE]
        /// [DEFINER = …] PROCEDURE|FUNCTION|TRIGGER|EVENT|PACKAGE`, `ALTER [DEFINER = …] EVENT`):
        /// its body is skipped whole, whatever it holds (an event's `DO RENAME TABLE …` runs
        /// later, and is logged then on its own).
        func definesStoredProgram() -> Bool {
            guard current?.isKeyword("CREATE") == true || current?.isKeyword("ALTER") == true else { return false }
            let programs: Set<String> = ["PROCEDURE", "FUNCTION", "TRIGGER", "EVENT", "PACKAGE"]
            let objects: Set<String> = ["TABLE", "TABLES", "INDEX", "VIEW", "DATABASE", "SCHEMA", "USER", "SERVER"]
            var look = at + 1
            // The clauses before the object's keyword are short: DEFINER = `u`@`h`, ALGORITHM = …, SQL SECURITY ….
            while look < tokens.count && look < at + 24 {
                let token = tokens[look]
                if token.kind == .word {
                    let word = token.upperASCII
                    if programs.contains(word) { return true }
                    if objects.contains(word) { return false }
                }
                if token.isSymbol("(") || token.isSymbol(";") { return false }
                look += 1
            }
            return false
        }

        mutating func statementBody() {
            if accept("USE") {
                if let name = name() { database = name }
            } else if accept("RENAME") {
                if accept("TABLE") || accept("TABLES") { renameTables() }
            } else if accept("ALTER") {
                _ = accept("ONLINE")
                _ = accept("IGNORE")
                if accept("TABLE") { alterTable() }
            } else if accept("DROP") {
                drop()
            } else if accept("CREATE") {
                create()
            }
        }

        mutating func renameTables() {
            _ = acceptAll("IF", "EXISTS")
            repeat {
                guard let from = tableName() else { return }
                skipWait()
                guard accept("TO"), let to = tableName() else { return }
                changes.append(
                    NameChange(
                        object: .table, action: .rename, database: from.database, table: from.table,
                        newDatabase: to.database, newName: to.table, statement: statement))
                // Each pair acts on the names the ones before it left (`a TO b, b TO c`).
                statement += 1
            } while acceptSymbol(",")
        }

        mutating func alterTable() {
            _ = acceptAll("IF", "EXISTS")
            guard let table = tableName() else { return }
            skipWait()
            var renamedTo: (database: String, table: String)?
            followed = true
            repeat {
                if let target = alterSpecification(table) { renamedTo = target }
                skipSpecification()
            } while acceptSymbol(",")
            // Anything left (a `)` no specification opened) means the statement was not read as
            // the server did: what it did to column and index names is unknown.
            if let token = current, !token.isSymbol(";") { followed = false }
            if !followed {
                for object in [NameChange.Object.column, .index] {
                    changes.append(
                        NameChange(
                            object: object, action: .replace, database: table.database, table: table.table,
                            statement: statement))
                }
            }
            // The table's own rename comes after what the statement does to its columns and
            // indexes, which name the table by its old name.
            if let renamedTo {
                changes.append(
                    NameChange(
                        object: .table, action: .rename, database: table.database, table: table.table,
                        newDatabase: renamedTo.database, newName: renamedTo.table, statement: statement + 1))
                statement += 1
            }
        }

        /// One specification of `ALTER TABLE`; returns the new table name of a `RENAME [TO|AS]`.
        mutating func alterSpecification(_ table: (database: String, table: String)) -> (
            database: String, table: String
        )? {
            func change(_ object: NameChange.Object, _ action: NameChange.Action, _ name: String, _ newName: String?)
                -> NameChange
            {
                NameChange(
                    object: object, action: action, database: table.database, table: table.table, name: name,
                    newName: newName, statement: statement)
            }
            if accept("RENAME") {
                if accept("COLUMN") {
                    _ = acceptAll("IF", "EXISTS")
                    guard let from = name(), accept("TO"), let to = name() else { return lost() }
                    changes.append(change(.column, .rename, from, to))
                } else if accept("INDEX") || accept("KEY") {
                    guard let from = name(), accept("TO"), let to = name() else { return lost() }
                    changes.append(change(.index, .rename, from, to))
                } else {
                    if !accept("TO") { _ = accept("AS") }
                    guard let target = tableName() else { return lost() }
                    return target
                }
            } else if accept("CHANGE") {
                _ = accept("COLUMN")
                _ = acceptAll("IF", "EXISTS")
                guard let from = name(), let to = name() else { return lost() }
                if from != to { changes.append(change(.column, .rename, from, to)) }
            } else if accept("DROP") {
                if accept("INDEX") || accept("KEY") || accept("CONSTRAINT") || acceptAll("FOREIGN", "KEY") {
                    // A constraint's or a foreign key's name may be an index's too.
                    _ = acceptAll("IF", "EXISTS")
                    guard let index = name() else { return lost() }
                    changes.append(change(.index, .replace, index, nil))
                } else if let next = current,
                    next.kind != .word || !Self.dropKeywords.contains(next.upperASCII)
                        || next.isKeyword("COLUMN")
                {
                    _ = accept("COLUMN")
                    _ = acceptAll("IF", "EXISTS")
                    if let column = name() { changes.append(change(.column, .replace, column, nil)) }
                }
            } else if accept("ADD") {
                if accept("CONSTRAINT") {
                    // ADD CONSTRAINT [c] UNIQUE|FOREIGN KEY|PRIMARY KEY|CHECK …: the index it makes
                    // is named by the name after the kind, or else by c.
                    _ = acceptAll("IF", "NOT", "EXISTS")
                    if let token = current, token.kind != .word || !Self.addKeywords.contains(token.upperASCII),
                        let constraint = name()
                    {
                        changes.append(change(.index, .replace, constraint, nil))
                    }
                }
                if acceptAll("FOREIGN", "KEY") {
                    _ = acceptAll("IF", "NOT", "EXISTS")
                    if let token = current, !token.isSymbol("("), let index = name() {
                        changes.append(change(.index, .replace, index, nil))
                    }
                } else if accept("INDEX") || accept("KEY") || accept("FULLTEXT") || accept("SPATIAL")
                    || accept("UNIQUE")
                {
                    _ = accept("INDEX") || accept("KEY")
                    _ = acceptAll("IF", "NOT", "EXISTS")
                    if let token = current, token.kind != .word || !token.isKeyword("USING"), !token.isSymbol("("),
                        let index = name()
                    {
                        changes.append(change(.index, .replace, index, nil))
                    }
                } else if let next = current,
                    next.kind != .word || !Self.addKeywords.contains(next.upperASCII) || next.isKeyword("COLUMN")
                {
                    _ = accept("COLUMN")
                    _ = acceptAll("IF", "NOT", "EXISTS")
                    if acceptSymbol("(") {
                        // ADD (a int, b int): the list read to its closing `)`, so that the
                        // specifications after it are read too.
                        repeat {
                            if let column = name() { changes.append(change(.column, .replace, column, nil)) }
                            skipSpecification()
                        } while acceptSymbol(",")
                        guard acceptSymbol(")") else { return lost() }
                    } else if let column = name() {
                        changes.append(change(.column, .replace, column, nil))
                    }
                }
            }
            return nil
        }

        /// A specification not understood: the statement cannot be followed (`followed`).
        mutating func lost() -> (database: String, table: String)? {
            followed = false
            return nil
        }

        /// Words after `DROP` in `ALTER TABLE` that do not start a column name.
        static let dropKeywords: Set<String> = [
            "PRIMARY", "FOREIGN", "CONSTRAINT", "CHECK", "PARTITION", "SYSTEM", "PERIOD", "INDEX", "KEY",
        ]
        /// Words after `ADD` in `ALTER TABLE` that do not start a column definition.
        static let addKeywords: Set<String> = [
            "PRIMARY", "FOREIGN", "CONSTRAINT", "CHECK", "PARTITION", "SYSTEM", "PERIOD", "INDEX", "KEY", "UNIQUE",
            "FULLTEXT", "SPATIAL",
        ]

        mutating func drop() {
            if accept("TEMPORARY") { return }
            if accept("TABLE") || accept("TABLES") || accept("VIEW") {
                _ = acceptAll("IF", "EXISTS")
                repeat {
                    guard let table = tableName() else { return }
                    changes.append(
                        NameChange(
                            object: .table, action: .replace, database: table.database, table: table.table,
                            statement: statement))
                } while acceptSymbol(",")
            } else if accept("INDEX") {
                _ = acceptAll("IF", "EXISTS")
                guard let index = name() else { return }
                skipWait()
                guard accept("ON"), let table = tableName() else { return }
                changes.append(
                    NameChange(
                        object: .index, action: .replace, database: table.database, table: table.table, name: index,
                        statement: statement))
            }
        }

        mutating func create() {
            _ = acceptAll("OR", "REPLACE")
            // A temporary table hides a permanent one of its name, and statements naming it act
            // on it until it is dropped: from here on the name holds a new object (a rename of
            // the temporary table is never credited to the permanent one).
            _ = accept("TEMPORARY")
            if accept("TABLE") {
                _ = acceptAll("IF", "NOT", "EXISTS")
                if let table = tableName() {
                    changes.append(
                        NameChange(
                            object: .table, action: .replace, database: table.database, table: table.table,
                            statement: statement))
                }
                return
            }
            _ = accept("UNIQUE") || accept("FULLTEXT") || accept("SPATIAL")
            if accept("INDEX") {
                _ = acceptAll("IF", "NOT", "EXISTS")
                guard let index = name() else { return }
                guard accept("ON"), let table = tableName() else { return }
                changes.append(
                    NameChange(
                        object: .index, action: .replace, database: table.database, table: table.table, name: index,
                        statement: statement))
                return
            }
            // CREATE [ALGORITHM = …] [DEFINER = …] [SQL SECURITY …] VIEW name: the clauses are
            // skipped up to VIEW, unless another object's keyword comes first.
            let stop: Set<String> = ["TABLE", "INDEX", "TRIGGER", "FUNCTION", "PROCEDURE", "EVENT", "AS", "SELECT"]
            var look = at
            while look < tokens.count && look < at + 16 {
                let token = tokens[look]
                if token.isKeyword("VIEW") {
                    at = look + 1
                    _ = acceptAll("IF", "NOT", "EXISTS")
                    if let view = tableName() {
                        changes.append(
                            NameChange(
                                object: .table, action: .replace, database: view.database, table: view.table,
                                statement: statement))
                    }
                    return
                }
                if token.kind == .word && stop.contains(token.upperASCII) || token.isSymbol(";") { return }
                look += 1
            }
        }
    }
}
