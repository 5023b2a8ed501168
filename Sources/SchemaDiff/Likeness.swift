import SchemaModel

/// Pairing by likeness: for MySQL and MariaDB objects left unmatched by name, identity and
/// the binary log's hints (when the log could not be read), the conservative rule of
/// docs/diff.md. A false rename is worse than a missed one: when in doubt, nothing pairs.
enum Likeness {
    /// Whether an old and a new table (of the same kind) are alike enough to be one table
    /// renamed (docs/diff.md): the same number of columns, at least two, and with three or
    /// more either every column equal at its position but its name with more than half of
    /// the names equal, or every name equal at its position with compatible types; with two
    /// (`id, name` tables are everywhere), every column equal but none renamed.
    static func tablesAlike(_ old: Relation, _ new: Relation) -> Bool {
        guard old.kind == new.kind, old.kind.isTable, old.columns.count == new.columns.count, old.columns.count >= 2
        else { return false }
        let pairs = zip(
            old.columns.sorted { $0.position < $1.position }, new.columns.sorted { $0.position < $1.position })
        let sameNames = pairs.filter { $0.0.name == $0.1.name }.count
        let sameDefinitions = pairs.allSatisfy { $0.0.renameShape == $0.1.renameShape }
        guard old.columns.count >= 3 else { return sameNames == old.columns.count && sameDefinitions }
        if sameDefinitions && sameNames * 2 > old.columns.count { return true }
        return sameNames == old.columns.count && pairs.allSatisfy { compatible($0.0.type, $0.1.type) }
    }

    /// Whether two column names are alike: ignoring case and underscores, one begins or ends
    /// with the other (`content_json` and `content`, `user` and `user_id`), the shorter at
    /// least three characters long.
    static func namesAlike(_ a: String, _ b: String) -> Bool {
        let left = a.lowercased().filter { $0 != "_" }
        let right = b.lowercased().filter { $0 != "_" }
        let (short, long) = left.count <= right.count ? (left, right) : (right, left)
        guard short.count >= 3 else { return false }
        return long.hasPrefix(short) || long.hasSuffix(short)
    }

    /// Whether two column types are of one family (integers, exact or approximate numbers,
    /// character strings and JSON, binary strings, dates and times, enumerations, bits, spatial).
    static func compatible(_ a: String, _ b: String) -> Bool {
        guard let left = family(a), let right = family(b) else { return a == b }
        return left == right
    }

    private static func family(_ type: String) -> String? {
        let base = String(type.lowercased().prefix { $0.isLetter || $0.isNumber })
        switch base {
        case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "bool", "boolean": return "integer"
        case "decimal", "numeric", "dec", "fixed", "float", "double", "real": return "number"
        case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "json", "uuid", "inet4", "inet6":
            return "text"
        case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob": return "binary"
        case "date", "datetime", "timestamp", "time", "year": return "temporal"
        case "enum", "set": return "enumeration"
        case "bit": return "bit"
        case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
            "geometrycollection":
            return "spatial"
        default: return nil
        }
    }

    /// Old and new objects paired where each has exactly one candidate on the other side and
    /// that candidate has exactly it: unique both ways.
    static func uniquePairs<T>(_ old: [T], _ new: [T], alike: (T, T) -> Bool) -> [(old: Int, new: Int)] {
        var candidatesOfOld = Array(repeating: [Int](), count: old.count)
        var candidatesOfNew = Array(repeating: [Int](), count: new.count)
        for (i, before) in old.enumerated() {
            for (j, after) in new.enumerated() where alike(before, after) {
                candidatesOfOld[i].append(j)
                candidatesOfNew[j].append(i)
            }
        }
        var pairs: [(old: Int, new: Int)] = []
        for (i, candidates) in candidatesOfOld.enumerated() {
            guard candidates.count == 1, let j = candidates.first, candidatesOfNew[j] == [i] else { continue }
            pairs.append((i, j))
        }
        return pairs
    }
}

