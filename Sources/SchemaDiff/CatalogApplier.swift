public import SchemaModel

/// Applies schema changes to a catalog: the inverse of `SchemaDiffer`, and the replay law in
/// code. For every `a` and `b`, `apply(diff(a, b), to: a) == b` (canonicalized), and
/// `apply(diff(nil, b), to: nil) == b`.
///
/// Columns: a drop closes the gap; an add goes in at its position; an alter of content
/// replaces the column where it is; an alter of position alone moves it there. Positions are
/// renumbered after each step.
public enum CatalogApplier {
    /// A change that does not fit the catalog it is applied to.
    public struct ApplyError: Error, CustomStringConvertible, Sendable {
        /// What did not fit.
        public var description: String

        /// An error saying what did not fit.
        public init(description: String) {
            self.description = description
        }
    }

    /// The catalog after the changes; nil after the catalog is dropped.
    public static func apply(_ changes: [SchemaChange], to catalog: Catalog?) throws -> Catalog? {
        var state = catalog
        for change in changes {
            try apply(change, to: &state)
        }
        return state?.canonicalized()
    }

    /// Applies one change, leaving lists in the order the changes give (call `canonicalized()`
    /// on the result when done).
    public static func apply(_ change: SchemaChange, to state: inout Catalog?) throws {
        if case .catalog(let catalogChange) = change {
            switch catalogChange {
            case .create(let header):
                guard state == nil else { throw ApplyError(description: "catalog \(header.name) exists already") }
                state = Catalog(
                    name: header.name, kind: header.kind, serverVersion: header.serverVersion, location: header.location
                )
            case .alter(_, let header):
                _ = try require(state, "catalog")
                state?.name = header.name
                state?.kind = header.kind
                state?.serverVersion = header.serverVersion
                state?.location = header.location
            case .drop:
                state = nil
            }
            return
        }
        guard var catalog = state else { throw ApplyError(description: "\(change.summary) applied to no catalog") }
        // Hand the storage over (no copy of the whole catalog per change), and back.
        state = nil
        defer { state = catalog }
        try apply(change, to: &catalog)
    }

