import Foundation
public import SchemaModel

/// Computes the ordered changes that turn one catalog into another. Pure: no I/O.
///
/// Objects are matched by name first; among those left unmatched on both sides, the
/// server's stable identity (`objectId`: OIDs, a column's `attnum`, an InnoDB table id) pairs
/// an old object with a new one, and that is a rename, sent as an alter. Columns and indexes
/// the server gives no identity (MySQL) pair by an equal definition instead (a column's
/// position included) when that definition is unique among the leftovers; MySQL tables pair
/// across databases by their server-wide id (docs/diff.md). Routines and constraints have no
/// rename: a changed one is dropped and created.
///
/// The order (docs/events.md): the catalog; drops of everything below a schema, dependents
/// first (triggers, partitions, indexes, foreign keys, unique, primary keys, NOT NULL,
/// columns, relations, routines); creates and renames of databases and schemas; alters and
/// renames of relations and what they hold (a table moved to another schema goes there);
/// drops of schemas and databases, now empty; then the creates below a schema, parents first
/// (routines, relations, columns, primary keys, unique, NOT NULL, foreign keys after every
/// relation, indexes, partitions, triggers).
///
/// Renames never collide with a name still in use: objects are matched by name first, so a
/// new name that an old object had pairs with that object instead.
public enum SchemaDiffer {
    /// The catalog as the replay law compares it: for engines whose table ids are hints
    /// (MySQL: InnoDB table ids, which TRUNCATE, OPTIMIZE and copying ALTERs renew without
    /// any event), without those ids and without the binary log position and name changes
    /// (what a capture saw, not what the catalog holds); any other catalog as it is.
    public static func comparable(_ catalog: Catalog?) -> Catalog? {
        guard var catalog, !catalog.kind.hasSchemas else { return catalog }
        catalog.binaryLog = nil
        catalog.nameChanges = nil
        for d in catalog.databases.indices {
            for s in catalog.databases[d].schemas.indices {
                for r in catalog.databases[d].schemas[s].relations.indices {
                    catalog.databases[d].schemas[s].relations[r].objectId = nil
                }
            }
        }
        return catalog
    }

    /// What applying the changes from `old` to `new` gives: `new` itself, but across a
    /// PostgreSQL major upgrade `new` with the identities the upgrade renewed kept from `old`
    /// (`ServerUpgrade`). The replay law's target.
    public static func replayTarget(from old: Catalog?, to new: Catalog?) -> Catalog? {
        guard let old, let new, ServerUpgrade.crossesMajor(old, new) else { return new }
        return ServerUpgrade.keepingIdentities(of: old, in: new)
    }

    /// The changes from `old` to `new`. A nil `old` is a first delivery (the catalog and
    /// everything in it are created); a nil `new` retires the source (everything is dropped,
    /// then the catalog).
    public static func diff(from old: Catalog?, to new: Catalog?) -> [SchemaChange] {
        // Across a PostgreSQL major upgrade, identities the upgrade renews are no change.
        let new = replayTarget(from: old, to: new)
        var plan = Plan()
        switch (old, new) {
        case (nil, nil):
            return []
        case (nil, let new?):
            plan.catalog.append(.catalog(.create(CatalogHeader(new))))
        case (let old?, nil):
            plan.retire.append(.catalog(.drop(CatalogHeader(old))))
        case (let old?, let new?):
            if CatalogHeader(old) != CatalogHeader(new) {
                plan.catalog.append(.catalog(.alter(old: CatalogHeader(old), new: CatalogHeader(new))))
            }
        }
        let matching = Matching(
            old: old?.databases ?? [], new: new?.databases ?? [], key: \.name, identity: \.objectId)
        // MySQL table ids are server-wide, so a table moved to another database (`RENAME TABLE
        // a.t TO b.t`) pairs across databases. PostgreSQL OIDs are per database: never there.
        // Tables left unmatched by name pair over the whole catalog: by id, by the binary log's
        // hints, or without hints by likeness (docs/diff.md).
        var moves: [(old: PlacedRelation, new: PlacedRelation)] = []
        if let old, let new, !old.kind.hasSchemas, !new.kind.hasSchemas {
            plan.tableIdentityIsAHint = true
            plan.hints = RenameHints(from: old, to: new)
            plan.pairsByLikeness = plan.hints == nil
            for pair in Plan.leftoverRelationPairs(old, new, hints: plan.hints) {
                if pair.old.database == pair.new.database {
                    plan.pairedWithin[pair.new.reference] = Plan.RelationKey(
                        schema: pair.old.schema, name: pair.old.relation.name)
                } else {
                    moves.append(pair)
                }
            }
            plan.movedAway = Set(moves.map { $0.old.reference })
            plan.movedIn = Set(moves.map { $0.new.reference })
        }
        for database in matching.dropped { plan.dropDatabase(database) }
        for (before, after) in matching.pairs { plan.diffDatabase(before, after) }
        for database in matching.created { plan.createDatabase(database) }
        for (before, after) in moves { plan.diffRelation(before, renamed: before, after) }
        return plan.ordered
    }
}