extension Plan {
    /// MySQL and MariaDB relations left unmatched by name within their database, paired across
    /// the whole catalog: by InnoDB table id (unique on each side), then by the binary log's
    /// hints, then, without hints, by likeness. Pairs within one database are renames, across
    /// two a move (`RENAME TABLE a.t TO b.t`).
    static func leftoverRelationPairs(_ old: Catalog, _ new: Catalog, hints: RenameHints?) -> [(
        old: PlacedRelation, new: PlacedRelation
    )] {
        func placed(_ catalog: Catalog) -> [String: [PlacedRelation]] {
            var map: [String: [PlacedRelation]] = [:]
            for database in catalog.databases { map[database.name, default: []] += placedRelations(database) }
            return map
        }
        let oldByDatabase = placed(old)
        let newByDatabase = placed(new)
        func leftovers(_ side: [String: [PlacedRelation]], _ other: [String: [PlacedRelation]]) -> [PlacedRelation] {
            side.keys.sorted().flatMap { database in
                let names = Set((other[database] ?? []).map(\.relation.name))
                return (side[database] ?? []).filter { !names.contains($0.relation.name) }
            }
        }
        var oldLeft = leftovers(oldByDatabase, newByDatabase)
        var newLeft = leftovers(newByDatabase, oldByDatabase)
        var pairs: [(old: PlacedRelation, new: PlacedRelation)] = []
        func take(_ found: [(old: Int, new: Int)]) {
            for (i, j) in found { pairs.append((oldLeft[i], newLeft[j])) }
            let oldTaken = Set(found.map(\.old))
            let newTaken = Set(found.map(\.new))
            oldLeft = oldLeft.indices.filter { !oldTaken.contains($0) }.map { oldLeft[$0] }
            newLeft = newLeft.indices.filter { !newTaken.contains($0) }.map { newLeft[$0] }
        }
        // Identity: an id found once among the leftovers of each side.
        take(
            Likeness.uniquePairs(oldLeft, newLeft) { before, after in
                before.relation.objectId != nil && before.relation.objectId == after.relation.objectId
                    && before.relation.kind == after.relation.kind
            })
        if let hints {
            take(
                Likeness.uniquePairs(oldLeft, newLeft) { before, after in
                    hints.tables[RenameHints.Table(database: after.database, name: after.relation.name)]
                        == RenameHints.Table(database: before.database, name: before.relation.name)
                        && before.relation.kind == after.relation.kind
                })
        } else {
            // Across databases only under the same name (a move keeps it: `RENAME TABLE a.t TO b.t`)
            // and between databases there before and after (a database dropped and another
            // created with the same tables is a drop and a create).
            let kept = Set(old.databases.map(\.name)).intersection(new.databases.map(\.name))
            take(
                Likeness.uniquePairs(oldLeft, newLeft) { before, after in
                    (before.database == after.database
                        || (before.relation.name == after.relation.name && kept.contains(before.database)
                            && kept.contains(after.database)))
                        && Likeness.tablesAlike(before.relation, after.relation)
                })
        }
        return pairs
    }
}

extension Likeness {
    /// A column left unmatched in a table on both sides (MySQL, no hints): one dropped and one
    /// added at the same position, when they are the only ones left over, every other column
    /// is unchanged, and the two have the same type, or alike names (`namesAlike`) and types of
    /// one family (`compatible`: `content_json longtext` and `content json`, never `created
    /// datetime` and `created_by bigint`), are one column renamed (and perhaps retyped).
    static func pairLeftoverColumn(_ columns: inout Matching<Column>) {
        guard columns.dropped.count == 1, columns.created.count == 1, let before = columns.dropped.first,
            let after = columns.created.first, before.objectId == nil, after.objectId == nil,
            before.position == after.position, columns.pairs.allSatisfy({ $0.old == $0.new }),
            before.type == after.type || (namesAlike(before.name, after.name) && compatible(before.type, after.type))
        else { return }
        columns.pairs.append((before, after))
        columns.dropped = []
        columns.created = []
    }
}
