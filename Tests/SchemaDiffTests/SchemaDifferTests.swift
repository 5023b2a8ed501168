import Foundation
import SchemaModel
import Testing

@testable import SchemaDiff

/// One rule of the differ per test, on small hand-written catalogs.
@Suite struct SchemaDifferTests {
    static func table(_ name: String, id: Int64, columns: [Column]? = nil) -> Relation {
        Relation(
            name: name, kind: .table, objectId: id,
            columns: columns ?? [
                Column(name: "id", position: 1, objectId: 1, type: "integer", nullable: false),
                Column(name: "name", position: 2, objectId: 2, type: "text"),
            ],
            primaryKey: KeyConstraint(name: "\(name)_pkey", objectId: id + 1, columns: ["id"]))
    }

    static func catalog(_ schemas: [Schema], database: String = "db", databaseID: Int64 = 1) -> Catalog {
        Catalog(
            name: "src", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/db",
            databases: [Database(name: database, objectId: databaseID, schemas: schemas)]
        ).canonicalized()
    }

    /// Diffs, checks the replay law on the way, and gives the change summaries.
    func changes(_ a: Catalog?, _ b: Catalog?) throws -> [String] {
        let changes = SchemaDiffer.diff(from: a, to: b)
        #expect(try CatalogApplier.apply(changes, to: a) == b?.canonicalized())
        return changes.map(\.summary)
    }

    @Test func renameIsOneAlter() throws {
        var renamed = Self.table("orders", id: 10)
        renamed.name = "purchases"
        let a = Self.catalog([Schema(name: "s", relations: [Self.table("orders", id: 10)])])
        let b = Self.catalog([Schema(name: "s", relations: [renamed])])
        // The primary key keeps its name (orders_pkey), as PostgreSQL does: no event for it.
        #expect(try changes(a, b) == ["alter relation db.s.orders -> db.s.purchases"])
    }

    @Test func moveToAnotherSchemaIsOneAlter() throws {
        let a = Self.catalog([Schema(name: "s", relations: [Self.table("t", id: 10)]), Schema(name: "archive")])
        let b = Self.catalog([Schema(name: "s"), Schema(name: "archive", relations: [Self.table("t", id: 10)])])
        #expect(try changes(a, b) == ["alter relation db.s.t -> db.archive.t"])
    }