/// The changes sorted into the phases of the order as they are found.
struct Plan {
    var catalog: [SchemaChange] = []
    /// MySQL: a table's id pairs renames and moves, but changes without a change of the
    /// table (TRUNCATE, OPTIMIZE, a copying ALTER give a new one), so it alone is no change.
    var tableIdentityIsAHint = false

    // Drops below schemas, in this order.
    var dropTriggers: [SchemaChange] = []
    var dropPartitions: [SchemaChange] = []
    var dropIndexes: [SchemaChange] = []
    var dropForeignKeys: [SchemaChange] = []
    var dropUniques: [SchemaChange] = []
    var dropPrimaryKeys: [SchemaChange] = []
    var dropNotNulls: [SchemaChange] = []
    var dropColumns: [SchemaChange] = []
    var dropRelations: [SchemaChange] = []
    var dropRoutines: [SchemaChange] = []
    var dropSchemas: [SchemaChange] = []
    var dropDatabases: [SchemaChange] = []

    // Alters, parents first (databases and schemas go with their creates, before the rest).
    var alterDatabases: [SchemaChange] = []
    var alterSchemas: [SchemaChange] = []
    var alterRelations: [SchemaChange] = []
    var alterColumns: [SchemaChange] = []
    var alterIndexes: [SchemaChange] = []
    var alterPartitions: [SchemaChange] = []
    var alterTriggers: [SchemaChange] = []

    // Creates, parents first.
    var createDatabases: [SchemaChange] = []
    var createSchemas: [SchemaChange] = []
    var createRoutines: [SchemaChange] = []
    var createRelations: [SchemaChange] = []
    var createColumns: [SchemaChange] = []
    var moveColumns: [SchemaChange] = []
    var createPrimaryKeys: [SchemaChange] = []
    var createUniques: [SchemaChange] = []
    var createNotNulls: [SchemaChange] = []
    var createForeignKeys: [SchemaChange] = []
    var createIndexes: [SchemaChange] = []
    var createPartitions: [SchemaChange] = []
    var createTriggers: [SchemaChange] = []

    /// The catalog's own drop, last of all.
    var retire: [SchemaChange] = []

    /// Relations moved to another database (MySQL), where they were and where they are now:
    /// neither dropped there nor created here, but altered once (see `leftoverRelationPairs`).
    var movedAway: Set<TableReference> = []
    var movedIn: Set<TableReference> = []
    /// MySQL: relations paired within their database though their names differ (by id, hint
    /// or likeness): the new relation's place → the old one's key.
    var pairedWithin: [TableReference: RelationKey] = [:]
    /// MySQL: the binary log's rename hints, when the whole log since the old capture was read.
    var hints: RenameHints?
    /// MySQL without hints: columns left over pair by likeness (docs/diff.md).
    var pairsByLikeness = false

