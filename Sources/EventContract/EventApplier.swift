public import SchemaDiff
public import SchemaModel

/// Applies events to a catalog state: the inverse of `EventEncoder`, the replay law over
/// the wire. What the local receiver runs (docs/events.md section 9).
public enum EventApplier {
    /// An event that does not fit the state it is applied to, or is not well formed.
    public typealias ApplyError = CatalogApplier.ApplyError

    /// The catalog after the events (nil after `DropCatalogEvent`).
    public static func apply(_ events: [Event], to catalog: Catalog?) throws -> Catalog? {
        var state = catalog
        for (index, event) in events.enumerated() {
            do {
                for change in try changes(of: event, in: state) {
                    try CatalogApplier.apply(change, to: &state)
                }
            } catch {
                throw ApplyError(description: "event \(index + 1) (\(event.type.rawValue)): \(error)")
            }
        }
        // Events usually keep the order (creates arrive sorted): checking costs no copy,
        // where sorting rebuilds every list of the catalog (the receiver applies each body).
        guard let state else { return nil }
        return state.isCanonical ? state : state.canonicalized()
    }

    /// The schema changes one event stands for, read against the current state.
    static func changes(of event: Event, in state: Catalog?) throws -> [SchemaChange] {
        let message = event.message
        let hasSchemas = state?.kind.hasSchemas ?? true
        switch event.type {
        case .createCatalog:
            return [.catalog(.create(try ObjectCoding.catHeader(message["catalog"])))]
        case .alterCatalog:
            return [
                .catalog(
                    .alter(
                        old: try ObjectCoding.catHeader(message["oldCatalog"]),
                        new: try ObjectCoding.catHeader(message["newCatalog"])))
            ]
        case .dropCatalog:
            return [.catalog(.drop(try ObjectCoding.catHeader(message["catalog"])))]

        case .createDatabase:
            let database = try ObjectCoding.database(message["database"])
            var changes: [SchemaChange] = [.database(.create(database))]
            // Without a schema level, the database's implicit schema comes with it.
            if !hasSchemas { changes.append(.schema(database: database.name, .create(Schema(name: database.name)))) }
            return changes
        case .alterDatabase:
            let old = try ObjectCoding.database(message["oldDatabase"])
            let new = try ObjectCoding.database(message["newDatabase"])
            var changes: [SchemaChange] = [.database(.alter(old: old, new: new))]
            if !hasSchemas && old.name != new.name {
                changes.append(
                    .schema(database: new.name, .alter(old: Schema(name: old.name), new: Schema(name: new.name))))
            }
            return changes
        case .dropDatabase:
            return [.database(.drop(try ObjectCoding.database(message["database"])))]

        case .createSchema, .alterSchema, .dropSchema:
            let value = message["schema"] ?? message["newSchema"]
            let database = try ObjectCoding.string(value?["dbName"], "SCH.dbName")
            switch event.type {
            case .createSchema: return [.schema(database: database, .create(try ObjectCoding.schema(value)))]
            case .dropSchema: return [.schema(database: database, .drop(try ObjectCoding.schema(value)))]
            default:
                return [
                    .schema(
                        database: database,
                        .alter(old: try ObjectCoding.schema(message["oldSchema"]), new: try ObjectCoding.schema(value)))
                ]
            }

        case .createTable:
            return [.relation(.create(try ObjectCoding.relation(message["table"])))]
        case .alterTable:
            return [
                .relation(
                    .alter(
                        old: try ObjectCoding.relation(message["oldTable"]),
                        new: try ObjectCoding.relation(message["newTable"])))
            ]
        case .dropTable:
            return [.relation(.drop(try ObjectCoding.relation(message["table"])))]

        case .addColumn, .dropColumn:
            let reference = try ObjectCoding.tableReference(
                message["table"], db: "dbName", schema: "schemaName", table: "tableName")
            return try (message["columns"]?.array ?? []).map { value in
                let column = try ObjectCoding.column(value)
                return .column(reference, event.type == .addColumn ? .create(column) : .drop(column))
            }
        case .alterColumn:
            let reference = try ObjectCoding.tableReference(
                message["table"], db: "dbName", schema: "schemaName", table: "tableName")
            return [
                .column(
                    reference,
                    .alter(
                        old: try ObjectCoding.column(message["oldColumn"]),
                        new: try ObjectCoding.column(message["newColumn"])))
            ]

        case .addPartition, .dropPartition:
            let reference = try partitionTable(message["table"])
            return try (message["partitions"]?.array ?? []).map { value in
                let partition = try ObjectCoding.partition(value)
                return .partition(reference, event.type == .addPartition ? .create(partition) : .drop(partition))
            }
        case .alterPartition:
            let reference = try partitionTable(message["table"])
            guard let old = message["oldPartition"], let new = message["newPartition"] else {
                throw ApplyError(description: "missing oldPartition or newPartition")
            }
            return [
                .partition(
                    reference, .alter(old: try ObjectCoding.partition(old), new: try ObjectCoding.partition(new)))
            ]

        case .addPrimaryKey:
            let (reference, key) = try ObjectCoding.key(message["primaryKeyCols"], nameKey: "pk_name")
            return [.primaryKey(reference, .create(key))]
        case .addUniqueConstraint:
            let (reference, key) = try ObjectCoding.key(message["uniqueConstraintCols"], nameKey: "uk_name")
            return [.unique(reference, .create(key))]
        case .addForeignKey:
            let (reference, key) = try ObjectCoding.foreignKey(message["foreignKeyCols"])
            return [.foreignKey(reference, .create(key))]
        case .addNotNullConstraint:
            return try (message["notNullConstraintCols"]?.array ?? []).map { row in
                let (reference, constraint) = try ObjectCoding.notNull(row)
                return .notNull(reference, .create(constraint))
            }
        case .dropConstraint:
            let reference = try ObjectCoding.tableReference(
                message, db: "dbName", schema: "schemaName", table: "tableName")
            let name = try ObjectCoding.string(message["constraintName"], "constraintName")
            return [
                try droppedConstraint(
                    name, type: message["constraintType"]?.string, column: message["columnName"]?.string, reference,
                    in: state)
            ]

        case .addIndex, .dropIndex:
            let value = message["index"]
            let reference = try ObjectCoding.tableReference(
                value, db: "dbName", schema: "schemaName", table: "origTableName")
            let index = try ObjectCoding.index(value)
            return [.index(reference, event.type == .addIndex ? .create(index) : .drop(index))]
        case .alterIndex:
            let reference = try ObjectCoding.tableReference(
                message["newIndex"], db: "dbName", schema: "schemaName", table: "origTableName")
            return [
                .index(
                    reference,
                    .alter(
                        old: try ObjectCoding.index(message["oldIndex"]),
                        new: try ObjectCoding.index(message["newIndex"])))
            ]

        case .addTrigger, .dropTrigger:
            let value = message["trigger"]
            let reference = try ObjectCoding.tableReference(
                value, db: "dbName", schema: "schemaName", table: "tableName")
            let trigger = try ObjectCoding.trigger(value)
            return [.trigger(reference, event.type == .addTrigger ? .create(trigger) : .drop(trigger))]
        case .alterTrigger:
            let reference = try ObjectCoding.tableReference(
                message["newTrigger"], db: "dbName", schema: "schemaName", table: "tableName")
            return [
                .trigger(
                    reference,
                    .alter(
                        old: try ObjectCoding.trigger(message["oldTrigger"]),
                        new: try ObjectCoding.trigger(message["newTrigger"])))
            ]

        case .createFunction, .dropFunction:
            let (database, schema, routine) = try ObjectCoding.routine(message["function"])
            return [
                .routine(
                    database: database, schema: schema ?? database,
                    event.type == .createFunction ? .create(routine) : .drop(routine))
            ]
        }
    }

