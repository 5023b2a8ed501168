import Foundation
import SchemaCapture
import SchemaModel
import Testing

@testable import MySQLCapture

// The fixture (Fixtures/mariadb-fixture.sql, inventory and the server's own output in
// Fixtures/mariadb-fixture-notes.md) captured and checked field by field. Every expected value
// comes from the fixture SQL and what the notes record MariaDB 10.11's information_schema prints.

/// The fixture loaded into a scratch database and captured once for the whole file; the
/// database is dropped as soon as the capture is done.
private struct FixtureCapture: Sendable {
    var databaseName: String
    var catalog: Catalog

    static let shared: Result<FixtureCapture, any Error> = Result {
        let scratch = try ScratchDatabase(prefix: "fixture", statements: try TestServer.fixtureStatements())
        let (catalog, _) = try scratch.capture()
        return FixtureCapture(databaseName: scratch.name, catalog: catalog)
    }
}

private let name64 = "tbl_name_of_exactly_sixty_four_chars_abcdefghijklmnopqrstuvwxyz0"
private let column64 = "col_name_of_exactly_sixty_four_chars_abcdefghijklmnopqrstuvwxyz0"
/// `café_ünïcode`, written with escapes so the source file's normalization cannot matter (NFC).
private let cafe = "caf\u{E9}_\u{FC}n\u{EF}code"
/// `名前`
private let namae = "\u{540D}\u{524D}"

@Suite("MariaDB fixture capture, field by field")
struct FixtureCaptureTests {
    private let capture: FixtureCapture

    init() throws {
        capture = try FixtureCapture.shared.get()
    }

    private func database() throws -> Database {
        try #require(capture.catalog.databases.count == 1)
        return try #require(capture.catalog.databases.first)
    }

    private func relation(_ name: String) throws -> Relation {
        let schema = try #require(try database().schemas.first)
        return try #require(schema.relations.first { $0.name == name }, "relation \(name) is missing")
    }

    private func column(_ table: String, _ name: String) throws -> Column {
        try #require(try relation(table).column(named: name), "column \(table).\(name) is missing")
    }

    private func index(_ table: String, _ name: String) throws -> Index {
        try #require(try relation(table).indexes.first { $0.name == name }, "index \(table).\(name) is missing")
    }

    // MARK: Catalog and database

    @Test func catalogAndDatabase() throws {
        let catalog = capture.catalog
        #expect(catalog.kind == .mariadb)
        #expect(catalog.serverVersion.hasPrefix("10.11."))
        #expect(catalog.serverVersion.contains("MariaDB"))
        #expect(catalog.location.hasPrefix("mysql://schemasync@127.0.0.1:"))
        #expect(!catalog.location.contains(TestServer.password ?? "-"))
        let database = try database()
        #expect(database.name == capture.databaseName)
        #expect(database.objectId == nil)
        #expect(database.owner == nil)
        #expect(database.encoding == "utf8mb4")
        #expect(database.collation == "utf8mb4_general_ci")
        #expect(database.comment == nil)
        // One implicit schema, named like the database, with nothing of its own.
        #expect(database.schemas.count == 1)
        let schema = try #require(database.schemas.first)
        #expect(schema.name == database.name)
        #expect(schema.objectId == nil && schema.owner == nil && schema.comment == nil)
        #expect(capture.catalog.isCanonical)
    }

    @Test func inventory() throws {
        let schema = try #require(try database().schemas.first)
        let tables = schema.relations.filter { $0.kind.isTable }
        let views = schema.relations.filter { $0.kind == .view }
        #expect(tables.count == 22)
        #expect(tables.filter { $0.kind == .partitionedTable }.count == 7)
        #expect(views.map(\.name) == ["v_active_customers", "v_order_totals"])
        #expect(tables.reduce(0) { $0 + $1.columns.count } == 96)
        #expect(views.reduce(0) { $0 + $1.columns.count } == 7)
        #expect(tables.filter { $0.primaryKey != nil }.count == 19)
        #expect(tables.reduce(0) { $0 + $1.foreignKeys.count } == 8)
        #expect(tables.reduce(0) { $0 + $1.checkConstraints.count } == 9)
        #expect(tables.reduce(0) { $0 + $1.triggers.count } == 4)
        // 41 indexes: 19 primary keys, 2 plain unique constraints, 20 indexes.
        #expect(tables.reduce(0) { $0 + $1.uniqueConstraints.count } == 2)
        #expect(tables.reduce(0) { $0 + $1.indexes.count } == 20)
        let partitions = tables.flatMap(\.partitions)
        #expect(partitions.count == 21)
        #expect(partitions.reduce(0) { $0 + $1.subpartitions.count } == 4)
        #expect(schema.routines.map(\.name) == ["fn_discounted", "sp_customer_orders"])
    }