    var ordered: [SchemaChange] {
        let drops =
            dropTriggers + dropPartitions + dropIndexes + dropForeignKeys + dropUniques + dropPrimaryKeys
            + dropNotNulls + dropColumns + dropRelations + dropRoutines
        let containers = alterDatabases + createDatabases + alterSchemas + createSchemas
        let alters = alterRelations + alterColumns + alterIndexes + alterPartitions + alterTriggers
        let creates =
            createRoutines + createRelations + createColumns + moveColumns + createPrimaryKeys + createUniques
            + createNotNulls + createForeignKeys + createIndexes + createPartitions + createTriggers
        return catalog + drops + containers + alters + dropSchemas + dropDatabases + creates + retire
    }

    // MARK: Databases and schemas

    mutating func createDatabase(_ database: Database) {
        createDatabases.append(.database(.create(database.header)))
        for schema in database.schemas { createSchema(schema, in: database.name) }
    }

    mutating func dropDatabase(_ database: Database) {
        for schema in database.schemas { dropSchema(schema, in: database.name) }
        dropDatabases.append(.database(.drop(database.header)))
    }

    mutating func diffDatabase(_ old: Database, _ new: Database) {
        if old.header != new.header {
            alterDatabases.append(.database(.alter(old: old.header, new: new.header)))
        }
        let schemas = Matching(old: old.schemas, new: new.schemas, key: \.name, identity: \.objectId)
        for (before, after) in schemas.pairs where before.header != after.header {
            alterSchemas.append(.schema(database: new.name, .alter(old: before.header, new: after.header)))
        }
        for schema in schemas.created {
            createSchemas.append(.schema(database: new.name, .create(schema.header)))
        }

        // Renames of the database and its schemas are applied before the alters of what they
        // hold: pair and alter relations and routines under the names they have by then, and
        // drop them (earlier) under the names they had.
        var renamed: [String: String] = [:]
        for (before, after) in schemas.pairs { renamed[before.name] = after.name }
        func translated(_ schema: String) -> String { renamed[schema] ?? schema }

        // Routines: by schema, name and arguments; any difference is a drop and a create.
        let oldRoutines = Self.placedRoutines(old)
        let newRoutines = Self.placedRoutines(new)
        let routines = Matching(
            old: oldRoutines, new: newRoutines,
            key: { PlacedRoutine(schema: translated($0.schema), routine: $0.routine).key }, identity: { _ in nil })
        for (before, after) in routines.pairs where before.routine != after.routine {
            dropRoutines.append(.routine(database: old.name, schema: before.schema, .drop(before.routine)))
            createRoutines.append(.routine(database: new.name, schema: after.schema, .create(after.routine)))
        }
        for placed in routines.dropped {
            dropRoutines.append(.routine(database: old.name, schema: placed.schema, .drop(placed.routine)))
        }
        for placed in routines.created {
            createRoutines.append(.routine(database: new.name, schema: placed.schema, .create(placed.routine)))
        }

        // Relations: across the database's schemas, so a move to another schema is a rename.
        let relations = Matching(
            old: Self.placedRelations(old).filter { !movedAway.contains($0.reference) },
            new: Self.placedRelations(new).filter { !movedIn.contains($0.reference) },
            key: { RelationKey(schema: translated($0.schema), name: $0.relation.name) },
            hint: { [pairedWithin] in pairedWithin[$0.reference] },
            identity: { [tableIdentityIsAHint] in tableIdentityIsAHint ? nil : $0.relation.objectId })
        for placed in relations.dropped { dropRelation(placed) }
        for (before, after) in relations.pairs {
            if before.relation.kind != after.relation.kind {
                dropRelation(before)
                createRelation(after)
            } else {
                var moved = before
                moved.database = new.name
                moved.schema = translated(before.schema)
                // Most relations of a large catalog are unchanged, where they were (renames of
                // their database and schema applied): nothing to compare part by part. Not
                // when the binary log gave hints, which may pair parts differently.
                if hints == nil && moved.schema == after.schema && before.relation == after.relation {
                    continue
                }
                diffRelation(before, renamed: moved, after)
            }
        }
        for placed in relations.created { createRelation(placed) }

        // Schemas are dropped after the database's rename (and once emptied).
        for schema in schemas.dropped {
            dropSchemas.append(.schema(database: new.name, .drop(schema.header)))
        }
    }

