public import SchemaDiff
public import SchemaModel

/// Schema changes to events, as docs/events.md says: one event per change, in the order of
/// the changes.
public enum EventEncoder {
    /// The events of `changes`, the difference from `old` to `new`. The catalogs give the
    /// whole table that partition events carry, and the key a foreign key references.
    public static func encode(_ changes: [SchemaChange], from old: Catalog?, to new: Catalog?) -> [Event] {
        var events: [Event] = []
        forEach(changes, from: old, to: new) { events.append($0) }
        return events
    }

    /// The same events, one at a time, without holding them all (a first delivery of a large
    /// catalog is hundreds of thousands).
    public static func forEach(
        _ changes: [SchemaChange], from old: Catalog?, to new: Catalog?, _ body: (Event) throws -> Void
    ) rethrows {
        guard let source = new ?? old else { return }
        let coding = ObjectCoding(catalog: source.name, hasSchemas: source.kind.hasSchemas)
        let tables = (old: RelationIndex(old), new: RelationIndex(new))
        for change in changes {
            for event in encode(change, coding: coding, tables: tables) { try body(event) }
        }
    }

    /// The relations of a catalog by database, schema and name, looked up once per event.
    struct RelationIndex {
        private var relations: [TableReference: Relation] = [:]

        init(_ catalog: Catalog?) {
            for database in catalog?.databases ?? [] {
                for schema in database.schemas {
                    for relation in schema.relations {
                        relations[TableReference(database: database.name, schema: schema.name, table: relation.name)] =
                            relation
                    }
                }
            }
        }

        subscript(_ reference: TableReference) -> Relation? { relations[reference] }
    }

    static func encode(
        _ change: SchemaChange, coding: ObjectCoding, tables: (old: RelationIndex, new: RelationIndex)
    ) -> [Event] {
        switch change {
        case .catalog(let c):
            switch c {
            case .create(let header):
                return [Event(type: .createCatalog, message: ["catalog": ObjectCoding.cat(header)])]
            case .alter(let before, let after):
                return [
                    Event(
                        type: .alterCatalog,
                        message: ["oldCatalog": ObjectCoding.cat(before), "newCatalog": ObjectCoding.cat(after)])
                ]
            case .drop(let header): return [Event(type: .dropCatalog, message: ["catalog": ObjectCoding.cat(header)])]
            }
        case .database(let c):
            switch c {
            case .create(let database):
                return [Event(type: .createDatabase, message: ["database": coding.db(database)])]
            case .alter(let before, let after):
                return [
                    Event(
                        type: .alterDatabase,
                        message: ["oldDatabase": coding.db(before), "newDatabase": coding.db(after)])
                ]
            case .drop(let database): return [Event(type: .dropDatabase, message: ["database": coding.db(database)])]
            }
        case .schema(let database, let c):
            // MySQL has no schema level: its implicit schema follows its database.
            guard coding.hasSchemas else { return [] }
            switch c {
            case .create(let schema):
                return [Event(type: .createSchema, message: ["schema": coding.sch(schema, database: database)])]
            case .alter(let before, let after):
                return [
                    Event(
                        type: .alterSchema,
                        message: [
                            "oldSchema": coding.sch(before, database: database),
                            "newSchema": coding.sch(after, database: database),
                        ])
                ]
            case .drop(let schema):
                return [Event(type: .dropSchema, message: ["schema": coding.sch(schema, database: database)])]
            }
        case .routine(let database, let schema, let c):
            var events: [Event] = []
            if let before = c.old {
                events.append(
                    Event(
                        type: .dropFunction,
                        message: ["function": coding.fn(before, database: database, schema: schema)]))
            }
            if let after = c.new {
                events.append(
                    Event(
                        type: .createFunction,
                        message: ["function": coding.fn(after, database: database, schema: schema)]))
            }
            return events
        case .relation(let c):
            switch c {
            case .create(let placed): return [Event(type: .createTable, message: ["table": coding.tbl(placed)])]
            case .alter(let before, let after):
                return [
                    Event(
                        type: .alterTable,
                        message: ["oldTable": coding.tbl(before), "newTable": coding.tbl(after), "isTruncateOp": false])
                ]
            case .drop(let placed):
                return [Event(type: .dropTable, message: ["table": coding.tbl(placed), "deleteData": true])]
            }
        case .column(let reference, let c):
            let table = coding.tblref(reference)
            switch c {
            case .create(let column):
                return [Event(type: .addColumn, message: ["table": table, "columns": [ObjectCoding.fs(column)]])]
            case .alter(let before, let after):
                return [
                    Event(
                        type: .alterColumn,
                        message: [
                            "table": table, "oldColumn": ObjectCoding.fs(before), "newColumn": ObjectCoding.fs(after),
                        ])
                ]
            case .drop(let column):
                return [Event(type: .dropColumn, message: ["table": table, "columns": [ObjectCoding.fs(column)]])]
            }
        case .notNull(let reference, let c):
            // A constraint has no alter event: a changed one (PostgreSQL 18) is dropped and added.
            var events: [Event] = []
            if let before = c.old {
                events.append(dropConstraint(before.name, type: "NOT_NULL", column: before.column, reference, coding))
            }
            if let after = c.new {
                events.append(
                    Event(
                        type: .addNotNullConstraint,
                        message: ["notNullConstraintCols": coding.notNullRow(after, reference)]))
            }
            return events
        case .primaryKey(let reference, let c):
            return keyEvents(c, type: "PRIMARY_KEY", reference, coding) {
                Event(
                    type: .addPrimaryKey, message: ["primaryKeyCols": coding.keyRows($0, reference, nameKey: "pk_name")]
                )
            }
        case .unique(let reference, let c):
            return keyEvents(c, type: "UNIQUE", reference, coding) {
                Event(
                    type: .addUniqueConstraint,
                    message: ["uniqueConstraintCols": coding.keyRows($0, reference, nameKey: "uk_name")])
            }
        case .foreignKey(let reference, let c):
            return keyEvents(c, type: "FOREIGN_KEY", reference, coding) { key in
                Event(
                    type: .addForeignKey,
                    message: [
                        "foreignKeyCols": coding.foreignKeyRows(
                            key, reference, primaryKeyName: referencedKeyName(key, reference, in: tables.new))
                    ])
            }
        case .index(let reference, let c):
            switch c {
            case .create(let index): return [Event(type: .addIndex, message: ["index": coding.idx(index, reference)])]
            case .alter(let before, let after):
                return [
                    Event(
                        type: .alterIndex,
                        message: ["oldIndex": coding.idx(before, reference), "newIndex": coding.idx(after, reference)])
                ]
            case .drop(let index): return [Event(type: .dropIndex, message: ["index": coding.idx(index, reference)])]
            }
        case .partition(let reference, let c):
            // Drops come first, under the old names; the rest under the new ones.
            let table = tableValue(reference, in: c.isDrop ? tables.old : tables.new, coding: coding)
            switch c {
            case .create(let partition):
                return [
                    Event(
                        type: .addPartition,
                        message: [
                            "table": table,
                            "partitions": [coding.part(partition, of: reference.table, database: reference.database)],
                        ])
                ]
            case .alter(let before, let after):
                return [
                    Event(
                        type: .alterPartition,
                        message: [
                            "table": table,
                            "oldPartition": coding.part(before, of: reference.table, database: reference.database),
                            "newPartition": coding.part(after, of: reference.table, database: reference.database),
                            "isTruncateOp": false,
                        ])
                ]
            case .drop(let partition):
                return [
                    Event(
                        type: .dropPartition,
                        message: [
                            "table": table,
                            "partitions": [coding.part(partition, of: reference.table, database: reference.database)],
                            "deleteData": true,
                        ])
                ]
            }
        case .trigger(let reference, let c):
            switch c {
            case .create(let trigger):
                return [Event(type: .addTrigger, message: ["trigger": coding.trg(trigger, reference)])]
            case .alter(let before, let after):
                return [
                    Event(
                        type: .alterTrigger,
                        message: [
                            "oldTrigger": coding.trg(before, reference), "newTrigger": coding.trg(after, reference),
                        ])
                ]
            case .drop(let trigger):
                return [Event(type: .dropTrigger, message: ["trigger": coding.trg(trigger, reference)])]
            }
        }
    }