    @Test func dropAndRecreateUnderTheSameNameIsAnAlter() throws {
        let a = Self.catalog([Schema(name: "s", relations: [Self.table("t", id: 10)])])
        let b = Self.catalog([Schema(name: "s", relations: [Self.table("t", id: 99)])])
        let result = try changes(a, b)
        // The table is altered (its identity changed); its new primary key is a new constraint.
        #expect(
            result == [
                "drop primary key on t", "alter relation db.s.t -> db.s.t", "create primary key on t",
            ])
    }

    @Test func columnRenameFollowsItsIdentity() throws {
        var renamed = Self.table("t", id: 10)
        renamed.columns[1].name = "title"
        let a = Self.catalog([Schema(name: "s", relations: [Self.table("t", id: 10)])])
        let b = Self.catalog([Schema(name: "s", relations: [renamed])])
        #expect(try changes(a, b) == ["alter column t.name -> title"])
    }

    @Test func nullabilityAloneIsANotNullEvent() throws {
        var changed = Self.table("t", id: 10)
        changed.columns[1].nullable = false
        let a = Self.catalog([Schema(name: "s", relations: [Self.table("t", id: 10)])])
        let b = Self.catalog([Schema(name: "s", relations: [changed])])
        #expect(try changes(a, b) == ["create not null t.name"])
        #expect(try changes(b, a) == ["drop not null t.name"])
        let notNull = SchemaDiffer.diff(from: a, to: b).first
        guard case .notNull(_, .create(let constraint)) = notNull else {
            Issue.record("not a NOT NULL create: \(String(describing: notNull))")
            return
        }
        #expect(constraint.name == "t_name_not_null")
    }

    @Test func typeAndNullabilityTogether() throws {
        var changed = Self.table("t", id: 10)
        changed.columns[1].type = "character varying(64)"
        changed.columns[1].nullable = false
        let a = Self.catalog([Schema(name: "s", relations: [Self.table("t", id: 10)])])
        let b = Self.catalog([Schema(name: "s", relations: [changed])])
        #expect(try changes(a, b) == ["alter column t.name -> name", "create not null t.name"])
    }

    @Test func droppingAColumnDoesNotAlterTheOthers() throws {
        let wide = Self.table(
            "t", id: 10,
            columns: (1...5).map { Column(name: "c\($0)", position: $0, objectId: Int64($0), type: "integer") })
        var narrow = wide
        narrow.columns.remove(at: 1)
        for index in narrow.columns.indices { narrow.columns[index].position = index + 1 }
        narrow.primaryKey = KeyConstraint(name: "t_pkey", objectId: 11, columns: ["id"])
        let a = Self.catalog([Schema(name: "s", relations: [wide])])
        let b = Self.catalog([Schema(name: "s", relations: [narrow])])
        #expect(try changes(a, b) == ["drop column t.c2 -> -"])
    }

    @Test func aReorderIsAMove() throws {
        let before = Self.table(
            "t", id: 10,
            columns: (1...3).map { Column(name: "c\($0)", position: $0, objectId: Int64($0), type: "integer") })
        var after = before
        let moved = after.columns.remove(at: 2)
        after.columns.insert(moved, at: 0)
        for index in after.columns.indices { after.columns[index].position = index + 1 }
        let a = Self.catalog([Schema(name: "s", relations: [before])])
        let b = Self.catalog([Schema(name: "s", relations: [after])])
        #expect(try changes(a, b) == ["alter column t.c3 -> c3"])
    }

    @Test func checkChangeAltersTheTable() throws {
        var checked = Self.table("t", id: 10)
        checked.checkConstraints = [CheckConstraint(name: "t_check", expression: "(id > 0)", validated: false)]
        var validated = checked
        validated.checkConstraints[0].validated = true
        let a = Self.catalog([Schema(name: "s", relations: [checked])])
        let b = Self.catalog([Schema(name: "s", relations: [validated])])
        #expect(try changes(a, b) == ["alter relation db.s.t -> db.s.t"])
    }

    @Test func indexRenameIsAnAlterAndANewDefinitionIsDropAndAdd() throws {
        func index(_ name: String, descending: Bool = false, id: Int64 = 50) -> Index {
            Index(
                name: name, objectId: id, method: IndexMethod(rawValue: "btree"),
                columns: [IndexColumn(column: "name", descending: descending)], definition: "CREATE INDEX \(name) …")
        }
        var base = Self.table("t", id: 10)
        base.indexes = [index("t_name")]
        var renamed = base
        renamed.indexes = [index("t_name_idx")]
        var redefined = base
        redefined.indexes = [index("t_name", descending: true, id: 51)]
        var reindexed = base
        reindexed.indexes = [index("t_name", id: 52)]
        let a = Self.catalog([Schema(name: "s", relations: [base])])
        #expect(
            try changes(a, Self.catalog([Schema(name: "s", relations: [renamed])])) == [
                "alter index t.t_name -> t_name_idx"
            ])
        #expect(
            try changes(a, Self.catalog([Schema(name: "s", relations: [redefined])]))
                == ["drop index t.t_name -> -", "create index t.- -> t_name"])
        // REINDEX CONCURRENTLY: a new identity, the same definition.
        #expect(
            try changes(a, Self.catalog([Schema(name: "s", relations: [reindexed])])) == [
                "alter index t.t_name -> t_name"
            ])
    }

    @Test func triggerStateIsAnAlterAndANewConditionIsDropAndAdd() throws {
        func trigger(_ state: TriggerState, when: String = "") -> Trigger {
            Trigger(
                name: "audit", objectId: 70, timing: .after, events: [.update], level: .row, state: state,
                function: "s.audit",
                definition: "CREATE TRIGGER audit AFTER UPDATE ON s.t FOR EACH ROW \(when)EXECUTE FUNCTION s.audit()")
        }
        var enabled = Self.table("t", id: 10)
        enabled.triggers = [trigger(.enabled)]
        var disabled = enabled
        disabled.triggers = [trigger(.disabled)]
        var conditional = enabled
        conditional.triggers = [trigger(.enabled, when: "WHEN ((old.name IS DISTINCT FROM new.name)) ")]
        let a = Self.catalog([Schema(name: "s", relations: [enabled])])
        #expect(try changes(a, Self.catalog([Schema(name: "s", relations: [disabled])])) == ["alter trigger on t"])
        #expect(
            try changes(a, Self.catalog([Schema(name: "s", relations: [conditional])]))
                == ["drop trigger on t", "create trigger on t"])
        // Renaming the table changes the trigger's text only where it names the table: an alter.
        var renamedTable = enabled
        renamedTable.name = "u"
        renamedTable.triggers[0].definition = renamedTable.triggers[0].definition.replacingOccurrences(
            of: "ON s.t ", with: "ON s.u ")
        #expect(
            try changes(a, Self.catalog([Schema(name: "s", relations: [renamedTable])]))
                == ["alter relation db.s.t -> db.s.u", "alter trigger on u"])
    }

    @Test func routineChangesAreDropAndCreate() throws {
        let add = Routine(
            name: "add", objectId: 5, kind: .function, arguments: "a integer, b integer", language: "sql", bodyHash: "1"
        )
        var changedBody = add
        changedBody.bodyHash = "2"
        let overload = Routine(
            name: "add", objectId: 6, kind: .function, arguments: "a numeric, b numeric", language: "sql", bodyHash: "1"
        )
        let a = Self.catalog([Schema(name: "s", routines: [add])])
        #expect(
            try changes(a, Self.catalog([Schema(name: "s", routines: [changedBody])]))
                == ["drop routine db.s.add(a integer, b integer)", "create routine db.s.add(a integer, b integer)"])
        #expect(
            try changes(a, Self.catalog([Schema(name: "s", routines: [add, overload])]))
                == ["create routine db.s.add(a numeric, b numeric)"])
    }

    @Test func createsComeWithTheirPartsAndForeignKeysAfterEveryTable() throws {
        var orders = Self.table("orders", id: 10)
        orders.columns.append(Column(name: "customer", position: 3, objectId: 3, type: "integer", nullable: false))
        orders.foreignKeys = [
            ForeignKey(
                name: "orders_customer_fk", columns: ["customer"], referencedSchema: "s", referencedTable: "customers",
                referencedColumns: ["id"])
        ]
        var customers = Self.table("customers", id: 20)
        // A cycle: customers point back to orders.
        customers.foreignKeys = [
            ForeignKey(
                name: "customers_last_order_fk", columns: ["name"], referencedSchema: "s", referencedTable: "orders",
                referencedColumns: ["id"])
        ]
        let b = Self.catalog([Schema(name: "s", relations: [orders, customers])])
        let a = Self.catalog([Schema(name: "s")])
        let result = try changes(a, b)
        let lastTable = result.lastIndex { $0.hasPrefix("create relation") }!
        let firstKey = result.firstIndex { $0.hasPrefix("create foreign key") }!
        #expect(lastTable < firstKey)
        #expect(result.filter { $0.hasPrefix("create foreign key") }.count == 2)
        #expect(
            result == [
                "create relation - -> db.s.customers", "create relation - -> db.s.orders",
                "create primary key on customers", "create primary key on orders",
                "create not null customers.id", "create not null orders.id", "create not null orders.customer",
                "create foreign key on customers", "create foreign key on orders",
            ])
    }

    @Test func dropsGoDependentsFirst() throws {
        var orders = Self.table("orders", id: 10)
        orders.foreignKeys = [
            ForeignKey(
                name: "orders_customer_fk", columns: ["name"], referencedSchema: "s", referencedTable: "customers",
                referencedColumns: ["id"])
        ]
        let a = Self.catalog([
            Schema(name: "s"), Schema(name: "gone", relations: [orders, Self.table("customers", id: 20)]),
        ])
        let b = Self.catalog([Schema(name: "s")])
        #expect(
            try changes(a, b) == [
                "drop relation db.gone.customers -> -", "drop relation db.gone.orders -> -", "drop schema db.gone -> -",
            ])
        // Dropping only the referenced table: the other table's foreign key goes first.
        let c = Self.catalog([Schema(name: "s", relations: [orders, Self.table("customers", id: 20)])])
        var ordersAfter = orders
        ordersAfter.foreignKeys = []
        let d = Self.catalog([Schema(name: "s", relations: [ordersAfter])])
        #expect(try changes(c, d) == ["drop foreign key on orders", "drop relation db.s.customers -> -"])
    }

    @Test func firstDeliveryAndRetirement() throws {
        let b = Self.catalog([Schema(name: "s", relations: [Self.table("t", id: 10)])])
        let first = try changes(nil, b)
        #expect(first.first == "create catalog")
        #expect(first.prefix(3) == ["create catalog", "create database - -> db", "create schema db.- -> s"])
        let retire = try changes(b, nil)
        #expect(retire.last == "drop catalog")
        #expect(
            retire == ["drop relation db.s.t -> -", "drop schema db.s -> -", "drop database db -> -", "drop catalog"])
    }

    @Test func serverUpgradeAltersTheCatalog() throws {
        let a = Self.catalog([])
        var b = a
        b.serverVersion = "16.4"
        #expect(try changes(a, b) == ["alter catalog"])
    }

    @Test func databaseAndSchemaRenames() throws {
        let a = Self.catalog(
            [Schema(name: "s", objectId: 7, relations: [Self.table("t", id: 10)])], database: "shop", databaseID: 3)
        let b = Self.catalog(
            [Schema(name: "sales", objectId: 7, relations: [Self.table("t", id: 10)])], database: "store", databaseID: 3
        )
        // The table follows its schema: no event of its own.
        #expect(try changes(a, b) == ["alter database shop -> store", "alter schema store.s -> sales"])
    }
}