    mutating func createSchema(_ schema: Schema, in database: String) {
        createSchemas.append(.schema(database: database, .create(schema.header)))
        for routine in schema.routines {
            createRoutines.append(.routine(database: database, schema: schema.name, .create(routine)))
        }
        for relation in schema.relations {
            let placed = PlacedRelation(database: database, schema: schema.name, relation: relation)
            if !movedIn.contains(placed.reference) { createRelation(placed) }
        }
    }

    mutating func dropSchema(_ schema: Schema, in database: String) {
        for relation in schema.relations {
            let placed = PlacedRelation(database: database, schema: schema.name, relation: relation)
            if !movedAway.contains(placed.reference) { dropRelation(placed) }
        }
        for routine in schema.routines {
            dropRoutines.append(.routine(database: database, schema: schema.name, .drop(routine)))
        }
        dropSchemas.append(.schema(database: database, .drop(schema.header)))
    }

    // MARK: Relations

    /// A relation and everything that comes with it: the table (with its columns), then its
    /// keys, NOT NULL constraints, foreign keys, indexes, partitions and triggers.
    mutating func createRelation(_ placed: PlacedRelation) {
        let relation = placed.relation
        let reference = placed.reference
        createRelations.append(.relation(.create(placed.tableLevel)))
        if let key = relation.primaryKey { createPrimaryKeys.append(.primaryKey(reference, .create(key))) }
        for key in relation.uniqueConstraints { createUniques.append(.unique(reference, .create(key))) }
        for column in relation.columns where !column.nullable && relation.kind.isTable {
            createNotNulls.append(.notNull(reference, .create(relation.notNull(column))))
        }
        for key in relation.foreignKeys { createForeignKeys.append(.foreignKey(reference, .create(key))) }
        for index in relation.indexes { createIndexes.append(.index(reference, .create(index))) }
        for partition in relation.partitions { createPartitions.append(.partition(reference, .create(partition))) }
        for trigger in relation.triggers { createTriggers.append(.trigger(reference, .create(trigger))) }
    }

    /// Dropping a relation drops what belongs to it; foreign keys of other tables that point
    /// to it are dropped as changes of those tables (the server dropped them too).
    mutating func dropRelation(_ placed: PlacedRelation) {
        dropRelations.append(.relation(.drop(placed.tableLevel)))
    }