    private static func apply(_ change: SchemaChange, to catalog: inout Catalog) throws {
        switch change {
        case .catalog:
            break
        case .database(let change):
            switch change {
            case .create(let database):
                guard !catalog.databases.contains(where: { $0.name == database.name }) else {
                    throw ApplyError(description: "database \(database.name) exists already")
                }
                catalog.databases.append(database)
            case .alter(let old, let new):
                let index = try databaseIndex(old.name, in: catalog)
                var updated = new
                updated.schemas = catalog.databases[index].schemas
                catalog.databases[index] = updated
            case .drop(let database):
                catalog.databases.remove(at: try databaseIndex(database.name, in: catalog))
            }
        case .schema(let database, let change):
            let d = try databaseIndex(database, in: catalog)
            switch change {
            case .create(let schema):
                try unused(schema.name, in: catalog.databases[d].schemas.map(\.name), "schema", database)
                catalog.databases[d].schemas.append(schema)
            case .alter(let old, let new):
                let s = try schemaIndex(old.name, in: catalog.databases[d])
                if old.name != new.name {
                    try unused(new.name, in: catalog.databases[d].schemas.map(\.name), "schema", database)
                }
                var updated = new
                updated.relations = catalog.databases[d].schemas[s].relations
                updated.routines = catalog.databases[d].schemas[s].routines
                catalog.databases[d].schemas[s] = updated
            case .drop(let schema):
                catalog.databases[d].schemas.remove(at: try schemaIndex(schema.name, in: catalog.databases[d]))
            }
        case .routine(let database, let schema, let change):
            let d = try databaseIndex(database, in: catalog)
            let s = try schemaIndex(schema, in: catalog.databases[d])
            switch change {
            case .create(let routine):
                try unused(
                    routine.identityKey, in: catalog.databases[d].schemas[s].routines.map(\.identityKey),
                    "routine \(routine.signature)", schema)
                catalog.databases[d].schemas[s].routines.append(routine)
            case .alter(let old, let new):
                let r = try routineIndex(old, in: catalog.databases[d].schemas[s])
                catalog.databases[d].schemas[s].routines[r] = new
            case .drop(let routine):
                let r = try routineIndex(routine, in: catalog.databases[d].schemas[s])
                catalog.databases[d].schemas[s].routines.remove(at: r)
            }
        case .relation(let change):
            switch change {
            case .create(let placed):
                let d = try databaseIndex(placed.database, in: catalog)
                let s = try schemaIndex(placed.schema, in: catalog.databases[d])
                try unused(
                    placed.relation.name, in: catalog.databases[d].schemas[s].relations.map(\.name), "relation",
                    placed.schema)
                // NOT NULL constraints arrive as changes of their own.
                var relation = placed.relation
                for c in relation.columns.indices { relation.columns[c].notNullConstraint = nil }
                catalog.databases[d].schemas[s].relations.append(relation)
            case .alter(let old, let new):
                // Table level from the new value; columns and everything below stay (they
                // change through their own events).
                let existing = try removeRelation(old.reference, from: &catalog)
                var updated = new.relation
                updated.columns = existing.columns
                updated.primaryKey = existing.primaryKey
                updated.uniqueConstraints = existing.uniqueConstraints
                updated.foreignKeys = existing.foreignKeys
                updated.indexes = existing.indexes
                updated.triggers = existing.triggers
                updated.partitions = existing.partitions
                let d = try databaseIndex(new.database, in: catalog)
                let s = try schemaIndex(new.schema, in: catalog.databases[d])
                try unused(
                    updated.name, in: catalog.databases[d].schemas[s].relations.map(\.name), "relation", new.schema)
                catalog.databases[d].schemas[s].relations.append(updated)
            case .drop(let placed):
                _ = try removeRelation(placed.reference, from: &catalog)
            }
        case .column(let reference, let change):
            try updateRelation(reference, in: &catalog) { relation in
                try applyColumn(change, to: &relation)
            }
        case .notNull(let reference, let change):
            try updateRelation(reference, in: &catalog) { relation in
                let constraint = change.new ?? change.old!
                guard let index = relation.columns.firstIndex(where: { $0.name == constraint.column }) else {
                    throw ApplyError(description: "no column \(constraint.column) in \(reference)")
                }
                relation.columns[index].nullable = change.isDrop
                relation.columns[index].notNullConstraint = change.new?.record
            }
        case .primaryKey(let reference, let change):
            try updateRelation(reference, in: &catalog) { relation in
                switch change {
                case .create(let key):
                    guard relation.primaryKey == nil else {
                        throw ApplyError(description: "\(reference.table) has a primary key already")
                    }
                    relation.primaryKey = key
                case .drop(let key), .alter(let key, _):
                    guard relation.primaryKey?.name == key.name else {
                        throw ApplyError(description: "\(reference.table) has no primary key \(key.name)")
                    }
                    relation.primaryKey = change.new
                }
            }
        case .unique(let reference, let change):
            try updateRelation(reference, in: &catalog) { relation in
                try replace(&relation.uniqueConstraints, change, key: \.name, in: reference)
            }
        case .foreignKey(let reference, let change):
            try updateRelation(reference, in: &catalog) { relation in
                try replace(&relation.foreignKeys, change, key: \.name, in: reference)
            }
        case .index(let reference, let change):
            try updateRelation(reference, in: &catalog) { relation in
                try replace(&relation.indexes, change, key: \.name, in: reference)
            }
        case .partition(let reference, let change):
            try updateRelation(reference, in: &catalog) { relation in
                try replace(&relation.partitions, change, key: \.identityKey, in: reference)
            }
        case .trigger(let reference, let change):
            try updateRelation(reference, in: &catalog) { relation in
                try replace(&relation.triggers, change, key: \.name, in: reference)
            }
        }
    }

    // MARK: Columns