    /// The partitioned table a partition event names, from its TBL.
    private static func partitionTable(_ value: JSONValue?) throws -> TableReference {
        try ObjectCoding.tableReference(value, db: "dbName", schema: "schemaName", table: "tableName")
    }

    /// What a `DropConstraintEvent` drops: by its `constraintType` (and `columnName` for
    /// NOT NULL); without one, the table's primary key, unique constraint or foreign key of
    /// that name, or the NOT NULL constraint of that name (PostgreSQL 18's own, or
    /// `<table>_<column>_not_null`).
    private static func droppedConstraint(
        _ name: String, type: String?, column: String?, _ reference: TableReference, in state: Catalog?
    ) throws -> SchemaChange {
        if type == "NOT_NULL", let column {
            return .notNull(reference, .drop(NotNullConstraint(column: column, name: name)))
        }
        guard
            let relation = state?.databases.first(where: { $0.name == reference.database })?.schemas
                .first(where: { $0.name == reference.schema })?.relations.first(where: { $0.name == reference.table })
        else {
            throw ApplyError(description: "no table \(reference.schema).\(reference.table) in \(reference.database)")
        }
        if type == nil || type == "PRIMARY_KEY", let key = relation.primaryKey, key.name == name {
            return .primaryKey(reference, .drop(key))
        }
        if type == nil || type == "UNIQUE", let key = relation.uniqueConstraints.first(where: { $0.name == name }) {
            return .unique(reference, .drop(key))
        }
        if type == nil || type == "FOREIGN_KEY", let key = relation.foreignKeys.first(where: { $0.name == name }) {
            return .foreignKey(reference, .drop(key))
        }
        if let column = relation.columns.first(where: {
            !$0.nullable
                && ($0.notNullConstraint?.name
                    ?? NotNullConstraintInfo.derivedName(table: relation.name, column: $0.name))
                    == name
        }) {
            return .notNull(reference, .drop(NotNullConstraint(column: column.name, name: name)))
        }
        throw ApplyError(description: "no constraint \(name) on \(reference.schema).\(reference.table)")
    }
}