    /// `old` is where the relation was (for drops, which come first); `renamed`, where it is
    /// once its database and schema renames are applied (for its own alter).
    mutating func diffRelation(_ old: PlacedRelation, renamed: PlacedRelation, _ new: PlacedRelation) {
        let before = old.relation
        let after = new.relation
        let oldReference = old.reference
        let newReference = new.reference

        // Table-level properties, CHECK and exclusion constraints, name and schema: one alter.
        var oldLevel = renamed.tableLevelWithoutColumns
        if tableIdentityIsAHint { oldLevel.relation.objectId = new.relation.objectId }
        if oldLevel != new.tableLevelWithoutColumns {
            alterRelations.append(.relation(.alter(old: renamed.tableLevel, new: new.tableLevel)))
        }

        let earlier = RenameHints.Table(database: old.database, name: before.name)
        // The column and index hints of this pair: only when the log says the new table is the old one.
        let later = RenameHints.Table(database: new.database, name: after.name)
        let pairHints = hints?.describe(later, asEarlier: earlier) == true ? hints : nil
        diffColumns(
            before, after, oldReference: oldReference, newReference: newReference, earlier: earlier,
            pairHints: pairHints)

        // Keys: by name; a changed or renamed key is dropped and added.
        switch (before.primaryKey, after.primaryKey) {
        case (let oldKey?, let newKey?) where oldKey != newKey:
            dropPrimaryKeys.append(.primaryKey(oldReference, .drop(oldKey)))
            createPrimaryKeys.append(.primaryKey(newReference, .create(newKey)))
        case (let oldKey?, nil):
            dropPrimaryKeys.append(.primaryKey(oldReference, .drop(oldKey)))
        case (nil, let newKey?):
            createPrimaryKeys.append(.primaryKey(newReference, .create(newKey)))
        default:
            break
        }
        diffByName(before.uniqueConstraints, after.uniqueConstraints, name: \.name) {
            dropUniques.append(.unique(oldReference, .drop($0)))
        } create: {
            createUniques.append(.unique(newReference, .create($0)))
        }
        // PostgreSQL 18's `ALTER CONSTRAINT … [NOT] ENFORCED` (and a `VALIDATE CONSTRAINT`) is
        // an alter of the foreign key; any other change drops and adds it.
        let foreignKeys = Matching(old: before.foreignKeys, new: after.foreignKeys, key: \.name)
        for (old, new) in foreignKeys.pairs where old != new {
            if old.ignoringEnforcement == new.ignoringEnforcement {
                createForeignKeys.append(.foreignKey(newReference, .alter(old: old, new: new)))
            } else {
                dropForeignKeys.append(.foreignKey(oldReference, .drop(old)))
                createForeignKeys.append(.foreignKey(newReference, .create(new)))
            }
        }
        for key in foreignKeys.dropped { dropForeignKeys.append(.foreignKey(oldReference, .drop(key))) }
        for key in foreignKeys.created { createForeignKeys.append(.foreignKey(newReference, .create(key))) }

        // Indexes: a rename or a comment is an alter; another change of definition is a drop and an add.
        // Without identities (MySQL), a leftover old and new index of the same shape are a rename.
        let indexes = Matching(
            old: before.indexes, new: after.indexes, key: \.name,
            hint: {
                RenameHints.named(pairHints?.index($0.name, ofEarlier: earlier), among: before.indexes.map(\.name))
            }, identity: \.objectId,
            // With the whole binary log read, the log says what was renamed: an index dropped
            // and another added is a drop and an add however alike (docs/diff.md).
            shape: { [hints] in hints == nil && $0.objectId == nil ? AnyHashable($0.shape) : nil })
        for (oldIndex, newIndex) in indexes.pairs where oldIndex != newIndex {
            if oldIndex.shape == newIndex.shape {
                alterIndexes.append(.index(newReference, .alter(old: oldIndex, new: newIndex)))
            } else {
                dropIndexes.append(.index(oldReference, .drop(oldIndex)))
                createIndexes.append(.index(newReference, .create(newIndex)))
            }
        }
        for index in indexes.dropped { dropIndexes.append(.index(oldReference, .drop(index))) }
        for index in indexes.created { createIndexes.append(.index(newReference, .create(index))) }

        // Partitions: an alter carries the old and new partition (bound, name, sub-partitions).
        let partitions = Matching(
            old: before.partitions, new: after.partitions, key: \.identityKey, identity: \.objectId)
        for (oldPartition, newPartition) in partitions.pairs where oldPartition != newPartition {
            alterPartitions.append(.partition(newReference, .alter(old: oldPartition, new: newPartition)))
        }
        for partition in partitions.dropped { dropPartitions.append(.partition(oldReference, .drop(partition))) }
        for partition in partitions.created { createPartitions.append(.partition(newReference, .create(partition))) }

        // Triggers: a rename, a change of state or comment is an alter; another change of
        // definition is a drop and an add.
        let triggers = Matching(old: before.triggers, new: after.triggers, key: \.name, identity: \.objectId)
        for (oldTrigger, newTrigger) in triggers.pairs where oldTrigger != newTrigger {
            if oldTrigger.shape == newTrigger.shape {
                alterTriggers.append(.trigger(newReference, .alter(old: oldTrigger, new: newTrigger)))
            } else {
                dropTriggers.append(.trigger(oldReference, .drop(oldTrigger)))
                createTriggers.append(.trigger(newReference, .create(newTrigger)))
            }
        }
        for trigger in triggers.dropped { dropTriggers.append(.trigger(oldReference, .drop(trigger))) }
        for trigger in triggers.created { createTriggers.append(.trigger(newReference, .create(trigger))) }
    }

