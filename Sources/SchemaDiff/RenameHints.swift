import SchemaModel

/// The binary log's name changes between two MySQL captures (`NameChangeLog`), played in
/// order so that chains (`a → b → c`) and swaps (`a → tmp`, `b → a`, `tmp → b`) resolve: for a
/// table, column or index of the later capture, the name it had in the earlier one. Hints
/// only pair objects left unmatched by name (docs/diff.md).
struct RenameHints {
    struct Table: Hashable {
        var database: String
        var name: String
    }

    /// What a name holds now: the object that had some name at the start, or a new one.
    private enum Origin: Hashable {
        case earlier(String)
        case new
    }

    /// Later table → the earlier table it was (only where the name differs).
    private(set) var tables: [Table: Table] = [:]
    /// Every table name the log touched → the earlier table it holds now (nil: a new table).
    private var touched: [Table: Table?] = [:]
    /// Earlier table → later column name (lower-cased) → earlier column name.
    private(set) var columns: [Table: [String: String]] = [:]
    /// Earlier table → later index name (lower-cased) → earlier index name.
    private(set) var indexes: [Table: [String: String]] = [:]

    /// The hints of `new` relative to `old`: nil unless `new` holds a log of name changes read
    /// from exactly the position `old` recorded (same server, nothing missing).
    init?(from old: Catalog, to new: Catalog) {
        guard let log = new.nameChanges, let since = old.binaryLog, log.since == since else { return nil }
        self.init(log.changes)
    }

    init(_ changes: [NameChange]) {
        // Tables: what each name holds now (absent: what it held at the start).
        var tableNow: [Table: TableOrigin] = [:]
        // Per earlier table: what each (lower-cased) column or index name holds now.
        var columnNow: [Table: [String: Origin]] = [:]
        var indexNow: [Table: [String: Origin]] = [:]
        // Per kind, earlier tables whose column or index names a statement the parser could not
        // follow made unknown: a name not in the state then holds a new object.
        var lost: [NameChange.Object: Set<Table>] = [:]

        func origin(of table: Table) -> TableOrigin { tableNow[table] ?? .earlier(table) }

        var start = 0
        while start < changes.count {
            // One statement's changes act at once.
            var end = start + 1
            while end < changes.count && changes[end].statement == changes[start].statement { end += 1 }
            let group = changes[start..<end]
            start = end

            for kind in [NameChange.Object.column, .index] {
                // Per table, every source is read before any name is written: first the names a
                // statement vacates (renamed away, dropped, added anew), then the renames' targets.
                var vacated: [Table: Set<String>] = [:]
                var targets: [Table: [String: Origin]] = [:]
                var unknown: Set<Table> = []
                for change in group where change.object == kind {
                    let current = Table(database: change.database, name: change.table)
                    guard case .earlier(let table) = origin(of: current) else { continue }
                    // No name: the statement could not be followed; every name of the kind is new.
                    guard let name = change.name else {
                        unknown.insert(table)
                        continue
                    }
                    let state = (kind == .column ? columnNow[table] : indexNow[table]) ?? [:]
                    let key = name.lowercased()
                    vacated[table, default: []].insert(key)
                    if change.action == .rename, let newName = change.newName {
                        let was = state[key] ?? (lost[kind, default: []].contains(table) ? .new : .earlier(name))
                        targets[table, default: [:]][newName.lowercased()] = was
                    }
                }
                for (table, names) in vacated where !unknown.contains(table) {
                    var state = (kind == .column ? columnNow[table] : indexNow[table]) ?? [:]
                    for name in names { state[name] = .new }
                    for (name, origin) in targets[table] ?? [:] { state[name] = origin }
                    if kind == .column { columnNow[table] = state } else { indexNow[table] = state }
                }
                for table in unknown {
                    lost[kind, default: []].insert(table)
                    if kind == .column { columnNow[table] = [:] } else { indexNow[table] = [:] }
                }
            }
            for change in group where change.object == .table {
                let current = Table(database: change.database, name: change.table)
                switch change.action {
                case .rename:
                    guard let newName = change.newName else { continue }
                    let target = Table(database: change.newDatabase ?? change.database, name: newName)
                    let was = origin(of: current)
                    tableNow[current] = .new
                    tableNow[target] = was
                case .replace:
                    tableNow[current] = .new
                }
            }
        }
        for (now, origin) in tableNow {
            switch origin {
            case .earlier(let table):
                touched[now] = table
                if table != now { tables[now] = table }
            case .new:
                touched[now] = .some(nil)
            }
        }
        func resolved(_ state: [Table: [String: Origin]]) -> [Table: [String: String]] {
            var result: [Table: [String: String]] = [:]
            for (table, names) in state {
                for (name, origin) in names {
                    if case .earlier(let earlier) = origin { result[table, default: [:]][name] = earlier }
                }
            }
            return result
        }
        columns = resolved(columnNow)
        indexes = resolved(indexNow)
    }

    private enum TableOrigin: Hashable {
        case earlier(Table)
        case new
    }

    /// The name among `names` that `earlier` (as a statement spelled it) is, without case:
    /// MySQL compares column and index names without case.
    static func named(_ earlier: String?, among names: [String]) -> String? {
        guard let earlier else { return nil }
        if names.contains(earlier) { return earlier }
        return names.first { $0.lowercased() == earlier.lowercased() }
    }

    /// The earlier table a later table is, following the log's table renames in order: itself
    /// where the log never touched its name, nil where the name now holds a new table.
    func earlierTable(of later: Table) -> Table? {
        guard let origin = touched[later] else { return later }
        return origin
    }

    /// Whether the column and index hints of `earlier` (keyed by the table each statement
    /// named, followed along the renames) speak of the later table `later`: only when the log
    /// says `later` is `earlier`. A table paired otherwise (by name after a swap, by id, by
    /// likeness) takes no column or index hints: they would be another table's.
    func describe(_ later: Table, asEarlier earlier: Table) -> Bool {
        earlierTable(of: later) == earlier
    }

    /// The earlier name of a later column of a table whose earlier name was `table`.
    func column(_ name: String, ofEarlier table: Table) -> String? {
        columns[table]?[name.lowercased()]
    }

    /// The earlier name of a later index of a table whose earlier name was `table`.
    func index(_ name: String, ofEarlier table: Table) -> String? {
        indexes[table]?[name.lowercased()]
    }
}