/// Cases found by review.
@Suite struct SchemaDifferReviewTests {
    static func catalog(partitions: [Partition] = [], routines: [Routine] = []) -> Catalog {
        var table = Relation(name: "ev", kind: .partitionedTable, objectId: 10)
        table.partitioning = Partitioning(strategy: .list, key: "LIST (k)")
        table.partitions = partitions
        return Catalog(
            name: "src", kind: .mysql, serverVersion: "1", location: "x",
            databases: [Database(name: "db", schemas: [Schema(name: "s", relations: [table], routines: routines)])]
        ).canonicalized()
    }

    @Test func partitionsOfTheSameNameInTwoSchemas() throws {
        let a = Self.catalog(partitions: [
            Partition(name: "ev_1", schemaName: "a", objectId: 11, bound: "FOR VALUES IN (1)"),
            Partition(name: "ev_1", schemaName: "s", objectId: 12, bound: "FOR VALUES IN (2)"),
        ])
        #expect(SchemaDiffer.diff(from: a, to: a).isEmpty)
        let b = Self.catalog(partitions: [
            Partition(name: "ev_1", schemaName: "a", objectId: 11, bound: "FOR VALUES IN (1)")
        ])
        let changes = SchemaDiffer.diff(from: a, to: b)
        #expect(changes.count == 1)
        #expect(try CatalogApplier.apply(changes, to: a) == b)
    }