    // MARK: Tables

    @Test func tableOptions() throws {
        let customers = try relation("customers")
        #expect(customers.kind == .table)
        #expect(customers.comment == "Customers; it's quoted: 'single' and \"double\"")
        #expect(
            customers.options == [
                "engine": "InnoDB", "rowFormat": "Dynamic", "charset": "utf8mb4", "collation": "utf8mb4_unicode_ci",
                "createOptions": "row_format=DYNAMIC",
            ])
        #expect(customers.objectId != nil)
        #expect(customers.owner == nil)
        #expect(try relation("coupons").options["createOptions"] == "row_format=COMPRESSED key_block_size=8")
        #expect(try relation("coupons").options["charset"] == "utf8mb3")
        #expect(try relation("orders").options["rowFormat"] == "Redundant")
        #expect(try relation("products").options["rowFormat"] == "Compact")
        #expect(try relation("products").options["collation"] == "utf8mb4_bin")
        let audit = try relation("audit_log")
        #expect(audit.options["engine"] == "Aria")
        #expect(audit.options["rowFormat"] == "Page")
        #expect(audit.options["createOptions"] == "row_format=PAGE transactional=1")
        #expect(try relation("legacy_counters").options["engine"] == "MyISAM")
        #expect(try relation("legacy_counters").options["charset"] == "latin1")
        #expect(try relation("session_cache").options["engine"] == "MEMORY")
        #expect(try relation("warehouses").comment == nil)
        // Only InnoDB tables have an id (a partitioned one its lowest partition's); no
        // AUTO_INCREMENT value is recorded anywhere.
        #expect(audit.objectId == nil)
        #expect(try relation("session_cache").objectId == nil)
        #expect(try relation("part_range").objectId != nil)
        #expect(!customers.options.values.contains { $0.contains("1000") })
        let ids = try ["customers", "products", "orders", "a`b", cafe, name64].map { try relation($0).objectId }
        #expect(Set(ids.compactMap { $0 }).count == 6)
    }

    @Test func hardIdentifiers() throws {
        let backtick = try relation("a`b")
        #expect(backtick.columns.map(\.name) == ["x`y", "plain"])
        #expect(backtick.primaryKey?.columns == ["x`y"])
        let fk = try #require(backtick.foreignKeys.first)
        #expect(fk.name == "a`b_ibfk_1")
        #expect(fk.referencedTable == "select" && fk.referencedColumns == ["from"])
        #expect(fk.onUpdate == .restrict && fk.onDelete == .restrict)
        #expect(try index("a`b", "plain").definition == "KEY `plain` (`plain`) USING BTREE")

        let reserved = try relation("select")
        #expect(reserved.columns.map(\.name) == ["from", "order", "user"])
        #expect(reserved.primaryKey?.columns == ["from"])
        #expect(reserved.indexes.map(\.name) == ["where"])
        #expect(reserved.checkConstraints == [CheckConstraint(name: "CONSTRAINT_1", expression: "`order` >= 0")])

        let unicode = try relation(cafe)
        #expect(unicode.name.unicodeScalars.count == 12)
        #expect(unicode.columns.map(\.name) == ["id", namae, "\u{FC}"])
        #expect(unicode.column(named: namae)?.comment == "Japanese column name")
        #expect(unicode.indexes.map(\.name) == ["ix_\(namae)"])

        let long = try relation(name64)
        #expect(name64.count == 64 && column64.count == 64)
        #expect(long.columns.map(\.name) == ["id", column64])
        #expect(long.column(named: column64)?.comment == "64-character column name")
        #expect(try relation("order items").comment == "Order lines; table name has a space")
    }

    // MARK: Columns

    @Test func columnTypesAndDefaults() throws {
        #expect(
            try column("customers", "id")
                == Column(
                    name: "id", position: 1, type: "int(10) unsigned", nullable: false, identity: .autoIncrement,
                    comment: "Surrogate key, AUTO_INCREMENT starts at 1000"))
        #expect(try column("customers", "customer_no").type == "int(8) unsigned zerofill")
        #expect(
            try column("customers", "display_name")
                == Column(
                    name: "display_name", position: 4, type: "varchar(100)", nullable: false, defaultValue: "''",
                    collation: "latin1_german2_ci", charset: "latin1", comment: "latin1 column in a utf8mb4 table"))
        #expect(try column("customers", "status").type == "enum('new','active','blocked')")
        #expect(try column("customers", "status").defaultValue == "'new'")
        #expect(try column("customers", "flags").type == "set('vip','newsletter','beta')")
        #expect(try column("customers", "flags").defaultValue == "'newsletter,beta'")
        #expect(try column("customers", "age").type == "tinyint(3) unsigned")
        #expect(try column("customers", "age").defaultValue == nil)
        #expect(try column("customers", "balance").defaultValue == "0.00")
        #expect(try column("customers", "profile").type == "longtext")
        #expect(try column("customers", "profile").collation == "utf8mb4_bin")
        #expect(try column("customers", "avatar").charset == nil)
        #expect(try column("customers", "created_at").defaultValue == "current_timestamp(3)")
        #expect(try column("customers", "created_at").onUpdate == nil)
        #expect(try column("customers", "updated_at").onUpdate == "current_timestamp(3)")
        #expect(try column("customers", "public_id").defaultValue == "uuid()")
        #expect(try column("customers", "public_id").charset == "ascii")
        #expect(try column("customers", "trial_ends_on").defaultValue == "(curdate() + interval 1 day)")
        #expect(try column("customers", "referred_by").defaultValue == nil)
        #expect(try column("orders", "placed_on").defaultValue == "'2000-01-01'")
        #expect(try column("orders", "note").defaultValue == nil)
        #expect(try column("orders", "id").type == "bigint(20) unsigned")
        #expect(try column("audit_log", "happened_at").defaultValue == "current_timestamp(6)")
        #expect(try column("audit_log", "bits").type == "bit(3)")
        #expect(try column("audit_log", "bits").defaultValue == "b'101'")
        #expect(try column("audit_log", "fiscal_year").type == "year(4)")
        #expect(try column("audit_log", "fiscal_year").defaultValue == "2024")
        #expect(try column("audit_log", "ratio").defaultValue == "0.5")
        #expect(try column("audit_log", "ref_uuid").type == "uuid")
        #expect(try column("audit_log", "client_ip").type == "inet6")
        #expect(try column("audit_log", "detail").collation == "ascii_bin")
        #expect(try column("places", "location").type == "point")
        #expect(try column("places", "location").nullable == false)
        #expect(try column("places", "area").type == "polygon")
        #expect(try relation("customers").columns.map(\.position) == Array(1...19))
    }

    @Test func generatedAndInvisibleColumns() throws {
        let virtual = try column("customers", "email_domain")
        #expect(virtual.generated == GeneratedColumn(expression: "substring_index(`email`,'@',-1)", stored: false))
        #expect(virtual.defaultValue == nil)
        #expect(virtual.comment == "Virtual generated, indexed")
        let stored = try column("customers", "balance_cents")
        #expect(stored.generated == GeneratedColumn(expression: "`balance` * 100", stored: true))
        #expect(stored.type == "bigint(20)")
        let invisible = try column("customers", "legacy_code")
        #expect(invisible.invisible == true)
        #expect(invisible.defaultValue == "'none'")
        #expect(try column("customers", "email").invisible == nil)
    }

    // MARK: Keys and constraints

    @Test func keysAndForeignKeys() throws {
        #expect(try relation("customers").primaryKey == KeyConstraint(name: "PRIMARY", columns: ["id"]))
        #expect(try relation("order items").primaryKey?.columns == ["order_id", "line_no"])
        #expect(try relation("warehouses").primaryKey?.columns == ["region", "code"])
        #expect(try relation("session_cache").primaryKey?.columns == ["token"])
        #expect(try relation("part_list").primaryKey == nil)
        #expect(
            try relation("customers").uniqueConstraints == [
                KeyConstraint(name: "uq_customers_email", columns: ["email"]),
                KeyConstraint(name: "uq_customers_no", columns: ["customer_no"]),
            ])
        let orders = try relation("orders")
        #expect(
            orders.foreignKeys == [
                ForeignKey(
                    name: "fk_orders_coupon", columns: ["coupon_code"], referencedTable: "coupons",
                    // Declared ON UPDATE NO ACTION: InnoDB's NO ACTION is RESTRICT, recorded so.
                    referencedColumns: ["code"], onUpdate: .restrict, onDelete: .setNull),
                ForeignKey(
                    name: "fk_orders_customer", columns: ["customer_id"], referencedTable: "customers",
                    referencedColumns: ["id"], onUpdate: .cascade, onDelete: .restrict),
            ])
        let shipments = try relation("shipments")
        #expect(
            shipments.foreignKeys == [
                ForeignKey(
                    name: "fk_shipments_item", columns: ["order_id", "line_no"], referencedTable: "order items",
                    referencedColumns: ["order_id", "line_no"], onUpdate: .restrict, onDelete: .cascade),
                ForeignKey(
                    name: "fk_shipments_warehouse", columns: ["warehouse_region", "warehouse_code"],
                    referencedTable: "warehouses", referencedColumns: ["region", "code"], onUpdate: .cascade,
                    onDelete: .setNull),
            ])
        let selfReference = try #require(try relation("customers").foreignKeys.first)
        #expect(selfReference.referencedTable == "customers" && selfReference.referencedDatabase == nil)
        #expect(selfReference.onDelete == .setNull && selfReference.onUpdate == .cascade)
        // fk_order_items_product is declared ON DELETE NO ACTION: in InnoDB that is RESTRICT.
        #expect(try relation("order items").foreignKeys.map(\.onDelete) == [.cascade, .restrict])
    }

    @Test func checkConstraints() throws {
        #expect(
            try relation("customers").checkConstraints == [
                CheckConstraint(name: "age", expression: "`age` < 150", columns: ["age"]),
                CheckConstraint(name: "chk_customers_balance", expression: "`balance` >= -1000"),
                CheckConstraint(name: "profile", expression: "json_valid(`profile`)", columns: ["profile"]),
            ])
        #expect(
            try relation("coupons").checkConstraints == [
                CheckConstraint(name: "chk_coupons_percent", expression: "`percent` between 1 and 100")
            ])
        #expect(
            try relation("shipments").checkConstraints == [
                CheckConstraint(name: "chk_shipments_item", expression: "`order_id` is null = (`line_no` is null)")
            ])
        #expect(try relation("products").checkConstraints.map(\.name) == ["price"])
        #expect(try relation("order items").checkConstraints.map(\.expression) == ["`quantity` > 0"])
    }

    // MARK: Indexes

    @Test func indexes() throws {
        #expect(
            try index("customers", "ix_customers_name_prefix")
                == Index(
                    name: "ix_customers_name_prefix", method: IndexMethod(rawValue: "BTREE"),
                    columns: [IndexColumn(column: "display_name", prefixLength: 10)],
                    definition:
                        "KEY `ix_customers_name_prefix` (`display_name`(10)) USING BTREE COMMENT 'Prefix index: first 10 chars'",
                    comment: "Prefix index: first 10 chars"))
        #expect(
            try index("customers", "ix_customers_created_desc").columns == [
                IndexColumn(column: "created_at", descending: true), IndexColumn(column: "id"),
            ])
        #expect(
            try index("customers", "ix_customers_created_desc").definition
                == "KEY `ix_customers_created_desc` (`created_at` DESC,`id`) USING BTREE")
        #expect(try index("customers", "ix_customers_domain").columns == [IndexColumn(column: "email_domain")])
        let ignored = try index("customers", "ix_customers_status")
        #expect(ignored.options == ["ignored": "true"])
        #expect(ignored.definition == "KEY `ix_customers_status` (`status`) USING BTREE IGNORED")
        #expect(try index("customers", "ix_customers_balance").options == [:])
        #expect(try index("customers", "fk_customers_referred_by").columns == [IndexColumn(column: "referred_by")])

        let fulltext = try index("products", "ft_products_text")
        #expect(fulltext.method.rawValue == "FULLTEXT")
        #expect(fulltext.columns == [IndexColumn(column: "name"), IndexColumn(column: "description")])
        #expect(fulltext.comment == "Full-text search")
        #expect(
            fulltext.definition == "FULLTEXT KEY `ft_products_text` (`name`,`description`) COMMENT 'Full-text search'")
        // A long unique key on TEXT is a HASH index, not a plain unique constraint.
        let longUnique = try index("products", "uq_products_manual")
        #expect(longUnique.unique && longUnique.method.rawValue == "HASH")
        #expect(longUnique.definition == "UNIQUE KEY `uq_products_manual` (`manual`) USING HASH")
        // SPATIAL: no prefix length, although information_schema says 32.
        let spatial = try index("places", "sp_places_location")
        #expect(spatial.method.rawValue == "SPATIAL")
        #expect(spatial.columns == [IndexColumn(column: "location")])
        #expect(spatial.definition == "SPATIAL KEY `sp_places_location` (`location`) COMMENT 'R-tree'")
        #expect(try index("session_cache", "ix_session_user").method.rawValue == "HASH")
        #expect(try index("session_cache", "ix_session_expires").method.rawValue == "BTREE")
        #expect(
            try index("orders", "ix_orders_customer").columns == [
                IndexColumn(column: "customer_id"), IndexColumn(column: "placed_on", descending: true),
            ])
        #expect(try relation("audit_log").indexes.map(\.name) == ["ix_audit_log_event"])
    }

    // MARK: Partitions

    @Test func partitions() throws {
        let range = try relation("part_range")
        #expect(range.kind == .partitionedTable)
        #expect(range.partitioning == Partitioning(strategy: .range, key: "year(`sold_on`)"))
        #expect(
            range.partitions == [
                Partition(name: "p2022", bound: "LESS THAN (2023)", comment: "Up to 2022"),
                Partition(name: "p2023", bound: "LESS THAN (2024)"),
                Partition(name: "pmax", bound: "LESS THAN MAXVALUE"),
            ])
        let list = try relation("part_list")
        #expect(list.partitioning == Partitioning(strategy: .list, key: "`region_id`"))
        #expect(
            list.partitions == [
                Partition(name: "p_eu", bound: "IN (1,2,3)"), Partition(name: "p_none", bound: "IN (NULL)"),
                Partition(name: "p_other", bound: "DEFAULT"), Partition(name: "p_us", bound: "IN (4,5)"),
            ])
        #expect(try relation("part_hash").partitioning == Partitioning(strategy: .hash, key: "`id`"))
        #expect(
            try relation("part_hash").partitions.map { [$0.name, $0.bound] } == [
                ["p0", ""], ["p1", ""], ["p2", ""], ["p3", ""],
            ])
        #expect(try relation("part_key").partitioning == Partitioning(strategy: .key, key: "`code`"))
        #expect(try relation("part_key").partitions.count == 3)
        let rangeColumns = try relation("part_range_columns")
        #expect(rangeColumns.partitioning == Partitioning(strategy: .rangeColumns, key: "`sold_on`,`store_id`"))
        #expect(
            rangeColumns.partitions.map(\.bound) == [
                "LESS THAN ('2024-01-01',100)", "LESS THAN (MAXVALUE,MAXVALUE)", "LESS THAN ('2023-01-01',0)",
            ])
        let listColumns = try relation("part_list_columns")
        #expect(listColumns.partitioning == Partitioning(strategy: .listColumns, key: "`country`,`tier`"))
        #expect(
            listColumns.partitions.map(\.bound) == [
                "IN (('DE','gold'),('FR','gold'))", "IN (('DE','silver'),('FR','silver'),('IT','silver'))",
            ])
        let sub = try relation("part_range_hash")
        let hash = Partitioning(strategy: .hash, key: "to_days(`sold_on`)")
        #expect(
            sub.partitions == [
                Partition(
                    name: "p2023", bound: "LESS THAN (2024)", partitioning: hash,
                    subpartitions: [Partition(name: "p2023sp0", bound: ""), Partition(name: "p2023sp1", bound: "")]),
                Partition(
                    name: "pmax", bound: "LESS THAN MAXVALUE", partitioning: hash,
                    subpartitions: [Partition(name: "pmaxsp0", bound: ""), Partition(name: "pmaxsp1", bound: "")]),
            ])
    }

    // MARK: Views, triggers, routines

    @Test func views() throws {
        let active = try relation("v_active_customers")
        #expect(active.kind == .view)
        #expect(
            active.view
                == ViewDefinition(
                    definition:
                        "select `customers`.`id` AS `id`,`customers`.`email` AS `email`,`customers`.`status` AS `status`,"
                        + "`customers`.`balance` AS `balance` from `customers` where `customers`.`status` = 'active'",
                    checkOption: "CASCADED", definer: "schemasync@localhost", securityType: "INVOKER"))
        #expect(active.options == [:])
        #expect(active.comment == nil)
        // View columns carry no defaults of their own.
        #expect(
            active.columns == [
                Column(
                    name: "id", position: 1, type: "int(10) unsigned", nullable: false,
                    comment: "Surrogate key, AUTO_INCREMENT starts at 1000"),
                Column(
                    name: "email", position: 2, type: "varchar(191)", nullable: false,
                    collation: "utf8mb4_unicode_ci", charset: "utf8mb4"),
                Column(
                    name: "status", position: 3, type: "enum('new','active','blocked')", nullable: false,
                    collation: "utf8mb4_unicode_ci", charset: "utf8mb4"),
                Column(name: "balance", position: 4, type: "decimal(12,2)", nullable: false),
            ])
        let totals = try relation("v_order_totals")
        #expect(totals.view?.checkOption == nil)
        #expect(totals.view?.securityType == "DEFINER")
        #expect(totals.view?.definition.contains("count(0) AS `order_count`") == true)
        #expect(totals.view?.definition.contains(capture.databaseName) == false)
        #expect(totals.columns.map(\.type) == ["int(10) unsigned", "bigint(21)", "decimal(34,2)"])
    }

    @Test func triggers() throws {
        let orders = try relation("orders")
        #expect(orders.triggers.map(\.name) == ["trg_orders_bi", "trg_orders_bi_round"])
        let round = try #require(orders.triggers.last)
        #expect(
            round
                == Trigger(
                    name: "trg_orders_bi_round", timing: .before, events: [.insert], level: .row,
                    definition: "SET NEW.total = round(NEW.total, 2)",
                    options: ["definer": "schemasync@localhost", "actionOrder": "2"]))
        #expect(orders.triggers.first?.options["actionOrder"] == "1")
        #expect(orders.triggers.first?.definition.hasPrefix("BEGIN\n  IF NEW.total < 0 THEN") == true)
        let customers = try relation("customers")
        #expect(
            customers.triggers.map { [$0.name, $0.timing.rawValue, $0.events.first?.rawValue] } == [
                ["trg_customers_au", "AFTER", "UPDATE"]
            ])
        let items = try relation("order items")
        #expect(items.triggers.map(\.name) == ["trg_order items_bd"])
        #expect(items.triggers.first?.events == [.delete])
        #expect(items.triggers.first?.state == .enabled)
        #expect(items.triggers.first?.function == nil)
    }

    @Test func routines() throws {
        let schema = try #require(try database().schemas.first)
        let function = try #require(schema.routines.first { $0.name == "fn_discounted" })
        #expect(function.kind == .function)
        #expect(function.arguments == "p_amount decimal(12,2), p_percent tinyint(3) unsigned")
        #expect(function.returns == "decimal(12,2)")
        #expect(function.language == "SQL")
        #expect(function.volatility == "DETERMINISTIC")
        #expect(function.security == "INVOKER")
        #expect(function.comment == "Amount after a percentage discount")
        #expect(function.options["definer"] == "schemasync@localhost")
        #expect(function.options["dataAccess"] == "NO SQL")
        #expect(function.options["bodyHidden"] == nil)
        #expect(function.bodyHash.count == 64 && function.bodyHash.allSatisfy(\.isHexDigit))
        let procedure = try #require(schema.routines.first { $0.name == "sp_customer_orders" })
        #expect(procedure.kind == .procedure)
        #expect(
            procedure.arguments == "IN p_customer_id int(10) unsigned, OUT p_count int(11), INOUT p_note varchar(100)")
        #expect(procedure.returns == nil)
        #expect(procedure.volatility == "NOT DETERMINISTIC")
        #expect(procedure.security == "DEFINER")
        #expect(procedure.comment == "Counts a customer's orders")
        #expect(procedure.options["dataAccess"] == "READS SQL DATA")
        #expect(procedure.bodyHash != function.bodyHash)
    }
}