    /// Constraints without an alter: paired by name; a changed one is dropped and created.
    private func diffByName<T: Hashable>(
        _ old: [T], _ new: [T], name: (T) -> String, drop: (T) -> Void, create: (T) -> Void
    ) {
        let matching = Matching(old: old, new: new, key: name)
        for (before, after) in matching.pairs where before != after {
            drop(before)
            create(after)
        }
        matching.dropped.forEach(drop)
        matching.created.forEach(create)
    }

    // MARK: Columns

    /// Column changes, in the applier's terms (`CatalogApplier`): drops first (the others
    /// close up), alters of content in place, adds at their position, then moves for a real
    /// reorder (MySQL `AFTER`), found by playing the same steps on the column names.
    mutating func diffColumns(
        _ old: Relation, _ new: Relation, oldReference: TableReference, newReference: TableReference,
        earlier: RenameHints.Table, pairHints: RenameHints?
    ) {
        // A column keeps its attnum through a rename, within one table: identity pairs only
        // columns of the same table (same relation identity).
        let sameTable = old.objectId != nil && old.objectId == new.objectId
        // Without identities (MySQL), a leftover old and new column with the same definition at
        // the same position are a rename (`RENAME COLUMN`).
        var columns = Matching(
            old: old.columns, new: new.columns, key: \.name,
            hint: {
                RenameHints.named(pairHints?.column($0.name, ofEarlier: earlier), among: old.columns.map(\.name))
            },
            identity: { sameTable ? $0.objectId : nil },
            // With the whole binary log read, the log says what was renamed (docs/diff.md).
            shape: { [hints] in hints == nil && $0.objectId == nil ? AnyHashable($0.renameShape) : nil })
        if pairsByLikeness { Likeness.pairLeftoverColumn(&columns) }
        // Tables have NOT NULL constraints of their own; for a view's columns, nullability is content.
        let tracksNullability = new.kind.isTable && old.kind.isTable
        for column in columns.dropped {
            if !column.nullable && old.kind.isTable {
                dropNotNulls.append(.notNull(oldReference, .drop(old.notNull(column))))
            }
            dropColumns.append(.column(oldReference, .drop(column)))
        }
        // On a table, nullability changes only through the NOT NULL events: an alter or a move
        // carries the column as it is at that point (nullable if it was or will be), so the
        // events never contradict each other.
        var transitional: [String: Column] = [:]
        for (before, after) in columns.pairs where tracksNullability {
            var column = after
            column.nullable = before.nullable || after.nullable
            transitional[after.name] = column
        }
        let dropped = Set(columns.dropped.map(\.name))
        var order = old.columns.map(\.name).filter { !dropped.contains($0) }
        for (before, after) in columns.pairs {
            if before.ignoringPlace(nullable: tracksNullability) != after.ignoringPlace(nullable: tracksNullability) {
                var was = before
                if tracksNullability { was.nullable = before.nullable || after.nullable }
                alterColumns.append(.column(newReference, .alter(old: was, new: transitional[after.name] ?? after)))
                if let index = order.firstIndex(of: before.name) { order[index] = after.name }
            }
            if before.nullable != after.nullable && tracksNullability {
                if after.nullable {
                    dropNotNulls.append(.notNull(oldReference, .drop(old.notNull(before))))
                } else {
                    createNotNulls.append(.notNull(newReference, .create(new.notNull(after))))
                }
            } else if !after.nullable && tracksNullability {
                // PostgreSQL 18: the constraint renamed, validated, or its NO INHERIT changed: an
                // alter, which the events carry as a drop and an add (a constraint has no alter
                // event). It comes after the column's own alter, so it names the column as renamed;
                // a column rename alone keeps the server's constraint as it is.
                var was = old.notNull(before)
                was.column = after.name
                if Self.notNullChanged(was, new.notNull(after)) {
                    createNotNulls.append(.notNull(newReference, .alter(old: was, new: new.notNull(after))))
                }
            }
        }
        for column in columns.created.sorted(by: { $0.position < $1.position }) {
            createColumns.append(.column(newReference, .create(column)))
            order.insert(column.name, at: CatalogApplier.insertionIndex(column.position, count: order.count))
            if !column.nullable && tracksNullability {
                createNotNulls.append(.notNull(newReference, .create(new.notNull(column))))
            }
        }
        // Moves: place each column at its final index, in increasing order. A move is an alter
        // whose old and new column differ in their position only.
        for (index, column) in new.columns.enumerated()
        where order.indices.contains(index) && order[index] != column.name {
            guard let current = order.firstIndex(of: column.name) else { continue }
            order.remove(at: current)
            order.insert(column.name, at: index)
            let moved = transitional[column.name] ?? column
            var from = moved
            from.position = current + 1
            moveColumns.append(.column(newReference, .alter(old: from, new: moved)))
        }
    }