    static func applyColumn(_ change: Change<Column>, to relation: inout Relation) throws {
        func index(of name: String) throws -> Int {
            guard let index = relation.columns.firstIndex(where: { $0.name == name }) else {
                throw ApplyError(description: "no column \(name) in \(relation.name)")
            }
            return index
        }
        switch change {
        // A column's NOT NULL constraint changes through its own changes only.
        case .create(var column):
            try unused(column.name, in: relation.columns.map(\.name), "column", relation.name)
            column.notNullConstraint = nil
            relation.columns.insert(column, at: Self.insertionIndex(column.position, count: relation.columns.count))
        case .alter(let old, var new):
            let current = try index(of: old.name)
            if old.name != new.name { try unused(new.name, in: relation.columns.map(\.name), "column", relation.name) }
            new.notNullConstraint = relation.columns[current].notNullConstraint
            if old.ignoringPlace(nullable: false) == new.ignoringPlace(nullable: false) {
                relation.columns.remove(at: current)
                relation.columns.insert(new, at: Self.insertionIndex(new.position, count: relation.columns.count))
            } else {
                relation.columns[current] = new
            }
        case .drop(let column):
            relation.columns.remove(at: try index(of: column.name))
        }
        for position in relation.columns.indices { relation.columns[position].position = position + 1 }
    }

    /// Where a column at a 1-based position goes, clamped into the list (never overflows).
    static func insertionIndex(_ position: Int, count: Int) -> Int {
        position <= 1 ? 0 : min(position, count + 1) - 1
    }

    /// Refuses a name already in use there (a duplicated event, a collision).
    private static func unused(_ name: String, in names: [String], _ what: String, _ place: String) throws {
        if names.contains(name) { throw ApplyError(description: "\(what) \(name) exists already in \(place)") }
    }

    // MARK: Finding things

    private static func require<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw ApplyError(description: "no \(what)") }
        return value
    }

    private static func databaseIndex(_ name: String, in catalog: Catalog) throws -> Int {
        guard let index = catalog.databases.firstIndex(where: { $0.name == name }) else {
            throw ApplyError(description: "no database \(name)")
        }
        return index
    }

    private static func schemaIndex(_ name: String, in database: Database) throws -> Int {
        guard let index = database.schemas.firstIndex(where: { $0.name == name }) else {
            throw ApplyError(description: "no schema \(name) in database \(database.name)")
        }
        return index
    }

    private static func routineIndex(_ routine: Routine, in schema: Schema) throws -> Int {
        guard let index = schema.routines.firstIndex(where: { $0.identityKey == routine.identityKey }) else {
            throw ApplyError(description: "no routine \(routine.signature) in schema \(schema.name)")
        }
        return index
    }

    /// Where a relation is: its database's, schema's and own index.
    private static func relationIndex(_ reference: TableReference, in catalog: Catalog) throws -> (Int, Int, Int) {
        let d = try databaseIndex(reference.database, in: catalog)
        let s = try schemaIndex(reference.schema, in: catalog.databases[d])
        guard let r = catalog.databases[d].schemas[s].relations.firstIndex(where: { $0.name == reference.table }) else {
            throw ApplyError(description: "no relation \(reference.schema).\(reference.table) in \(reference.database)")
        }
        return (d, s, r)
    }

    private static func removeRelation(_ reference: TableReference, from catalog: inout Catalog) throws -> Relation {
        let (d, s, r) = try relationIndex(reference, in: catalog)
        return catalog.databases[d].schemas[s].relations.remove(at: r)
    }

    private static func updateRelation(
        _ reference: TableReference, in catalog: inout Catalog, _ update: (inout Relation) throws -> Void
    ) throws {
        let (d, s, r) = try relationIndex(reference, in: catalog)
        try update(&catalog.databases[d].schemas[s].relations[r])
    }

    /// Adds, replaces (found by the old value's key) or removes one element.
    private static func replace<T>(
        _ list: inout [T], _ change: Change<T>, key: (T) -> String, in reference: TableReference
    ) throws {
        switch change {
        case .create(let value):
            try unused(key(value), in: list.map(key), "name", reference.table)
            list.append(value)
        case .alter(let old, let new):
            guard let index = list.firstIndex(where: { key($0) == key(old) }) else {
                throw ApplyError(description: "no \(key(old)) in \(reference)")
            }
            if key(old) != key(new) { try unused(key(new), in: list.map(key), "name", reference.table) }
            list[index] = new
        case .drop(let old):
            guard let index = list.firstIndex(where: { key($0) == key(old) }) else {
                throw ApplyError(description: "no \(key(old)) in \(reference)")
            }
            list.remove(at: index)
        }
    }
}
