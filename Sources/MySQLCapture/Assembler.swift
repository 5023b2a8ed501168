import Foundation
import SchemaCapture
import SchemaModel

/// Builds the model from the bulk query results, all in memory.
struct Assembler {
    let flavor: ServerFlavor
    let options: CaptureOptions
    let results: BulkResults
    /// Each result's rows by their database (column 0), grouped once: assembly stays linear
    /// in the rows however many databases there are.
    private let grouped: [ResultKind: [String: [MySQLRow]]]
    private let charsetOfCollation: [String: String]

    enum ResultKind: CaseIterable {
        case tables, columns, statistics, foreignKeyColumns, referentialConstraints, checkConstraints, triggers
        case views, routines, parameters, innodbTableIDs, partitions
    }

    init(flavor: ServerFlavor, options: CaptureOptions, results: BulkResults) {
        self.flavor = flavor
        self.options = options
        self.results = results
        var grouped: [ResultKind: [String: [MySQLRow]]] = [:]
        for kind in ResultKind.allCases {
            let table: MySQLResultTable
            switch kind {
            case .tables: table = results.tables
            case .columns: table = results.columns
            case .statistics: table = results.statistics
            case .foreignKeyColumns: table = results.foreignKeyColumns
            case .referentialConstraints: table = results.referentialConstraints
            case .checkConstraints: table = results.checkConstraints
            case .triggers: table = results.triggers
            case .views: table = results.views
            case .routines: table = results.routines
            case .parameters: table = results.parameters
            case .innodbTableIDs: table = results.innodbTableIDs
            case .partitions: table = results.partitions
            }
            // The InnoDB ids name their database in column 1.
            let column = kind == .innodbTableIDs ? 1 : 0
            var byDatabase: [String: [MySQLRow]] = [:]
            for row in table.rows { byDatabase[row.text(column), default: []].append(row) }
            grouped[kind] = byDatabase
        }
        self.grouped = grouped
        var map: [String: String] = [:]
        for row in results.collations.rows { map[row.text(0)] = row.text(1) }
        charsetOfCollation = map
    }

    /// The rows of one result that belong to `database`.
    private func rows(_ kind: ResultKind, _ database: String) -> [MySQLRow] {
        grouped[kind]?[database] ?? []
    }

    /// `db\0table`: the key of everything that belongs to a table.
    static func key(_ database: String, _ table: String) -> String { database + "\u{0}" + table }

    func database(_ name: String, row: [String?]) throws -> Database {
        var database = Database(
            name: name, comment: Self.nonEmpty(row[2] ?? nil), encoding: row[0] ?? nil, collation: row[1] ?? nil)
        database.schemas = [Schema(name: name, relations: try relations(in: name), routines: routines(in: name))]
        return database
    }

    // MARK: Relations

    /// The columns a view had in the previous capture (a view the server reports invalid has
    /// none now). The only use of the previous catalog beyond its binary log position and its
    /// databases' names: it is decoded here, on first use, and never when no view is invalid.
    private func lastKnownColumns(_ database: String, _ view: String) throws -> [Column] {
        try options.previous?.columns(of: view, kind: .view, in: database) ?? []
    }

