public import SchemaModel

/// A small deterministic random source (SplitMix64), so a failing case is replayed from its seed.
public struct SeededRandom {
    private var state: UInt64

    /// A source that starts from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in the range.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True `percent` times in a hundred.
    public mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    /// One of the values.
    public mutating func pick<T>(_ values: [T]) -> T { values[int(0...(values.count - 1))] }
}

/// Random catalogs and random mutations of them, with the invariants a server keeps: names
/// unique where the server requires it, identities unique and kept through renames.
public struct CatalogGenerator {
    /// The random source; tests draw from it too.
    public var random: SeededRandom
    var nextID: Int64 = 1000

    /// A generator whose catalogs and mutations follow from `seed`.
    public init(seed: UInt64) { random = SeededRandom(seed: seed) }

    mutating func id() -> Int64 {
        nextID += 1
        return nextID
    }

    mutating func name(_ prefix: String) -> String { "\(prefix)\(random.int(0...9_999))" }

    /// A random catalog.
    public mutating func catalog() -> Catalog {
        var catalog = Catalog(name: "src", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/db")
        for _ in 0..<random.int(1...2) {
            catalog.databases.append(database(avoiding: catalog.databases.map(\.name)))
        }
        return catalog.canonicalized()
    }

    mutating func database(avoiding names: [String]) -> Database {
        var database = Database(
            name: unique("db", avoiding: names), objectId: id(), owner: "postgres",
            comment: random.chance(30) ? "db" : nil,
            encoding: "UTF8", collation: "C.UTF-8", ctype: "C.UTF-8", options: ["localeProvider": "libc"])
        for _ in 0..<random.int(1...3) {
            database.schemas.append(schema(avoiding: database.schemas.map(\.name)))
        }
        return database
    }

    mutating func schema(avoiding names: [String]) -> Schema {
        var schema = Schema(name: unique("s", avoiding: names), objectId: id(), owner: "postgres")
        for _ in 0..<random.int(0...4) {
            schema.relations.append(relation(avoiding: schema.relations.map(\.name)))
        }
        for _ in 0..<random.int(0...2) {
            schema.routines.append(routine(avoiding: schema.routines.map(\.signature)))
        }
        return schema
    }

    mutating func relation(avoiding names: [String]) -> Relation {
        let kind: RelationKind = random.pick([
            .table, .table, .partitionedTable, .partitionedTable, .view, .materializedView,
        ])
        var relation = Relation(
            name: unique("t", avoiding: names), kind: kind, objectId: id(), owner: "postgres",
            comment: random.chance(30) ? "a comment" : nil)
        for position in 1...random.int(1...6) {
            relation.columns.append(column(position: position, avoiding: relation.columns.map(\.name)))
        }
        if kind.isView {
            relation.view = ViewDefinition(definition: " SELECT \(random.int(0...99));")
            return relation
        }
        let names = relation.columns.map(\.name)
        // PostgreSQL 18 records NOT NULL constraints with names of their own.
        for c in relation.columns.indices where !relation.columns[c].nullable && random.chance(40) {
            relation.columns[c].notNullConstraint = notNullRecord(relation.name, relation.columns[c].name)
        }
        if random.chance(70) {
            relation.primaryKey = KeyConstraint(
                name: relation.name + "_pkey", objectId: id(), columns: [names[0]],
                withoutOverlaps: random.chance(10) ? true : nil)
        }
        if random.chance(30) {
            relation.uniqueConstraints.append(
                KeyConstraint(name: relation.name + "_key", objectId: id(), columns: [random.pick(names)]))
        }
        if random.chance(40) {
            relation.checkConstraints.append(
                CheckConstraint(
                    name: relation.name + "_check", objectId: id(), expression: "(\(names[0]) > 0)",
                    columns: [names[0]],
                    enforced: random.chance(20) ? false : nil))
        }
        if random.chance(30) {
            relation.foreignKeys.append(
                ForeignKey(
                    name: relation.name + "_fk", objectId: id(), columns: [random.pick(names)], referencedSchema: "s",
                    referencedTable: "t", referencedColumns: ["id"],
                    onDelete: random.pick([.cascade, .setNull, .noAction]), period: random.chance(10) ? true : nil))
        }
        for _ in 0..<random.int(0...2) {
            relation.indexes.append(index(on: relation, avoiding: relation.indexes.map(\.name)))
        }
        if random.chance(50) {
            relation.triggers.append(trigger(on: relation, avoiding: []))
        }
        if kind == .partitionedTable {
            relation.partitioning = Partitioning(strategy: .list, key: "LIST (\(names[0]))")
            for _ in 0..<random.int(0...3) {
                relation.partitions.append(partition(avoiding: relation.partitions.map(\.name)))
            }
        }
        return relation
    }

    mutating func column(position: Int, avoiding names: [String]) -> Column {
        var column = Column(
            name: unique("c", avoiding: names), position: position, objectId: Int64(position * 10 + random.int(0...9)),
            type: random.pick(["integer", "text", "numeric(12,2)", "character varying(64)", "bigint"]),
            nullable: random.chance(60))
        if random.chance(30) { column.defaultValue = "0" }
        if random.chance(10) { column.identity = .byDefault }
        if random.chance(20) { column.comment = "column comment" }
        return column
    }

    /// A NOT NULL constraint as PostgreSQL 18 records it.
    mutating func notNullRecord(_ table: String, _ column: String) -> NotNullConstraintInfo {
        NotNullConstraintInfo(
            name: random.chance(70) ? "\(table)_\(column)_not_null" : name("nn"), objectId: id(),
            validated: random.chance(80), noInherit: random.chance(20))
    }

    mutating func index(on relation: Relation, avoiding names: [String]) -> Index {
        let column = random.pick(relation.columns).name
        let name = unique(relation.name + "_i", avoiding: names)
        return Index(
            name: name, objectId: id(), method: IndexMethod(rawValue: "btree"), unique: random.chance(20),
            columns: [IndexColumn(column: column, descending: random.chance(30), nullsFirst: false)],
            definition: "CREATE INDEX \(name) ON \(relation.name) USING btree (\(column))")
    }

    mutating func trigger(on relation: Relation, avoiding names: [String]) -> Trigger {
        let name = unique("trg", avoiding: names)
        return Trigger(
            name: name, objectId: id(), timing: .before, events: [.insert], level: .row, state: .enabled,
            function: "public.f",
            definition: "CREATE TRIGGER \(name) BEFORE INSERT ON \(relation.name) FOR EACH ROW EXECUTE FUNCTION f()")
    }

    mutating func partition(avoiding names: [String]) -> Partition {
        Partition(name: unique("p", avoiding: names), objectId: id(), bound: "FOR VALUES IN (\(random.int(0...999)))")
    }

    mutating func routine(avoiding signatures: [String]) -> Routine {
        while true {
            let routine = Routine(
                name: random.pick(["f", "g", "h"]), objectId: id(), kind: random.pick([.function, .procedure]),
                arguments: random.pick(["", "a integer", "a text", "a integer, b integer"]), language: "sql",
                bodyHash: String(random.int(0...999)))
            if !signatures.contains(routine.signature) { return routine }
        }
    }

    mutating func unique(_ prefix: String, avoiding names: [String]) -> String {
        while true {
            let candidate = name(prefix)
            if !names.contains(candidate) { return candidate }
        }
    }

    // MARK: Mutations

    /// A copy of `catalog` with a few random changes of every kind, as DDL would make them.
    public mutating func mutate(_ catalog: Catalog) -> Catalog {
        var result = catalog
        for _ in 0..<random.int(1...8) {
            mutateOnce(&result)
        }
        return result.canonicalized()
    }

    mutating func mutateOnce(_ catalog: inout Catalog) {
        // Most changes in real life are to tables: 60 % go to a random relation anywhere.
        if random.chance(60) {
            let d = random.int(0...(catalog.databases.count - 1))
            let withRelations = catalog.databases[d].schemas.indices.filter {
                !catalog.databases[d].schemas[$0].relations.isEmpty
            }
            guard !withRelations.isEmpty else { return }
            let s = random.pick(withRelations)
            let r = random.int(0...(catalog.databases[d].schemas[s].relations.count - 1))
            let names = catalog.databases[d].schemas[s].relations.map(\.name)
            mutateRelation(&catalog.databases[d].schemas[s].relations[r], siblings: names)
            return
        }
        switch random.int(0...9) {
        case 0:
            if random.chance(50) {
                catalog.databases.append(database(avoiding: catalog.databases.map(\.name)))
            } else if catalog.databases.count > 1 {
                catalog.databases.remove(at: random.int(0...(catalog.databases.count - 1)))
            }
        case 1:
            // Rename a database (its identity stays), or change a property.
            let d = random.int(0...(catalog.databases.count - 1))
            if random.chance(50) {
                catalog.databases[d].name = unique("db", avoiding: catalog.databases.map(\.name))
            } else {
                catalog.databases[d].comment = random.chance(50) ? "changed" : nil
            }
        case 2:
            catalog.serverVersion = random.pick(["15.18", "15.19", "16.4"])
        default:
            let d = random.int(0...(catalog.databases.count - 1))
            mutateDatabase(&catalog.databases[d])
        }
    }

    mutating func mutateDatabase(_ database: inout Database) {
        switch random.int(0...9) {
        case 0:
            database.schemas.append(schema(avoiding: database.schemas.map(\.name)))
        case 1:
            if database.schemas.count > 1 { database.schemas.remove(at: random.int(0...(database.schemas.count - 1))) }
        case 2:
            let s = random.int(0...(database.schemas.count - 1))
            database.schemas[s].name = unique("s", avoiding: database.schemas.map(\.name))
        case 3:
            // Move a relation to another schema.
            guard database.schemas.count > 1 else { return }
            let from = random.int(0...(database.schemas.count - 1))
            let to = (from + 1) % database.schemas.count
            guard !database.schemas[from].relations.isEmpty else { return }
            var relation = database.schemas[from].relations.remove(at: 0)
            if database.schemas[to].relations.contains(where: { $0.name == relation.name }) {
                relation.name = unique("t", avoiding: database.schemas[to].relations.map(\.name))
            }
            database.schemas[to].relations.append(relation)
        default:
            let s = random.int(0...(database.schemas.count - 1))
            mutateSchema(&database.schemas[s])
        }
    }

    mutating func mutateSchema(_ schema: inout Schema) {
        switch random.int(0...11) {
        case 0:
            schema.relations.append(relation(avoiding: schema.relations.map(\.name)))
        case 1:
            if !schema.relations.isEmpty { schema.relations.remove(at: random.int(0...(schema.relations.count - 1))) }
        case 2:
            schema.routines.append(routine(avoiding: schema.routines.map(\.signature)))
        case 3:
            if !schema.routines.isEmpty {
                let r = random.int(0...(schema.routines.count - 1))
                if random.chance(50) { schema.routines.remove(at: r) } else { schema.routines[r].bodyHash += "x" }
            }
        case 4:
            schema.comment = random.chance(50) ? "schema comment" : nil
        case 5:
            // Drop and re-create a relation under the same name (a new identity).
            if !schema.relations.isEmpty {
                let r = random.int(0...(schema.relations.count - 1))
                schema.relations[r].objectId = id()
            }
        default:
            guard !schema.relations.isEmpty else { return }
            let r = random.int(0...(schema.relations.count - 1))
            let names = schema.relations.map(\.name)
            mutateRelation(&schema.relations[r], siblings: names)
        }
    }

    mutating func mutateRelation(_ relation: inout Relation, siblings: [String]) {
        let names = relation.columns.map(\.name)
        switch random.int(0...16) {
        case 0:
            relation.name = unique("t", avoiding: siblings)
        case 1:
            relation.comment = random.chance(50) ? "changed" : nil
        case 2:
            // Add a column at a random place.
            var column = column(position: 1, avoiding: names)
            column.objectId = Int64(100 + random.int(0...899))
            if relation.columns.contains(where: { $0.objectId == column.objectId }) { return }
            relation.columns.insert(column, at: random.int(0...relation.columns.count))
        case 3:
            // Drop a column that nothing else uses.
            guard relation.columns.count > 1 else { return }
            let candidate = relation.columns[relation.columns.count - 1].name
            if isUsed(candidate, in: relation) { return }
            relation.columns.removeLast()
        case 4:
            // Rename a column (its identity stays).
            let c = random.int(0...(relation.columns.count - 1))
            if isUsed(relation.columns[c].name, in: relation) { return }
            relation.columns[c].name = unique("c", avoiding: names)
        case 5:
            let c = random.int(0...(relation.columns.count - 1))
            relation.columns[c].type = random.pick(["integer", "text", "bigint", "numeric(18,4)"])
        case 6:
            let c = random.int(0...(relation.columns.count - 1))
            relation.columns[c].nullable.toggle()
            relation.columns[c].notNullConstraint =
                !relation.columns[c].nullable && relation.kind.isTable && random.chance(40)
                ? notNullRecord(relation.name, relation.columns[c].name) : nil
        case 7:
            let c = random.int(0...(relation.columns.count - 1))
            relation.columns[c].defaultValue = random.chance(50) ? "42" : nil
            relation.columns[c].comment = random.chance(50) ? "changed" : nil
        case 8:
            // Reorder (MySQL's AFTER).
            guard relation.columns.count > 1 else { return }
            let column = relation.columns.remove(at: random.int(0...(relation.columns.count - 1)))
            relation.columns.insert(column, at: random.int(0...relation.columns.count))
        case 9:
            guard relation.kind.isTable else { return }
            if random.chance(50) || relation.indexes.isEmpty {
                relation.indexes.append(index(on: relation, avoiding: relation.indexes.map(\.name)))
            } else {
                let i = random.int(0...(relation.indexes.count - 1))
                switch random.int(0...2) {
                case 0: relation.indexes.remove(at: i)
                case 1: relation.indexes[i].name = unique(relation.name + "_i", avoiding: relation.indexes.map(\.name))
                default: relation.indexes[i].unique.toggle()
                }
            }
        case 10:
            guard relation.kind.isTable else { return }
            if relation.checkConstraints.isEmpty {
                relation.checkConstraints.append(
                    CheckConstraint(
                        name: relation.name + "_chk", objectId: id(), expression: "(\(names[0]) IS NOT NULL)"))
            } else {
                relation.checkConstraints[0].validated.toggle()
            }
        case 11:
            guard relation.kind.isTable else { return }
            if relation.primaryKey == nil {
                relation.primaryKey = KeyConstraint(name: relation.name + "_pkey", objectId: id(), columns: [names[0]])
            } else {
                relation.primaryKey = nil
            }
        case 12:
            guard relation.kind.isTable else { return }
            if relation.triggers.isEmpty {
                relation.triggers.append(trigger(on: relation, avoiding: []))
            } else if random.chance(40) {
                relation.triggers.removeFirst()
            } else {
                relation.triggers[0].state = relation.triggers[0].state == .enabled ? .disabled : .enabled
                if random.chance(30) {
                    relation.triggers[0].name = unique("trg", avoiding: relation.triggers.map(\.name))
                }
            }
        case 13:
            guard relation.kind == .partitionedTable else { return }
            if random.chance(50) || relation.partitions.isEmpty {
                relation.partitions.append(partition(avoiding: relation.partitions.map(\.name)))
            } else if random.chance(50) {
                relation.partitions.removeFirst()
            } else {
                relation.partitions[0].bound = "FOR VALUES IN (\(random.int(1000...1999)))"
            }
        case 14:
            guard relation.kind.isTable else { return }
            relation.foreignKeys =
                relation.foreignKeys.isEmpty
                ? [
                    ForeignKey(
                        name: relation.name + "_fk", objectId: id(), columns: [names[0]], referencedSchema: "s",
                        referencedTable: "t", referencedColumns: ["id"], onDelete: .cascade)
                ]
                : []
        case 15:
            mutatePostgres18(&relation)
        default:
            relation.options["fillfactor"] = random.chance(50) ? "70" : nil
        }
        for position in relation.columns.indices { relation.columns[position].position = position + 1 }
    }

    /// What PostgreSQL 18 can change: a NOT NULL constraint renamed, validated or made (NO)
    /// INHERIT; a CHECK or foreign key made (NOT) ENFORCED.
    mutating func mutatePostgres18(_ relation: inout Relation) {
        guard relation.kind.isTable else { return }
        switch random.int(0...2) {
        case 0:
            guard let c = relation.columns.indices.first(where: { relation.columns[$0].notNullConstraint != nil })
            else { return }
            switch random.int(0...2) {
            case 0: relation.columns[c].notNullConstraint?.name = name("nn")
            case 1: relation.columns[c].notNullConstraint?.validated.toggle()
            default: relation.columns[c].notNullConstraint?.noInherit.toggle()
            }
        case 1:
            guard !relation.checkConstraints.isEmpty else { return }
            relation.checkConstraints[0].enforced = relation.checkConstraints[0].enforced == nil ? false : nil
            relation.checkConstraints[0].validated = relation.checkConstraints[0].enforced == nil
        default:
            guard !relation.foreignKeys.isEmpty else { return }
            relation.foreignKeys[0].enforced = relation.foreignKeys[0].enforced == nil ? false : nil
            relation.foreignKeys[0].validated = relation.foreignKeys[0].enforced == nil
        }
    }

    /// Whether a column is named by a key, index or check (a server would refuse to drop or
    /// would cascade; the generator keeps it simple and leaves such columns alone).
    func isUsed(_ column: String, in relation: Relation) -> Bool {
        relation.primaryKey?.columns.contains(column) == true
            || relation.uniqueConstraints.contains { $0.columns.contains(column) }
            || relation.indexes.contains { $0.columns.contains { $0.column == column } }
            || relation.checkConstraints.contains { $0.columns.contains(column) }
            || relation.foreignKeys.contains { $0.columns.contains(column) }
            || relation.partitioning?.key.contains(column) == true
    }
}