    // MARK: Helpers

    /// Whether a column's NOT NULL constraint changed. Derived names (before PostgreSQL 18,
    /// MySQL) follow the table and the column, and change with no event (docs/diff.md). Where
    /// only one side has the server's own record (a server upgraded to 18), the record is
    /// compared without its identity, so an upgrade alone sends nothing.
    static func notNullChanged(_ old: NotNullConstraint, _ new: NotNullConstraint) -> Bool {
        switch (old.objectId, new.objectId) {
        case (nil, nil): false
        case (.some, .some): old != new
        default: old.withoutIdentity != new.withoutIdentity
        }
    }

    struct PlacedRoutine {
        var schema: String
        var routine: Routine
        var key: String { schema + "\u{0}" + routine.identityKey }
    }

    struct RelationKey: Hashable {
        var schema: String
        var name: String
    }

    static func placedRoutines(_ database: Database) -> [PlacedRoutine] {
        database.schemas.flatMap { schema in schema.routines.map { PlacedRoutine(schema: schema.name, routine: $0) } }
    }

    static func placedRelations(_ database: Database) -> [PlacedRelation] {
        database.schemas.flatMap { schema in
            schema.relations.map { PlacedRelation(database: database.name, schema: schema.name, relation: $0) }
        }
    }
}

extension Database {
    /// The database without its schemas: what a database event carries.
    var header: Database {
        var copy = self
        copy.schemas = []
        return copy
    }
}

extension Schema {
    /// The schema without its relations and routines: what a schema event carries.
    var header: Schema {
        var copy = self
        copy.relations = []
        copy.routines = []
        return copy
    }
}

extension Relation {
    /// The NOT NULL constraint of a column of this table.
    func notNull(_ column: Column) -> NotNullConstraint {
        guard let record = column.notNullConstraint else {
            return NotNullConstraint(
                column: column.name, name: NotNullConstraintInfo.derivedName(table: name, column: column.name))
        }
        return NotNullConstraint(
            column: column.name, name: record.name, objectId: record.objectId, validated: record.validated,
            noInherit: record.noInherit)
    }
}