    private func relations(in database: String) throws -> [Relation] {
        let charsets = charsetOfCollation
        var relations: [String: Relation] = [:]
        for row in rows(.tables, database) {
            let name = row.text(1)
            guard options.filter.keeps(schema: database, name: name),
                !results.goneTables.contains(Self.key(database, name))
            else { continue }
            let type = row.text(2)
            let createOptions = (row.string(7) ?? "").split(separator: " ").map(String.init)
            var relation: Relation
            switch type {
            case "VIEW":
                relation = Relation(name: name, kind: .view)
                // A view the server cannot open (a column or table it uses renamed or dropped)
                // has the error as its comment, and no columns: invalid, with its last known columns.
                if let comment = row.string(6), !comment.isEmpty, comment != "VIEW" {
                    relation.options["invalid"] = "true"
                    relation.columns = try lastKnownColumns(database, name)
                }
            case "BASE TABLE", "SYSTEM VERSIONED":
                let partitioned = createOptions.contains { $0.lowercased() == "partitioned" }
                relation = Relation(name: name, kind: partitioned ? .partitionedTable : .table)
                relation.comment = Self.nonEmpty(row.string(6))
                if let engine = row.string(3) { relation.options["engine"] = engine }
                if let rowFormat = row.string(4) { relation.options["rowFormat"] = rowFormat }
                if let collation = row.string(5) {
                    relation.options["collation"] = collation
                    if let charset = charsets[collation] { relation.options["charset"] = charset }
                }
                let rest = createOptions.filter { $0.lowercased() != "partitioned" }
                if !rest.isEmpty { relation.options["createOptions"] = rest.joined(separator: " ") }
                if type == "SYSTEM VERSIONED" { relation.options["systemVersioned"] = "true" }
            default:
                // Sequences (MariaDB) and anything else are not relations of the model.
                continue
            }
            relations[Self.key(database, name)] = relation
        }
        guard !relations.isEmpty else { return [] }

        for row in rows(.innodbTableIDs, database) {
            let key = Self.key(database, row.text(2))
            if let kind = relations[key]?.kind, kind == .table || kind == .partitionedTable, let id = row.int(0) {
                relations[key]?.objectId = id
            }
        }
        for row in rows(.columns, database) {
            let key = Self.key(database, row.text(1))
            guard let relation = relations[key] else { continue }
            relations[key]?.columns.append(column(row, inView: relation.kind == .view))
        }
        for row in rows(.views, database) {
            let key = Self.key(database, row.text(1))
            guard relations[key] != nil else { continue }
            let check = row.text(3)
            relations[key]?.view = ViewDefinition(
                definition: Self.unqualified(row.text(2), database: database),
                checkOption: check == "NONE" || check.isEmpty ? nil : check, definer: row.string(4),
                securityType: row.string(5))
        }
        addIndexes(database, &relations)
        addForeignKeys(database, &relations)
        for row in rows(.checkConstraints, database) {
            let key = Self.key(database, row.text(1))
            guard relations[key] != nil else { continue }
            let name = row.text(2)
            relations[key]?.checkConstraints.append(
                CheckConstraint(
                    name: name, expression: row.text(4), columns: row.text(3) == "Column" ? [name] : [],
                    validated: row.text(5) != "NO"))
        }
        for row in rows(.triggers, database) {
            let key = Self.key(database, row.text(3))
            guard relations[key] != nil else { continue }
            var options: [String: String] = [:]
            if let definer = row.string(8) { options["definer"] = definer }
            if let order = row.string(4) { options["actionOrder"] = order }
            relations[key]?.triggers.append(
                Trigger(
                    name: row.text(1), timing: TriggerTiming(rawValue: row.text(7)),
                    events: [TriggerEvent(rawValue: row.text(2))], level: TriggerLevel(rawValue: row.text(6)),
                    definition: row.text(5), options: options))
        }
        addPartitions(database, &relations)
        return Array(relations.values)
    }