    @Test func aFunctionAndAProcedureOfTheSameName() throws {
        let function = Routine(
            name: "f", kind: .function, arguments: "", returns: "int", language: "SQL", bodyHash: "1")
        let procedure = Routine(name: "f", kind: .procedure, arguments: "", language: "SQL", bodyHash: "2")
        let a = Self.catalog(routines: [function, procedure])
        #expect(SchemaDiffer.diff(from: a, to: a).isEmpty)
        var changed = procedure
        changed.bodyHash = "3"
        let b = Self.catalog(routines: [function, changed])
        #expect(try CatalogApplier.apply(SchemaDiffer.diff(from: a, to: b), to: a) == b)
    }

    @Test func theApplierRefusesANameInUse() throws {
        let a = SchemaDifferTests.catalog([Schema(name: "s", relations: [SchemaDifferTests.table("t", id: 1)])])
        let column = Column(name: "id", position: 3, type: "integer")
        let duplicate = SchemaChange.column(TableReference(database: "db", schema: "s", table: "t"), .create(column))
        #expect(throws: CatalogApplier.ApplyError.self) { try CatalogApplier.apply([duplicate], to: a) }
        let table = SchemaChange.relation(
            .create(PlacedRelation(database: "db", schema: "s", relation: SchemaDifferTests.table("t", id: 2))))
        #expect(throws: CatalogApplier.ApplyError.self) { try CatalogApplier.apply([table], to: a) }
    }

    @Test func alterEventsNeverContradictTheNotNullEvents() throws {
        // a loses NOT NULL and b gains it, and both change type: the alters carry the columns
        // as nullable (as they are between the NOT NULL drop and the NOT NULL add).
        func table(_ aNullable: Bool, _ type: String) -> Relation {
            Relation(
                name: "t", kind: .table, objectId: 1,
                columns: [
                    Column(name: "a", position: 1, objectId: 1, type: type, nullable: aNullable),
                    Column(name: "b", position: 2, objectId: 2, type: type, nullable: !aNullable),
                ])
        }
        let a = SchemaDifferTests.catalog([Schema(name: "s", relations: [table(false, "integer")])])
        let b = SchemaDifferTests.catalog([Schema(name: "s", relations: [table(true, "bigint")])])
        let changes = SchemaDiffer.diff(from: a, to: b)
        for change in changes {
            if case .column(_, .alter(let old, let new)) = change {
                #expect(old.nullable && new.nullable, "\(change.summary)")
            }
        }
        #expect(try CatalogApplier.apply(changes, to: a) == b)
    }

    @Test func positionsOutOfRangeAreClamped() {
        #expect(CatalogApplier.insertionIndex(Int.min, count: 3) == 0)
        #expect(CatalogApplier.insertionIndex(Int.max, count: 3) == 3)
        #expect(CatalogApplier.insertionIndex(2, count: 3) == 1)
    }
}