extension PlacedRelation {
    /// The relation with its columns and table-level properties only: keys, indexes,
    /// triggers and partitions are changes of their own.
    var tableLevel: PlacedRelation {
        var copy = self
        copy.relation.primaryKey = nil
        copy.relation.uniqueConstraints = []
        copy.relation.foreignKeys = []
        copy.relation.indexes = []
        copy.relation.triggers = []
        copy.relation.partitions = []
        return copy
    }

    /// What an alter of the table itself compares: the table level without the columns.
    var tableLevelWithoutColumns: PlacedRelation {
        var copy = tableLevel
        copy.relation.columns = []
        return copy
    }
}

extension Column {
    /// The column with the fields that do not make an alter of its content set aside:
    /// its place (a derived rank), and nullability when `nullable` (its own constraint event).
    func ignoringPlace(nullable: Bool) -> Column {
        var copy = self
        copy.position = 0
        copy.notNullConstraint = nil
        if nullable { copy.nullable = true }
        return copy
    }
}

extension ForeignKey {
    /// The foreign key apart from whether it is enforced and validated: what
    /// `ALTER CONSTRAINT … [NOT] ENFORCED` and `VALIDATE CONSTRAINT` change.
    var ignoringEnforcement: ForeignKey {
        var copy = self
        copy.enforced = nil
        copy.validated = true
        return copy
    }
}

extension Column {
    /// What a rename keeps: everything but the name (and the identity it lacks).
    var renameShape: Column {
        var copy = self
        copy.name = ""
        copy.objectId = nil
        return copy
    }
}

extension Index {
    /// The index's definition apart from its name, identity and comment: what no alter can
    /// change. (Its definition text names the index and its table, and is rebuilt from these
    /// parts; `REINDEX CONCURRENTLY` gives it a new identity.)
    var shape: Index {
        var copy = self
        copy.name = ""
        copy.objectId = nil
        copy.comment = nil
        copy.definition = ""
        return copy
    }
}

extension Trigger {
    /// The trigger apart from its name, identity, state and comment: what no alter can change.
    /// Its definition is compared without the trigger's own name and the table's
    /// (`CREATE TRIGGER name … ON table …` also holds the WHEN condition and arguments).
    var shape: Trigger {
        var copy = self
        copy.name = ""
        copy.objectId = nil
        copy.state = .enabled
        copy.comment = nil
        copy.definition = Self.definitionBody(definition)
        return copy
    }

    /// A PostgreSQL definition from its timing on (`BEFORE INSERT …`), without `ON table`;
    /// a MySQL body as it is.
    static func definitionBody(_ definition: String) -> String {
        guard definition.hasPrefix("CREATE "), let trigger = definition.range(of: "TRIGGER ") else { return definition }
        var rest = definition[trigger.upperBound...]
        // Skip the (possibly quoted) trigger name.
        if rest.first == "\"" {
            var index = rest.index(after: rest.startIndex)
            while index < rest.endIndex {
                if rest[index] == "\"" {
                    let next = rest.index(after: index)
                    if next < rest.endIndex && rest[next] == "\"" {
                        index = rest.index(after: next)
                        continue
                    }
                    index = next
                    break
                }
                index = rest.index(after: index)
            }
            rest = rest[index...]
        } else {
            rest = rest.drop { $0 != " " }
        }
        var body = String(rest)
        // The table is named after ` ON ` and before ` FOR EACH`/` FROM`/` NOT`/` DEFERRABLE`/…:
        // keep what comes before ` ON ` and from the first keyword after it.
        if let on = body.range(of: " ON ") {
            let after = body[on.upperBound...]
            let keywords = [
                " FROM ", " NOT DEFERRABLE", " DEFERRABLE", " INITIALLY ", " REFERENCING ", " FOR EACH ", " WHEN ",
                " EXECUTE ",
            ]
            let end = keywords.compactMap { after.range(of: $0)?.lowerBound }.min() ?? after.endIndex
            body = String(body[..<on.lowerBound]) + " ON …" + String(after[end...])
        }
        return body
    }
}