    /// A column from a row of `CatalogQueries.columns`.
    private func column(_ row: MySQLRow, inView: Bool) -> Column {
        let extra = row.text(10)
        let upper = extra.uppercased()
        var column = Column(
            name: row.text(2), position: Int(row.int(3) ?? 0), type: row.text(7), nullable: row.text(5) == "YES",
            collation: row.string(9), charset: row.string(8), comment: Self.nonEmpty(row.string(12)))
        if upper.contains("STORED GENERATED") || upper.contains("PERSISTENT GENERATED")
            || upper.contains("VIRTUAL GENERATED")
        {
            column.generated = GeneratedColumn(
                expression: row.text(11), stored: !upper.contains("VIRTUAL GENERATED"))
        } else if !inView {
            column.defaultValue = Self.defaultValue(
                row.string(4), dataType: row.text(6), extra: extra, mariaDB: flavor.isMariaDB)
            if upper.contains("AUTO_INCREMENT") { column.identity = .autoIncrement }
            if let range = extra.range(of: "on update ", options: .caseInsensitive) {
                column.onUpdate = String(extra[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            }
        }
        if upper.split(separator: " ").contains("INVISIBLE") { column.invisible = true }
        return column
    }

    /// The default as the server would print it in `SHOW CREATE TABLE`: a literal string or
    /// date quoted (`'new'`), a number as is (`0.00`), an expression as is (`current_timestamp(3)`);
    /// nil without one (MariaDB's `NULL` text, which is also what `DEFAULT NULL` gives).
    static func defaultValue(_ raw: String?, dataType: String, extra: String, mariaDB: Bool) -> String? {
        guard let raw else { return nil }
        if mariaDB { return raw == "NULL" ? nil : raw }
        // MySQL 8 prints literals unquoted and marks expressions with DEFAULT_GENERATED.
        if extra.uppercased().contains("DEFAULT_GENERATED") { return raw }
        let numeric: Set<String> = [
            "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float", "double",
            "real", "bit", "year",
        ]
        if numeric.contains(dataType.lowercased()) { return raw }
        return "'" + raw.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    // MARK: Indexes and keys

    private struct IndexPart {
        var sequence: Int
        var column: String?
        var expression: String?
        var descending: Bool
        var prefix: Int?
    }

    private func addIndexes(_ database: String, _ relations: inout [String: Relation]) {
        struct Found {
            var unique: Bool
            var method: String
            var comment: String?
            var hidden: Bool
            var parts: [IndexPart] = []
        }
        var found: [String: [String: Found]] = [:]
        for row in rows(.statistics, database) {
            let key = Self.key(database, row.text(1))
            guard relations[key] != nil else { continue }
            let name = row.text(3)
            let method = row.text(8)
            var index =
                found[key]?[name]
                ?? Found(
                    unique: row.text(2) == "0", method: method, comment: Self.nonEmpty(row.string(9)),
                    hidden: row.text(10) == "YES")
            let spatial = method == "SPATIAL"
            index.parts.append(
                IndexPart(
                    sequence: Int(row.int(4) ?? 0), column: row.string(5), expression: row.string(11),
                    descending: row.string(6) == "D", prefix: spatial ? nil : row.int(7).map { Int($0) }))
            found[key, default: [:]][name] = index
        }
        for (key, indexes) in found {
            for (name, found) in indexes {
                let parts = found.parts.sorted { $0.sequence < $1.sequence }
                let columns = parts.map {
                    IndexColumn(
                        column: $0.column, expression: $0.expression, descending: $0.descending, prefixLength: $0.prefix
                    )
                }
                if name == "PRIMARY" {
                    relations[key]?.primaryKey = KeyConstraint(name: name, columns: parts.compactMap(\.column))
                    continue
                }
                let plain =
                    found.method == "BTREE" && found.comment == nil && !found.hidden
                    && parts.allSatisfy { $0.column != nil && $0.prefix == nil && !$0.descending }
                if found.unique && plain {
                    relations[key]?.uniqueConstraints.append(
                        KeyConstraint(name: name, columns: parts.compactMap(\.column)))
                    continue
                }
                var options: [String: String] = [:]
                if found.hidden {
                    options[flavor.isMariaDB ? "ignored" : "visible"] = flavor.isMariaDB ? "true" : "false"
                }
                relations[key]?.indexes.append(
                    Index(
                        name: name, method: IndexMethod(rawValue: found.method), unique: found.unique,
                        columns: columns,
                        definition: Self.indexDefinition(
                            name: name, method: found.method, unique: found.unique, columns: columns,
                            comment: found.comment, hidden: found.hidden, mariaDB: flavor.isMariaDB),
                        comment: found.comment, options: options))
            }
        }
    }

    /// The key as `SHOW CREATE TABLE` prints it: `` KEY `ix` (`a`(10),`b` DESC) USING BTREE COMMENT '…' ``.
    static func indexDefinition(
        name: String, method: String, unique: Bool, columns: [IndexColumn], comment: String?, hidden: Bool,
        mariaDB: Bool
    ) -> String {
        var text =
            unique ? "UNIQUE KEY" : method == "FULLTEXT" ? "FULLTEXT KEY" : method == "SPATIAL" ? "SPATIAL KEY" : "KEY"
        text += " " + quoteIdentifier(name) + " ("
        text += columns.map { part in
            var item = part.column.map(quoteIdentifier) ?? "(\(part.expression ?? ""))"
            if let prefix = part.prefixLength { item += "(\(prefix))" }
            if part.descending { item += " DESC" }
            return item
        }.joined(separator: ",")
        text += ")"
        if method == "BTREE" || method == "HASH" { text += " USING " + method }
        if let comment { text += " COMMENT '" + comment.replacingOccurrences(of: "'", with: "''") + "'" }
        if hidden { text += mariaDB ? " IGNORED" : " INVISIBLE" }
        return text
    }

    private func addForeignKeys(_ database: String, _ relations: inout [String: Relation]) {
        var rules: [String: (update: String, delete: String)] = [:]
        for row in rows(.referentialConstraints, database) {
            rules[Self.key(row.text(1), row.text(2))] = (row.text(3), row.text(4))
        }
        var keys: [String: [String: ForeignKey]] = [:]
        var order: [String: [String: [(Int, String, String)]]] = [:]
        for row in rows(.foreignKeyColumns, database) {
            let key = Self.key(database, row.text(1))
            guard relations[key] != nil else { continue }
            let name = row.text(2)
            if keys[key]?[name] == nil {
                let rule =
                    results.foreignKeysFromDictionary
                    ? CatalogQueries.actions(fromInnoDBType: row.int(8) ?? 0) : rules[Self.key(row.text(1), name)]
                let referencedDatabase = row.text(5)
                // InnoDB parses MATCH and ignores it: every foreign key is MATCH SIMPLE.
                keys[key, default: [:]][name] = ForeignKey(
                    name: name, columns: [],
                    referencedDatabase: referencedDatabase == database ? nil : referencedDatabase,
                    referencedTable: row.text(6), referencedColumns: [],
                    onUpdate: Self.referentialAction(rule?.update), onDelete: Self.referentialAction(rule?.delete),
                    matchType: .simple)
            }
            order[key, default: [:]][name, default: []].append((Int(row.int(4) ?? 0), row.text(3), row.text(7)))
        }
        for (key, byName) in keys {
            for (name, var foreignKey) in byName {
                let columns = (order[key]?[name] ?? []).sorted { $0.0 < $1.0 }
                foreignKey.columns = columns.map(\.1)
                foreignKey.referencedColumns = columns.map(\.2)
                relations[key]?.foreignKeys.append(foreignKey)
            }
        }
    }

    /// An action as InnoDB enforces it. InnoDB checks NO ACTION at once, exactly as RESTRICT,
    /// and the catalogs do not agree on which of the two an FK without an action shows
    /// (MariaDB: RESTRICT in both routes; MySQL 8: NO ACTION in REFERENTIAL_CONSTRAINTS, no
    /// flag, read as RESTRICT, in the InnoDB dictionary): both are recorded as `RESTRICT`, so the
    /// route taken (PROCESS granted or not) and the spelling in the DDL change nothing.
    static func referentialAction(_ text: String?) -> ReferentialAction {
        guard let text, text.uppercased() != "NO ACTION", !text.isEmpty else { return .restrict }
        return ReferentialAction(rawValue: text.uppercased())
    }

    // MARK: Partitions

    private func addPartitions(_ database: String, _ relations: inout [String: Relation]) {
        var rowsByTable: [String: [MySQLRow]] = [:]
        for row in rows(.partitions, database) {
            rowsByTable[Self.key(database, row.text(1)), default: []].append(row)
        }
        for (key, rows) in rowsByTable where relations[key] != nil {
            guard let firstRow = rows.first else { continue }
            let method = firstRow.text(6)
            relations[key]?.partitioning = Partitioning(
                strategy: PartitionStrategy(rawValue: method), key: firstRow.text(8))
            let defaults = Self.defaultPartitions(results.createStatements[key])
            var partitions: [String: Partition] = [:]
            var order: [String] = []
            for row in rows.sorted(by: { ($0.int(4) ?? 0, $0.int(5) ?? 0) < ($1.int(4) ?? 0, $1.int(5) ?? 0) }) {
                let name = row.text(2)
                let subName = row.string(3)
                if partitions[name] == nil {
                    order.append(name)
                    let bound =
                        defaults.contains(name) ? "DEFAULT" : Self.bound(method: method, description: row.string(10))
                    var partition = Partition(name: name, bound: bound)
                    if subName == nil {
                        partition.comment = Self.nonEmpty(row.string(11))
                    } else {
                        partition.partitioning = Partitioning(
                            strategy: PartitionStrategy(rawValue: row.text(7)), key: row.text(9))
                    }
                    partitions[name] = partition
                }
                if let subName {
                    partitions[name]?.subpartitions.append(
                        Partition(name: subName, bound: "", comment: Self.nonEmpty(row.string(11))))
                }
            }
            relations[key]?.partitions = order.compactMap { partitions[$0] }
        }
    }

    /// The bound as `SHOW CREATE TABLE` prints it after `VALUES`: `LESS THAN (2023)`,
    /// `LESS THAN MAXVALUE`, `IN (1,2,3)`; empty for HASH and KEY.
    static func bound(method: String, description: String?) -> String {
        guard let description else { return "" }
        if method.hasPrefix("RANGE") {
            return description == "MAXVALUE" ? "LESS THAN MAXVALUE" : "LESS THAN (\(description))"
        }
        if method.hasPrefix("LIST") { return "IN (\(description))" }
        return description
    }

    /// The names of the partitions `SHOW CREATE TABLE` prints as `PARTITION name DEFAULT`.
    static func defaultPartitions(_ createStatement: String?) -> Set<String> {
        guard let createStatement else { return [] }
        var names = Set<String>()
        for line in createStatement.split(whereSeparator: \.isNewline) {
            var text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("(") { text.removeFirst() }
            guard text.hasPrefix("PARTITION `") else { continue }
            // PARTITION `name` DEFAULT ENGINE = InnoDB,
            var name = ""
            var index = text.index(text.startIndex, offsetBy: "PARTITION `".count)
            while index < text.endIndex {
                let character = text[index]
                let next = text.index(after: index)
                if character == "`" {
                    if next < text.endIndex && text[next] == "`" {
                        name.append("`")
                        index = text.index(after: next)
                        continue
                    }
                    if text[next...].hasPrefix(" DEFAULT") { names.insert(name) }
                    break
                }
                name.append(character)
                index = next
            }
        }
        return names
    }

    // MARK: Routines

    private func routines(in database: String) -> [Routine] {
        var parameters: [String: [(Int, String)]] = [:]
        for row in rows(.parameters, database) {
            let position = Int(row.int(3) ?? 0)
            guard position > 0, let name = row.string(5) else { continue }
            var text = ""
            if row.text(2) == "PROCEDURE", let mode = row.string(4) { text = mode + " " }
            text += name + " " + row.text(6)
            parameters[Self.key(row.text(1), row.text(2)), default: []].append((position, text))
        }
        var routines: [Routine] = []
        for row in rows(.routines, database) {
            let name = row.text(2)
            guard options.filter.keeps(schema: database, name: name) else { continue }
            let kind = row.text(3)
            let arguments = (parameters[Self.key(row.text(1), kind)] ?? []).sorted { $0.0 < $1.0 }.map(\.1)
            var options: [String: String] = [:]
            if let definer = row.string(12) { options["definer"] = definer }
            if let access = row.string(8) { options["dataAccess"] = access }
            if let mode = row.string(10) { options["sqlMode"] = mode }
            if row.text(13) == "1" { options["bodyHidden"] = "true" }
            routines.append(
                Routine(
                    name: name, kind: RoutineKind(rawValue: kind), arguments: arguments.joined(separator: ", "),
                    returns: kind == "FUNCTION" ? row.string(4) : nil, language: row.string(5) ?? "SQL",
                    comment: Self.nonEmpty(row.string(11)), bodyHash: row.text(6).lowercased(),
                    volatility: row.text(7) == "YES" ? "DETERMINISTIC" : "NOT DETERMINISTIC",
                    security: row.string(9), options: options))
        }
        return routines
    }

    // MARK: Helpers

    static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// A view definition without its own database's qualifier (`` `db`.`t` `` → `` `t` ``), so
    /// that it does not depend on the database's name.
    ///
    /// The text is read token by token, as the server prints it: a backtick-quoted
    /// identifier (```` `` ```` inside is one backtick), a string literal in `'` or `"` (with `\`
    /// escapes and doubled quotes), a comment (`/* … */`, `-- …`, `# …`), or one other
    /// character. `` `db` `` and the `.` after it are removed only where the identifier starts
    /// a qualified name: followed at once by `.`, and not itself after a `.` (so in
    /// `` `other`.`db`.`id` ``, `` `db` `` is a table of another database and stays). Nothing
    /// inside a literal or a comment is changed.
    static func unqualified(_ definition: String, database: String) -> String {
        let text = Array(definition.unicodeScalars)
        let qualifier = Array(quoteIdentifier(database).unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        /// The last character that was not space or a comment: a `.` there makes the next
        /// identifier part of a qualified name already.
        var previous: Unicode.Scalar?
        func starts(with prefix: String, at position: Int) -> Bool {
            let scalars = Array(prefix.unicodeScalars)
            return position + scalars.count <= text.count && Array(text[position..<position + scalars.count]) == scalars
        }
        while index < text.count {
            let character = text[index]
            var end = index + 1
            switch character {
            case "`":
                // An identifier: up to the closing backtick, a doubled one is part of the name.
                while end < text.count {
                    if text[end] == "`" {
                        if end + 1 < text.count && text[end + 1] == "`" {
                            end += 2
                            continue
                        }
                        end += 1
                        break
                    }
                    end += 1
                }
                if Array(text[index..<end]) == qualifier, end < text.count, text[end] == ".", previous != "." {
                    // Drop `db` and its `.`; what follows is the rest of the same name.
                    index = end + 1
                    previous = "."
                    continue
                }
            case "'", "\"":
                while end < text.count {
                    if text[end] == "\\" {
                        end += 2
                        continue
                    }
                    if text[end] == character {
                        if end + 1 < text.count && text[end + 1] == character {
                            end += 2
                            continue
                        }
                        end += 1
                        break
                    }
                    end += 1
                }
                end = min(end, text.count)
            case "/" where starts(with: "/*", at: index):
                end = index + 2
                while end < text.count && !starts(with: "*/", at: end) { end += 1 }
                end = min(end + 2, text.count)
            case "-" where starts(with: "-- ", at: index), "#":
                while end < text.count && text[end] != "\n" { end += 1 }
            default:
                break
            }
            out.append(contentsOf: text[index..<end])
            let isComment =
                character == "#" || (character == "/" && end - index > 1) || (character == "-" && end - index > 1)
            if !isComment && !character.properties.isWhitespace { previous = text[end - 1] }
            index = end
        }
        return String(out)
    }
}