    /// Keys have no alter: a drop (by name) then an add.
    private static func keyEvents<Key>(
        _ change: Change<Key>, type: String, _ reference: TableReference, _ coding: ObjectCoding, add: (Key) -> Event
    ) -> [Event] where Key: NamedConstraint {
        var events: [Event] = []
        if let before = change.old {
            events.append(dropConstraint(before.constraintName, type: type, column: nil, reference, coding))
        }
        if let after = change.new { events.append(add(after)) }
        return events
    }

    /// `DropConstraintEvent`: the constraint's name and kind (`PRIMARY_KEY`, `UNIQUE`,
    /// `FOREIGN_KEY`, `NOT_NULL`), and for NOT NULL its column.
    static func dropConstraint(
        _ name: String, type: String, column: String?, _ reference: TableReference, _ coding: ObjectCoding
    ) -> Event {
        var message: [String: JSONValue] = [
            "catName": .string(coding.catalog), "dbName": .string(reference.database),
            "tableName": .string(reference.table), "constraintName": .string(name), "constraintType": .string(type),
        ]
        ObjectCoding.put(&message, "columnName", column)
        if coding.hasSchemas { message["schemaName"] = .string(reference.schema) }
        return Event(type: .dropConstraint, message: .object(message))
    }

    /// The TBL of the table a partition belongs to, as it is in the catalog. The differ only
    /// makes partition changes of tables it has (a partition of a table that is not there
    /// would be a bug): such a table is sent with its name alone.
    static func tableValue(_ reference: TableReference, in tables: RelationIndex, coding: ObjectCoding) -> JSONValue {
        let relation = tables[reference] ?? Relation(name: reference.table, kind: .partitionedTable)
        return coding.tbl(PlacedRelation(database: reference.database, schema: reference.schema, relation: relation))
    }

    /// The name of the referenced table's primary key or unique constraint whose columns are
    /// the foreign key's referenced columns; "" when there is none in the catalog.
    static func referencedKeyName(_ key: ForeignKey, _ reference: TableReference, in tables: RelationIndex) -> String {
        let database = key.referencedDatabase ?? reference.database
        let referenced = TableReference(
            database: database, schema: key.referencedSchema ?? database, table: key.referencedTable)
        guard let table = tables[referenced] else { return "" }
        if let primary = table.primaryKey, primary.columns == key.referencedColumns { return primary.name }
        return table.uniqueConstraints.first { $0.columns == key.referencedColumns }?.name ?? ""
    }
}

/// A constraint dropped by name (`DropConstraintEvent`).
protocol NamedConstraint {
    var constraintName: String { get }
}

extension KeyConstraint: NamedConstraint {
    var constraintName: String { name }
}

extension ForeignKey: NamedConstraint {
    var constraintName: String { name }
}
