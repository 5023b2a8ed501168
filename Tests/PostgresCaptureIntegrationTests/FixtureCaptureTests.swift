import Foundation
import SchemaCapture
import SchemaModel
import Testing

@testable import PostgresCapture

// The fixture (Fixtures/pg-fixture.sql, inventory in Fixtures/pg-fixture-notes.md) captured and
// checked field by field. Every expected value below comes from the fixture SQL and PostgreSQL's
// documented behaviour; the server's own formatting (`pg_get_expr`, `pg_get_viewdef`,
// `pg_get_indexdef`, `pg_get_triggerdef`, `format_type`, run with `search_path = pg_catalog` as
// the reader does) was checked against a PostgreSQL 15 server.

// MARK: - One shared capture

/// The fixture loaded into a scratch database and captured ONCE for the whole file. The scratch
/// database is dropped as soon as the capture is done: only the model is kept.
private struct FixtureCapture: Sendable {
    var databaseName: String
    var catalog: Catalog

    static let shared: Result<FixtureCapture, any Error> = Result {
        let scratch = try ScratchDatabase(prefix: "fixture", sql: try TestServer.fixtureSQL())
        let (catalog, _) = try scratch.capture()
        return FixtureCapture(databaseName: scratch.name, catalog: catalog)
    }
}

/// The 2,000-character table comment, rebuilt from the SQL literal's pieces.
private let longComment: String = {
    var text = ""
    for segment in 1...21 {
        let number = segment < 10 ? "0\(segment)" : "\(segment)"
        text += "Segment \(number): schemasync must capture this long table comment byte for byte, without trimming. "
    }
    return text + "Padding .............................. " + "The end."
}()

private let name63 = "tbl_name_of_exactly_sixty_three_bytes_abcdefghijklmnopqrstuvwxy"
private let column63 = "col_name_of_exactly_sixty_three_bytes_abcdefghijklmnopqrstuvwxy"
/// `tbl_…_pkey`: PostgreSQL truncates the generated name to NAMEDATALEN - 1 = 63 bytes.
private let pkey63 = "tbl_name_of_exactly_sixty_three_bytes_abcdefghijklmnopqrst_pkey"
/// `Café_ünïcode`, written with escapes so the source file's normalization cannot matter (NFC).
private let cafe = "Caf\u{E9}_\u{FC}n\u{EF}code"
/// `名前`
private let namae = "\u{540D}\u{524D}"

@Suite("PostgreSQL fixture capture, field by field")
struct FixtureCaptureTests {
    private let capture: FixtureCapture

    init() throws {
        capture = try FixtureCapture.shared.get()
    }

    // MARK: Lookup helpers

    private func database() throws -> Database {
        try #require(capture.catalog.databases.count == 1)
        return try #require(capture.catalog.databases.first)
    }

    private func schema(_ name: String) throws -> Schema {
        let database = try database()
        return try #require(database.schemas.first { $0.name == name }, "schema \(name) is missing")
    }

    private func relation(_ schemaName: String, _ name: String) throws -> Relation {
        let schema = try schema(schemaName)
        return try #require(schema.relations.first { $0.name == name }, "relation \(schemaName).\(name) is missing")
    }

    private func routine(_ schemaName: String, _ name: String, _ arguments: String) throws -> Routine {
        let schema = try schema(schemaName)
        return try #require(
            schema.routines.first { $0.name == name && $0.arguments == arguments },
            "routine \(schemaName).\(name)(\(arguments)) is missing")
    }

    // MARK: Catalog, database, schemas

    @Test func catalogAndDatabase() throws {
        #expect(capture.catalog.kind == .postgresql)
        #expect(capture.catalog.databases.count == 1)
        let database = try database()
        #expect(database.name == capture.databaseName)
        // ScratchDatabase creates it `ENCODING 'UTF8'` over the admin connection (user postgres).
        #expect(database.encoding == "UTF8")
        #expect(database.owner == "postgres")
        #expect(database.objectId != nil)
        #expect(database.comment == nil)
    }

    @Test func schemas() throws {
        let database = try database()
        // Sorted by name: "W" (0x57) sorts before the lower-case names.
        #expect(database.schemas.map(\.name) == ["Weird Schema", "app", "audit", "public"])

        let expected: [(name: String, owner: String, comment: String)] = [
            ("Weird Schema", "postgres", "Schema whose name contains a space and capitals."),
            ("app", "postgres", "Application schema: customers, orders, products."),
            ("audit", "postgres", "Audit trail schema\n(second line of a multi-line comment)"),
            // public comes from template0: PostgreSQL 15 gives it to pg_database_owner, 14 to
            // the bootstrap superuser.
            ("public", TestServer.major >= 15 ? "pg_database_owner" : "postgres", "standard public schema"),
        ]
        for item in expected {
            let schema = try schema(item.name)
            #expect(schema.owner == item.owner, "\(item.name).owner")
            #expect(schema.comment == item.comment, "\(item.name).comment")
            #expect(schema.objectId != nil, "\(item.name).objectId")
        }
        // public has the fixed OID 2200 (PG_PUBLIC_NAMESPACE).
        #expect(try schema("public").objectId == 2200)
        let audit = try schema("audit")
        #expect(audit.comment?.contains("\n") == true)
        #expect(audit.comment?.split(separator: "\n").count == 2)
    }

    // MARK: Relations: kinds, comments, owners

    @Test func relationKindsCommentsAndOwners() throws {
        let expected: [String: [(name: String, kind: RelationKind, comment: String)]] = [
            "Weird Schema": [("MixedCase", .table, "Mixed-case table in a schema with a space.")],
            "app": [
                ("coupons", .table, "Discount coupons keyed by code."),
                ("customers", .table, "Customers; it's quoted: 'single' and \"double\"."),
                ("events_by_region", .partitionedTable, "List-partitioned by region."),
                ("measurement_notes", .table, "Notes referencing a partitioned table."),
                ("measurements", .partitionedTable, "Range-partitioned by recorded_at."),
                ("mv_customer_totals", .materializedView, "Per-customer totals (WITH NO DATA)."),
                ("order items", .table, "Table name with a space."),
                ("orders", .table, "Orders (identity BY DEFAULT, start 1000 step 10)."),
                ("products", .table, "Products keyed by natural key sku."),
                ("rooms", .table, "Rooms; areas may not overlap."),
                ("shipments", .table, "Shipments referencing order lines."),
                ("v_big_orders", .view, "security_barrier view."),
                ("v_customer_orders", .view, "Plain join view (has an INSTEAD OF trigger)."),
                ("v_open_orders", .view, "Auto-updatable view WITH LOCAL CHECK OPTION."),
                ("warehouses", .table, "Warehouses with a composite primary key."),
            ],
            "audit": [
                ("events", .table, "Audit events (parent of a legacy INHERITS child)."),
                ("events_archive", .table, "Legacy inheritance child of audit.events."),
            ],
            "public": [
                (cafe, .table, "Unicode table name (NFC): Caf\u{E9}_\u{FC}n\u{EF}code."),
                ("quote\"d", .table, "Table name contains a double quote."),
                ("select", .table, "Reserved-word table name."),
                (name63, .table, longComment),
            ],
        ]
        for (schemaName, relations) in expected {
            let schema = try schema(schemaName)
            // Partitions are not listed here (they are under their parent), and the list is sorted.
            #expect(schema.relations.map(\.name) == relations.map(\.name), "\(schemaName) relations")
            for item in relations {
                let relation = try relation(schemaName, item.name)
                #expect(relation.kind == item.kind, "\(schemaName).\(item.name).kind")
                #expect(relation.comment == item.comment, "\(schemaName).\(item.name).comment")
                #expect(relation.owner == "postgres", "\(schemaName).\(item.name).owner")
                #expect(relation.objectId != nil, "\(schemaName).\(item.name).objectId")
                // Only the views have a view definition; only partitioned tables have partitioning.
                #expect((relation.view != nil) == item.kind.isView, "\(schemaName).\(item.name).view")
                #expect(
                    (relation.partitioning != nil) == (item.kind == .partitionedTable),
                    "\(schemaName).\(item.name).partitioning")
            }
        }
        // No partition shows up as a top-level relation.
        let allNames = try database().schemas.flatMap { $0.relations.map(\.name) }
        for partition in [
            "measurements_2024", "measurements_2025", "measurements_default", "events_eu", "events_us",
            "events_us_h0", "events_us_h1",
        ] {
            #expect(!allNames.contains(partition), "partition \(partition) listed as a relation")
        }
    }

    // MARK: Columns

    @Test func customersColumns() throws {
        let customers = try relation("app", "customers")
        #expect(
            customers.columns.map(\.name) == [
                "id", "email", "display_name", "sort_key", "mood", "tags", "scores", "balance", "balance_cents",
                "country_code", "legacy_no", "age", "referred_by", "created_at",
            ])
        #expect(customers.columns.map(\.position) == Array(1...14))

        expectColumn(
            customers, "id", position: 1, type: "bigint", nullable: false, identity: .always,
            comment: "Identity, GENERATED ALWAYS.")
        expectColumn(
            customers, "email", position: 2, type: "app.email", nullable: false, comment: "Uses domain app.email.")
        expectColumn(customers, "display_name", position: 3, type: "character varying(64)", nullable: false)
        expectColumn(
            customers, "sort_key", position: 4, type: "text", nullable: true, collation: "C",
            comment: "Explicit COLLATE \"C\".")
        expectColumn(customers, "mood", position: 5, type: "app.mood", nullable: false, defaultValue: "'ok'::app.mood")
        expectColumn(customers, "tags", position: 6, type: "text[]", nullable: false, defaultValue: "'{}'::text[]")
        expectColumn(customers, "scores", position: 7, type: "integer[]", nullable: true)
        expectColumn(customers, "balance", position: 8, type: "numeric(12,2)", nullable: false, defaultValue: "0")
        expectColumn(
            customers, "balance_cents", position: 9, type: "bigint", nullable: true,
            generated: GeneratedColumn(expression: "((balance * (100)::numeric))::bigint", stored: true),
            comment: "Stored generated column.")
        expectColumn(
            customers, "country_code", position: 10, type: "text", nullable: true, defaultValue: "lower('X'::text)")
        expectColumn(
            customers, "legacy_no", position: 11, type: "integer", nullable: false,
            defaultValue: "nextval('app.customers_legacy_no_seq'::regclass)",
            comment: "serial: default nextval(sequence).")
        expectColumn(customers, "age", position: 12, type: "integer", nullable: true)
        expectColumn(customers, "referred_by", position: 13, type: "bigint", nullable: true)
        expectColumn(
            customers, "created_at", position: 14, type: "timestamp(3) with time zone", nullable: false,
            defaultValue: "now()")
        #expect(customers.options == [:])
    }

    @Test func ordersColumnsAndIdentityByDefault() throws {
        let orders = try relation("app", "orders")
        #expect(orders.columns.map(\.name) == ["id", "customer_id", "coupon_code", "status", "total", "created_at"])
        expectColumn(orders, "id", position: 1, type: "bigint", nullable: false, identity: .byDefault)
        expectColumn(orders, "customer_id", position: 2, type: "bigint", nullable: false)
        expectColumn(orders, "coupon_code", position: 3, type: "text", nullable: true, defaultValue: "'NONE'::text")
        expectColumn(
            orders, "status", position: 4, type: "text", nullable: false, defaultValue: "'new'::text",
            comment: "new | open | closed")
        expectColumn(orders, "total", position: 5, type: "numeric(12,2)", nullable: false, defaultValue: "0.00")
        expectColumn(
            orders, "created_at", position: 6, type: "timestamp(3) with time zone", nullable: false,
            defaultValue: "now()")

        let shipments = try relation("app", "shipments")
        expectColumn(shipments, "id", position: 1, type: "bigint", nullable: false, identity: .always)
        let items = try relation("app", "order items")
        expectColumn(items, "quantity", position: 4, type: "integer", nullable: false, defaultValue: "1")
        let products = try relation("app", "products")
        expectColumn(products, "updated_by", position: 6, type: "text", nullable: true, defaultValue: "CURRENT_USER")
        expectColumn(products, "price", position: 4, type: "numeric(12,2)", nullable: false)
        let rooms = try relation("app", "rooms")
        expectColumn(rooms, "area", position: 2, type: "box", nullable: false)
    }

    // MARK: Views

    @Test func views() throws {
        let customerOrders = try relation("app", "v_customer_orders")
        #expect(customerOrders.kind == .view)
        let customerOrdersView = try #require(customerOrders.view)
        #expect(
            customerOrdersView.definition
                == " SELECT c.id AS customer_id,\n    c.email,\n    o.id AS order_id,\n    o.total\n"
                + "   FROM (app.customers c\n     JOIN app.orders o ON ((o.customer_id = c.id)));")
        #expect(customerOrdersView.checkOption == nil)
        #expect(customerOrdersView.securityType == nil)
        #expect(customerOrdersView.definer == nil)
        #expect(customerOrders.options == [:])
        #expect(customerOrders.columns.map(\.name) == ["customer_id", "email", "order_id", "total"])
        expectColumn(customerOrders, "email", position: 2, type: "app.email", nullable: true)
        expectColumn(
            customerOrders, "order_id", position: 3, type: "bigint", nullable: true, comment: "View column comment.")

        let bigOrders = try relation("app", "v_big_orders")
        #expect(bigOrders.kind == .view)
        let bigOrdersView = try #require(bigOrders.view)
        // PostgreSQL 16 and later print a single-table view's columns unqualified.
        let since16 = TestServer.major >= 16
        #expect(
            bigOrdersView.definition
                == (since16
                    ? " SELECT id,\n    customer_id,\n    total\n   FROM app.orders\n  WHERE (total >= (1000)::numeric);"
                    : " SELECT orders.id,\n    orders.customer_id,\n    orders.total\n   FROM app.orders\n"
                        + "  WHERE (orders.total >= (1000)::numeric);"))
        #expect(bigOrdersView.checkOption == nil)
        #expect(bigOrdersView.securityType == nil)
        #expect(bigOrders.options == ["security_barrier": "true"])

        let openOrders = try relation("app", "v_open_orders")
        #expect(openOrders.kind == .view)
        let openOrdersView = try #require(openOrders.view)
        #expect(
            openOrdersView.definition
                == (since16
                    ? " SELECT id,\n    customer_id,\n    status\n   FROM app.orders\n  WHERE (status <> 'closed'::text);"
                    : " SELECT orders.id,\n    orders.customer_id,\n    orders.status\n   FROM app.orders\n"
                        + "  WHERE (orders.status <> 'closed'::text);"))
        #expect(openOrdersView.checkOption == "LOCAL")
        #expect(openOrdersView.securityType == nil)
        // check_option is recorded as checkOption, not repeated among the options.
        #expect(openOrders.options == [:])

        let totals = try relation("app", "mv_customer_totals")
        #expect(totals.kind == .materializedView)
        let totalsView = try #require(totals.view)
        #expect(
            totalsView.definition
                == (since16
                    ? " SELECT customer_id,\n    count(*) AS order_count,\n    sum(total) AS total_spent\n"
                        + "   FROM app.orders\n  GROUP BY customer_id;"
                    : " SELECT orders.customer_id,\n    count(*) AS order_count,\n    sum(orders.total) AS total_spent\n"
                        + "   FROM app.orders\n  GROUP BY orders.customer_id;"))
        #expect(totalsView.checkOption == nil)
        expectColumn(totals, "customer_id", position: 1, type: "bigint", nullable: true)
        expectColumn(totals, "order_count", position: 2, type: "bigint", nullable: true)
        expectColumn(totals, "total_spent", position: 3, type: "numeric", nullable: true)
    }

    // MARK: Partitioning

    @Test func rangePartitioning() throws {
        let measurements = try relation("app", "measurements")
        #expect(measurements.kind == .partitionedTable)
        #expect(measurements.partitioning == Partitioning(strategy: .range, key: "RANGE (recorded_at)"))
        #expect(
            measurements.partitions.map(\.name) == ["measurements_2024", "measurements_2025", "measurements_default"])
        expectPartition(
            measurements.partitions, "measurements_2024", schemaName: "app",
            bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", comment: "Range partition for 2024.")
        expectPartition(
            measurements.partitions, "measurements_2025", schemaName: "audit",
            bound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
            comment: "Range partition for 2025, in schema audit (parent is in app).")
        expectPartition(
            measurements.partitions, "measurements_default", schemaName: "app", bound: "DEFAULT",
            comment: "Default range partition.")
        #expect(Set(measurements.partitions.compactMap(\.objectId)).count == 3)
    }

    @Test func listPartitioningWithHashSubpartitions() throws {
        let events = try relation("app", "events_by_region")
        #expect(events.kind == .partitionedTable)
        #expect(events.partitioning == Partitioning(strategy: .list, key: "LIST (region)"))
        #expect(events.partitions.map(\.name) == ["events_eu", "events_us"])
        expectPartition(
            events.partitions, "events_eu", schemaName: "app", bound: "FOR VALUES IN ('eu', 'uk')",
            comment: "List partition eu/uk.")
        expectPartition(
            events.partitions, "events_us", schemaName: "app", bound: "FOR VALUES IN ('us')",
            comment: "List partition us, itself hash-partitioned by event_id.",
            partitioning: Partitioning(strategy: .hash, key: "HASH (event_id)"), subpartitionCount: 2)

        let us = try #require(events.partitions.first { $0.name == "events_us" })
        #expect(us.subpartitions.map(\.name) == ["events_us_h0", "events_us_h1"])
        expectPartition(
            us.subpartitions, "events_us_h0", schemaName: "app", bound: "FOR VALUES WITH (modulus 2, remainder 0)",
            comment: "Hash sub-partition remainder 0.")
        expectPartition(
            us.subpartitions, "events_us_h1", schemaName: "app", bound: "FOR VALUES WITH (modulus 2, remainder 1)",
            comment: "Hash sub-partition remainder 1.")
    }

    // MARK: Keys

    @Test func primaryKeys() throws {
        let expected: [(schema: String, table: String, name: String, columns: [String], comment: String?)] = [
            ("app", "customers", "customers_pkey", ["id"], "Single-column primary key."),
            ("app", "coupons", "coupons_pkey", ["code"], nil),
            ("app", "products", "products_pkey", ["sku"], nil),
            ("app", "orders", "orders_pkey", ["id"], nil),
            ("app", "order items", "order_items_pkey", ["order_id", "line_no"], "Composite primary key."),
            ("app", "warehouses", "warehouses_pkey", ["region", "code"], nil),
            ("app", "shipments", "shipments_pkey", ["id"], nil),
            ("app", "rooms", "rooms_pkey", ["id"], nil),
            ("app", "measurements", "measurements_pkey", ["sensor", "recorded_at"], nil),
            ("app", "events_by_region", "events_by_region_pkey", ["region", "event_id"], nil),
            ("audit", "events", "events_pkey", ["id"], nil),
            ("public", "quote\"d", "quote\"d_pkey", ["id"], nil),
            ("public", cafe, "\(cafe)_pkey", ["id"], nil),
            ("public", "select", "select_pkey", ["from"], nil),
            ("public", name63, pkey63, ["id"], nil),
            ("Weird Schema", "MixedCase", "MixedCase_pkey", ["Id"], nil),
        ]
        for item in expected {
            let relation = try relation(item.schema, item.table)
            expectKey(relation.primaryKey, item.name, columns: item.columns, comment: item.comment)
        }
        for (schema, table) in [
            ("app", "measurement_notes"), ("audit", "events_archive"), ("app", "v_customer_orders"),
            ("app", "mv_customer_totals"),
        ] {
            #expect(try relation(schema, table).primaryKey == nil, "\(schema).\(table) has no primary key")
        }
    }

    @Test func uniqueConstraints() throws {
        let customers = try relation("app", "customers")
        #expect(customers.uniqueConstraints.count == 1)
        expectKey(
            customers.uniqueConstraints.first, "customers_email_key", columns: ["email"], deferrable: true,
            initiallyDeferred: true, comment: "Deferrable unique, initially deferred.")
        let products = try relation("app", "products")
        #expect(products.uniqueConstraints.count == 1)
        expectKey(
            products.uniqueConstraints.first, "products_vendor_name_key", columns: ["vendor", "name"],
            comment: "Composite unique constraint.")
        // The UNIQUE *indexes* are not unique constraints.
        let all = try database().schemas.flatMap { $0.relations.flatMap { $0.uniqueConstraints.map(\.name) } }
        #expect(all.sorted() == ["customers_email_key", "products_vendor_name_key"])
    }

    // MARK: Foreign keys

    @Test func foreignKeys() throws {
        let customers = try relation("app", "customers")
        #expect(customers.foreignKeys.map(\.name) == ["customers_referred_by_fk"])
        expectForeignKey(
            customers, "customers_referred_by_fk", columns: ["referred_by"], referencedSchema: "app",
            referencedTable: "customers", referencedColumns: ["id"], onDelete: .setNull,
            comment: "Self-referencing FK, ON DELETE SET NULL.")

        let orders = try relation("app", "orders")
        #expect(orders.foreignKeys.map(\.name) == ["orders_coupon_fk", "orders_customer_fk"])
        expectForeignKey(
            orders, "orders_customer_fk", columns: ["customer_id"], referencedSchema: "app",
            referencedTable: "customers",
            referencedColumns: ["id"], onDelete: .cascade, comment: "FK ON DELETE CASCADE.")
        expectForeignKey(
            orders, "orders_coupon_fk", columns: ["coupon_code"], referencedSchema: "app", referencedTable: "coupons",
            referencedColumns: ["code"], onDelete: .setDefault, comment: "FK ON DELETE SET DEFAULT.")

        let items = try relation("app", "order items")
        #expect(items.foreignKeys.map(\.name) == ["order_items_order_fk", "order_items_product_fk"])
        expectForeignKey(
            items, "order_items_product_fk", columns: ["sku"], referencedSchema: "app", referencedTable: "products",
            referencedColumns: ["sku"], onUpdate: .cascade, onDelete: .restrict,
            comment: "ON UPDATE CASCADE, ON DELETE RESTRICT.")
        expectForeignKey(
            items, "order_items_order_fk", columns: ["order_id"], referencedSchema: "app", referencedTable: "orders",
            referencedColumns: ["id"], onDelete: .noAction, deferrable: true, initiallyDeferred: true,
            comment: "Explicit NO ACTION, deferrable initially deferred.")

        let shipments = try relation("app", "shipments")
        // The warehouse key's column list needs 15 (pg15-fixture.sql).
        let since15 = TestServer.major >= 15
        #expect(
            shipments.foreignKeys.map(\.name)
                == ["shipments_item_fk"] + (since15 ? ["shipments_warehouse_fk"] : []))
        expectForeignKey(
            shipments, "shipments_item_fk", columns: ["order_id", "line_no"], referencedSchema: "app",
            referencedTable: "order items", referencedColumns: ["order_id", "line_no"], matchType: .full,
            deferrable: true, initiallyDeferred: false,
            comment: "Composite FK, MATCH FULL, deferrable initially immediate.")
        if since15 {
            expectForeignKey(
                shipments, "shipments_warehouse_fk", columns: ["warehouse_region", "warehouse_code"],
                referencedSchema: "app", referencedTable: "warehouses", referencedColumns: ["region", "code"],
                onDelete: .setNull, onDeleteColumns: ["warehouse_code"],
                comment: "PG15 column list: ON DELETE SET NULL (warehouse_code).")
        }

        let events = try relation("audit", "events")
        #expect(events.foreignKeys.map(\.name) == ["events_customer_fk"])
        expectForeignKey(
            events, "events_customer_fk", columns: ["customer_id"], referencedSchema: "app",
            referencedTable: "customers",
            referencedColumns: ["id"], validated: false, comment: "Cross-schema FK added NOT VALID.")

        let mixed = try relation("Weird Schema", "MixedCase")
        #expect(mixed.foreignKeys.map(\.name) == ["MixedCase_select_fk"])
        expectForeignKey(
            mixed, "MixedCase_select_fk", columns: ["select_from"], referencedSchema: "public",
            referencedTable: "select",
            referencedColumns: ["from"], onUpdate: .cascade, onDelete: .cascade,
            comment: "Cross-schema FK to a reserved-word table.")

        // A FK to a partitioned table: only the declared constraint, not the per-partition clones.
        let notes = try relation("app", "measurement_notes")
        #expect(notes.foreignKeys.map(\.name) == ["measurement_notes_measurement_fk"])
        expectForeignKey(
            notes, "measurement_notes_measurement_fk", columns: ["sensor", "recorded_at"], referencedSchema: "app",
            referencedTable: "measurements", referencedColumns: ["sensor", "recorded_at"], onDelete: .cascade,
            comment: nil)

        // Nothing else has a foreign key (the INHERITS child does not inherit FKs).
        let all = try database().schemas.flatMap { $0.relations.flatMap { $0.foreignKeys.map(\.name) } }
        #expect(all.count == (since15 ? 10 : 9))
        #expect(try relation("audit", "events_archive").foreignKeys.isEmpty)
    }

    // MARK: CHECK and EXCLUDE

    @Test func checkConstraints() throws {
        let customers = try relation("app", "customers")
        #expect(customers.checkConstraints.map(\.name) == ["customers_age_check"])
        // Column-level, auto-named: attached to its column.
        expectCheck(
            customers, "customers_age_check", expression: "(age >= 0)", columns: ["age"],
            comment: "Column-level CHECK (auto-named).")

        let coupons = try relation("app", "coupons")
        #expect(coupons.checkConstraints.map(\.name) == ["coupons_percent_range"])
        expectCheck(
            coupons, "coupons_percent_range", expression: "((percent >= 0) AND (percent <= 100))", columns: ["percent"],
            comment: nil)

        let orders = try relation("app", "orders")
        #expect(orders.checkConstraints.map(\.name) == ["orders_total_nonneg"])
        // A table-level check: PostgreSQL still records the columns it references in conkey.
        expectCheck(
            orders, "orders_total_nonneg", expression: "(total >= (0)::numeric)", columns: ["total"],
            comment: "Table-level CHECK.")

        let products = try relation("app", "products")
        #expect(products.checkConstraints.map(\.name) == ["products_price_positive"])
        expectCheck(
            products, "products_price_positive", expression: "(price > (0)::numeric)", columns: ["price"],
            validated: false, comment: "CHECK added NOT VALID.")

        let events = try relation("audit", "events")
        #expect(events.checkConstraints.map(\.name) == ["events_kind_nonempty"])
        expectCheck(
            events, "events_kind_nonempty", expression: "(kind <> ''::text)", columns: ["kind"],
            comment: "CHECK inherited by audit.events_archive.")
        // The INHERITS child has its own (inherited) copy; the comment is on the parent's row only.
        let archive = try relation("audit", "events_archive")
        #expect(archive.checkConstraints.map(\.name) == ["events_kind_nonempty"])
        expectCheck(archive, "events_kind_nonempty", expression: "(kind <> ''::text)", columns: ["kind"], comment: nil)
    }

    @Test func exclusionConstraint() throws {
        let rooms = try relation("app", "rooms")
        #expect(rooms.exclusionConstraints.count == 1)
        let exclusion = try #require(rooms.exclusionConstraints.first)
        #expect(exclusion.name == "rooms_no_overlap")
        #expect(exclusion.definition == "EXCLUDE USING gist (area WITH &&)")
        #expect(exclusion.deferrable == false)
        #expect(exclusion.initiallyDeferred == false)
        #expect(exclusion.comment == "Exclusion constraint, gist, box &&.")
        #expect(exclusion.objectId != nil)
        // Its backing gist index is the constraint, not an index.
        #expect(rooms.indexes.isEmpty)
        let all = try database().schemas.flatMap { $0.relations.flatMap { $0.exclusionConstraints.map(\.name) } }
        #expect(all == ["rooms_no_overlap"])
    }

    // MARK: Indexes

    @Test func constraintIndexesAreNotIndexes() throws {
        var byRelation: [String: [String]] = [:]
        for schema in try database().schemas {
            for relation in schema.relations where !relation.indexes.isEmpty {
                byRelation["\(schema.name).\(relation.name)"] = relation.indexes.map(\.name)
            }
        }
        // Exactly the 15 explicitly created indexes, each on its table, sorted by name. Indexes
        // attached on partitions are not listed (partitions are not relations of the model).
        #expect(
            byRelation == [
                "Weird Schema.MixedCase": ["MixedCase_MixedCol_idx"],
                "app.customers": [
                    "customers_display_name_c_idx", "customers_legacy_no_uidx", "customers_lower_name_idx",
                    "customers_tags_gin_idx",
                ],
                "app.measurements": ["measurements_value_idx"],
                "app.mv_customer_totals": ["mv_customer_totals_customer_uidx"],
                "app.orders": [
                    "orders_created_sort_idx", "orders_customer_incl_idx", "orders_open_idx", "orders_status_ff_idx",
                ],
                // NULLS NOT DISTINCT needs 15 (pg15-fixture.sql).
                "app.products": (TestServer.major >= 15 ? ["products_barcode_nnd_uidx"] : []) + [
                    "products_name_pattern_idx", "products_sku_hash_idx", "products_vendor_price_idx",
                ],
            ])
        let allIndexNames = Set(byRelation.values.flatMap { $0 })
        for backing in [
            "customers_pkey", "customers_email_key", "products_pkey", "products_vendor_name_key", "orders_pkey",
            "order_items_pkey", "rooms_no_overlap", "measurements_pkey", "events_by_region_pkey", "select_pkey",
            "MixedCase_pkey", pkey63,
        ] {
            #expect(!allIndexNames.contains(backing), "\(backing) backs a constraint")
        }
    }

    @Test func indexes() throws {
        let orders = try relation("app", "orders")
        expectIndex(
            orders, "orders_open_idx", method: "btree",
            columns: [IndexColumn(column: "customer_id", nullsFirst: false)],
            predicate: "(status <> 'closed'::text)",
            definition:
                "CREATE INDEX orders_open_idx ON app.orders USING btree (customer_id) WHERE (status <> 'closed'::text)",
            comment: "Partial index.")
        expectIndex(
            orders, "orders_customer_incl_idx", method: "btree",
            columns: [IndexColumn(column: "customer_id", nullsFirst: false)], include: ["total", "status"],
            definition:
                "CREATE INDEX orders_customer_incl_idx ON app.orders USING btree (customer_id) INCLUDE (total, status)",
            comment: "Index with INCLUDE columns.")
        expectIndex(
            orders, "orders_created_sort_idx", method: "btree",
            columns: [
                IndexColumn(column: "created_at", descending: true, nullsFirst: false),
                IndexColumn(column: "id", descending: false, nullsFirst: true),
            ],
            definition:
                "CREATE INDEX orders_created_sort_idx ON app.orders USING btree (created_at DESC NULLS LAST, id NULLS FIRST)",
            comment: "DESC NULLS LAST + ASC NULLS FIRST.")
        expectIndex(
            orders, "orders_status_ff_idx", method: "btree",
            columns: [IndexColumn(column: "status", nullsFirst: false)],
            definition: "CREATE INDEX orders_status_ff_idx ON app.orders USING btree (status) WITH (fillfactor='70')",
            comment: "fillfactor = 70.", options: ["fillfactor": "70"])

        let customers = try relation("app", "customers")
        expectIndex(
            customers, "customers_lower_name_idx", method: "btree",
            columns: [IndexColumn(expression: "lower((display_name)::text)", nullsFirst: false)],
            definition:
                "CREATE INDEX customers_lower_name_idx ON app.customers USING btree (lower((display_name)::text))",
            comment: "Expression index on lower(display_name).")
        expectIndex(
            customers, "customers_legacy_no_uidx", method: "btree", unique: true,
            columns: [IndexColumn(column: "legacy_no", nullsFirst: false)],
            definition: "CREATE UNIQUE INDEX customers_legacy_no_uidx ON app.customers USING btree (legacy_no)",
            comment: "Unique index (not a constraint).")
        // GIN does not order: no nulls ordering; array_ops is the default opclass for text[].
        expectIndex(
            customers, "customers_tags_gin_idx", method: "gin", columns: [IndexColumn(column: "tags")],
            definition: "CREATE INDEX customers_tags_gin_idx ON app.customers USING gin (tags)",
            comment: "GIN on text[].")
        expectIndex(
            customers, "customers_display_name_c_idx", method: "btree",
            columns: [IndexColumn(column: "display_name", nullsFirst: false, collation: "C")],
            definition:
                "CREATE INDEX customers_display_name_c_idx ON app.customers USING btree (display_name COLLATE \"C\")",
            comment: "Explicit COLLATE \"C\" on a default-collation column.")

        let products = try relation("app", "products")
        expectIndex(
            products, "products_vendor_price_idx", method: "btree",
            columns: [
                IndexColumn(column: "vendor", nullsFirst: false), IndexColumn(column: "price", nullsFirst: false),
            ],
            definition: "CREATE INDEX products_vendor_price_idx ON app.products USING btree (vendor, price)",
            comment: "Multi-column btree.")
        // Hash does not order either.
        expectIndex(
            products, "products_sku_hash_idx", method: "hash", columns: [IndexColumn(column: "sku")],
            definition: "CREATE INDEX products_sku_hash_idx ON app.products USING hash (sku)", comment: "Hash index.")
        expectIndex(
            products, "products_name_pattern_idx", method: "btree",
            columns: [IndexColumn(column: "name", nullsFirst: false, opclass: "text_pattern_ops")],
            definition: "CREATE INDEX products_name_pattern_idx ON app.products USING btree (name text_pattern_ops)",
            comment: "Non-default opclass text_pattern_ops.")
        if TestServer.major >= 15 {
            expectIndex(
                products, "products_barcode_nnd_uidx", method: "btree", unique: true,
                columns: [IndexColumn(column: "barcode", nullsFirst: false)], nullsNotDistinct: true,
                definition:
                    "CREATE UNIQUE INDEX products_barcode_nnd_uidx ON app.products USING btree (barcode) NULLS NOT DISTINCT",
                comment: "UNIQUE NULLS NOT DISTINCT (PG15).")
        }

        // DESC without NULLS LAST: NULLS FIRST is the default for DESC.
        let measurements = try relation("app", "measurements")
        expectIndex(
            measurements, "measurements_value_idx", method: "btree",
            columns: [IndexColumn(column: "value", descending: true, nullsFirst: true)],
            definition: "CREATE INDEX measurements_value_idx ON ONLY app.measurements USING btree (value DESC)",
            comment: "Index on a partitioned table (children get attached indexes).")

        let totals = try relation("app", "mv_customer_totals")
        expectIndex(
            totals, "mv_customer_totals_customer_uidx", method: "btree", unique: true,
            columns: [IndexColumn(column: "customer_id", nullsFirst: false)],
            definition:
                "CREATE UNIQUE INDEX mv_customer_totals_customer_uidx ON app.mv_customer_totals USING btree (customer_id)",
            comment: "Unique index on a materialized view.")

        let mixed = try relation("Weird Schema", "MixedCase")
        expectIndex(
            mixed, "MixedCase_MixedCol_idx", method: "btree",
            columns: [IndexColumn(column: "MixedCol", nullsFirst: false)],
            definition:
                "CREATE INDEX \"MixedCase_MixedCol_idx\" ON \"Weird Schema\".\"MixedCase\" USING btree (\"MixedCol\")",
            comment: "Mixed-case index name.")
    }

    /// Every captured index's `definition` equals what the server prints (`pg_get_indexdef`
    /// with `search_path = pg_catalog`), whether the reader built it or asked the server.
    @Test func indexDefinitionsMatchServer() throws {
        let scratch = try ScratchDatabase(prefix: "fixture", sql: try TestServer.fixtureSQL())
        try withExtendedLifetime(scratch) {
            let (catalog, _) = try scratch.capture()
            let database = try #require(catalog.databases.first)

            let admin = try TestServer.adminConnection(database: scratch.name)
            try admin.execute("SET search_path = pg_catalog", context: "setting the search path")
            let result = try admin.execute(
                "SELECT x.indexrelid, pg_get_indexdef(x.indexrelid) FROM pg_index x", context: "printing indexes")
            var server: [Int64: String] = [:]
            for row in result.rows {
                let oid = try #require(row.int(0))
                server[oid] = row.string(1)
            }

            var compared = 0
            for schema in database.schemas {
                for relation in schema.relations {
                    for index in relation.indexes {
                        let oid = try #require(index.objectId, "\(index.name) has no objectId")
                        let printed = try #require(server[oid], "no pg_index row for \(schema.name).\(index.name)")
                        #expect(index.definition == printed, "\(schema.name).\(index.name)")
                        compared += 1
                    }
                }
            }
            // products_barcode_nnd_uidx needs 15.
            #expect(compared == (TestServer.major >= 15 ? 15 : 14))
        }
    }

    // MARK: Triggers

    @Test func triggers() throws {
        let customers = try relation("app", "customers")
        #expect(customers.triggers.map(\.name) == ["customers_normalize_biu"])
        expectTrigger(
            customers, "customers_normalize_biu", timing: .before, events: [.insert, .update], level: .row,
            function: "app.normalize_customer",
            definition:
                "CREATE TRIGGER customers_normalize_biu BEFORE INSERT OR UPDATE ON app.customers FOR EACH ROW "
                + "EXECUTE FUNCTION app.normalize_customer()",
            comment: "Row-level BEFORE INSERT OR UPDATE.")

        let orders = try relation("app", "orders")
        #expect(orders.triggers.map(\.name) == ["orders_status_changed", "orders_truncate_audit"])
        expectTrigger(
            orders, "orders_truncate_audit", timing: .after, events: [.truncate], level: .statement,
            function: "audit.log_truncate",
            definition:
                "CREATE TRIGGER orders_truncate_audit AFTER TRUNCATE ON app.orders FOR EACH STATEMENT "
                + "EXECUTE FUNCTION audit.log_truncate('orders')",
            comment: "Statement-level AFTER TRUNCATE, one argument.")
        expectTrigger(
            orders, "orders_status_changed", timing: .after, events: [.update], updateColumns: ["status"], level: .row,
            function: "audit.log_status_change",
            definition:
                "CREATE TRIGGER orders_status_changed AFTER UPDATE OF status ON app.orders FOR EACH ROW "
                + "WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION audit.log_status_change()",
            comment: "AFTER UPDATE OF status with WHEN.")

        let products = try relation("app", "products")
        #expect(products.triggers.map(\.name) == ["products_touch_bu"])
        expectTrigger(
            products, "products_touch_bu", timing: .before, events: [.update], level: .row, state: .disabled,
            function: "app.touch_product",
            definition:
                "CREATE TRIGGER products_touch_bu BEFORE UPDATE ON app.products FOR EACH ROW "
                + "EXECUTE FUNCTION app.touch_product()",
            comment: "Disabled trigger.")

        let view = try relation("app", "v_customer_orders")
        #expect(view.triggers.map(\.name) == ["v_customer_orders_ioi"])
        expectTrigger(
            view, "v_customer_orders_ioi", timing: .insteadOf, events: [.insert], level: .row,
            function: "app.v_customer_orders_insert",
            definition:
                "CREATE TRIGGER v_customer_orders_ioi INSTEAD OF INSERT ON app.v_customer_orders FOR EACH ROW "
                + "EXECUTE FUNCTION app.v_customer_orders_insert()",
            comment: "INSTEAD OF INSERT on a view.")

        let shipments = try relation("app", "shipments")
        // The constraint trigger only; the internal RI triggers of the FKs are not listed.
        #expect(shipments.triggers.map(\.name) == ["shipments_check_ct"])
        expectTrigger(
            shipments, "shipments_check_ct", timing: .after, events: [.insert, .update], level: .row,
            function: "app.shipment_check", isConstraint: true,
            definition:
                "CREATE CONSTRAINT TRIGGER shipments_check_ct AFTER INSERT OR UPDATE ON app.shipments "
                + "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.shipment_check()",
            comment: "Constraint trigger, deferrable initially deferred.")

        let all = try database().schemas.flatMap { $0.relations.flatMap { $0.triggers.map(\.name) } }
        #expect(all.count == 6)
    }

    // MARK: Routines

    @Test func routines() throws {
        let app = try schema("app")
        // Sorted by name, then arguments.
        #expect(
            app.routines.map(\.signature) == [
                "add(a integer, b integer)", "add(a numeric, b numeric)", "customer_email(p_id bigint)",
                "do_thing(IN p_order_id integer)", "double_it(x integer)",
                "format_money(amount numeric, currency text)",
                "normalize_customer()", "order_count(p_customer bigint)", "shipment_check()", "touch_product()",
                "v_customer_orders_insert()",
            ])
        let audit = try schema("audit")
        #expect(audit.routines.map(\.signature) == ["log_status_change()", "log_truncate()"])
        #expect(try schema("public").routines.isEmpty)
        #expect(try schema("Weird Schema").routines.isEmpty)

        let addInt = try routine("app", "add", "a integer, b integer")
        expectRoutine(
            addInt, returns: "integer", language: "sql", volatility: "IMMUTABLE", comment: "Integer addition.")
        let addNumeric = try routine("app", "add", "a numeric, b numeric")
        expectRoutine(
            addNumeric, returns: "numeric", language: "sql", volatility: "IMMUTABLE",
            comment: "Numeric addition (overload).")
        #expect(addInt.objectId != addNumeric.objectId)
        // Both overloads are written `AS $$ SELECT a + b $$`: the same stored body (prosrc
        // ' SELECT a + b '), so the same SHA-256 of the body. (The overloads differ by their
        // identity arguments, not by their body.)
        #expect(addInt.bodyHash == "6969a53269eee991441163a77a271c4936bf7f769be4d6d550d2e05431031de2")
        #expect(addNumeric.bodyHash == addInt.bodyHash)

        let customerEmail = try routine("app", "customer_email", "p_id bigint")
        expectRoutine(
            customerEmail, returns: "text", language: "sql", volatility: "STABLE", security: "DEFINER",
            options: ["config": "search_path=pg_catalog, pg_temp"],
            comment: "SECURITY DEFINER, STABLE, pinned search_path.")

        let doThing = try routine("app", "do_thing", "IN p_order_id integer")
        expectRoutine(
            doThing, kind: .procedure, returns: nil, language: "plpgsql", volatility: nil,
            comment: "Procedure closing an order.")
        // SHA-256 of prosrc, "\nBEGIN\n  UPDATE app.orders SET status = 'closed' WHERE id = p_order_id;\nEND ".
        #expect(doThing.bodyHash == "eb52b61e0344f97cab833d53bf42c98f2c0f2a4b63af557da7e41210c0777184")

        let doubleIt = try routine("app", "double_it", "x integer")
        expectRoutine(
            doubleIt, returns: "integer", language: "sql", volatility: "IMMUTABLE", options: ["parallel": "SAFE"],
            comment: "SQL-standard body (RETURN).")
        // SQL-standard body: the hash is of the server's text of it, "RETURN (x * 2)".
        #expect(doubleIt.bodyHash == "d3b91fe37c82edc0ee1667444141233b259250d63c947475bca0bb9dc124325d")

        let orderCount = try routine("app", "order_count", "p_customer bigint")
        expectRoutine(
            orderCount, returns: "bigint", language: "sql", volatility: "STABLE",
            comment: "SQL-standard body (BEGIN ATOMIC).")

        let formatMoney = try routine("app", "format_money", "amount numeric, currency text")
        expectRoutine(
            formatMoney, returns: "text", language: "sql", volatility: "IMMUTABLE",
            options: ["strict": "true", "fullArguments": "amount numeric, currency text DEFAULT 'EUR'::text"],
            comment: "Function with a defaulted argument.")

        for (schema, name, comment) in [
            ("app", "normalize_customer", "Row trigger function: normalize names."),
            ("app", "touch_product", "Row trigger function: record updater."),
            ("app", "v_customer_orders_insert", "INSTEAD OF trigger function."),
            ("app", "shipment_check", "Constraint trigger function (no-op)."),
            ("audit", "log_truncate", "Statement trigger function for TRUNCATE."),
            ("audit", "log_status_change", "Row trigger function for status changes."),
        ] {
            expectRoutine(
                try routine(schema, name, ""), returns: "trigger", language: "plpgsql", volatility: "VOLATILE",
                comment: comment)
        }

        // Every body hash is 64 lower-case hex digits; only the two `add` bodies are equal.
        let all = app.routines + audit.routines
        let hex = Set("0123456789abcdef")
        for routine in all {
            #expect(routine.bodyHash.count == 64, "\(routine.signature).bodyHash")
            #expect(routine.bodyHash.allSatisfy { hex.contains($0) }, "\(routine.signature).bodyHash")
        }
        #expect(Set(all.map(\.bodyHash)).count == all.count - 1)
    }

    // MARK: Hard identifiers, comments, inheritance

    @Test func hardIdentifiers() throws {
        let quoted = try relation("public", "quote\"d")
        #expect(quoted.name == "quote\"d")
        #expect(quoted.columns.map(\.name) == ["id", "say \"hi\""])
        expectColumn(
            quoted, "say \"hi\"", position: 2, type: "text", nullable: true,
            comment: "Column name contains double quotes.")
        #expect(quoted.primaryKey?.name == "quote\"d_pkey")

        let long = try relation("public", name63)
        #expect(long.name.utf8.count == 63)
        #expect(long.name == name63)
        #expect(long.columns.map(\.name) == ["id", column63])
        let longColumn = try #require(long.column(named: column63))
        #expect(longColumn.name.utf8.count == 63)
        expectColumn(long, column63, position: 2, type: "text", nullable: true, comment: "63-byte column name.")
        #expect(long.primaryKey?.name == pkey63)
        #expect(long.primaryKey?.name.utf8.count == 63)

        // Stored NFC: 12 characters, 12 scalars, 15 bytes, exactly these bytes.
        let unicode = try relation("public", cafe)
        #expect(Array(unicode.name.utf8) == Array(cafe.utf8))
        #expect(unicode.name.count == 12)
        #expect(unicode.name.unicodeScalars.count == 12)
        #expect(unicode.name.utf8.count == 15)
        #expect(unicode.columns.map(\.name) == ["id", namae, "\u{FC}"])
        expectColumn(
            unicode, namae, position: 2, type: "text", nullable: false, comment: "Japanese column name (namae).")
        expectColumn(unicode, "\u{FC}", position: 3, type: "integer", nullable: true)
        let namaeColumn = try #require(unicode.column(named: namae))
        #expect(namaeColumn.name.count == 2)
        #expect(namaeColumn.name.utf8.count == 6)

        let select = try relation("public", "select")
        #expect(select.columns.map(\.name) == ["from", "user", "order"])
        expectColumn(select, "from", position: 1, type: "text", nullable: false)
        expectColumn(select, "user", position: 2, type: "text", nullable: true, comment: "Reserved-word column name.")
        expectColumn(select, "order", position: 3, type: "integer", nullable: true)

        let mixed = try relation("Weird Schema", "MixedCase")
        #expect(mixed.columns.map(\.name) == ["Id", "MixedCol", "lower_col", "select_from"])
        expectColumn(mixed, "Id", position: 1, type: "integer", nullable: false)
        expectColumn(mixed, "MixedCol", position: 2, type: "text", nullable: true, comment: "Mixed-case column.")

        let items = try relation("app", "order items")
        #expect(items.columns.map(\.name) == ["order_id", "line_no", "sku", "quantity"])
    }

    @Test func longCommentSurvivesIntact() throws {
        let long = try relation("public", name63)
        let comment = try #require(long.comment)
        #expect(longComment.count == 2000)
        #expect(comment.count == 2000)
        #expect(comment.utf8.count == 2000)
        #expect(comment == longComment)
        #expect(comment.hasPrefix("Segment 01: schemasync must capture"))
        #expect(comment.hasSuffix("Padding .............................. The end."))
        #expect(!comment.contains("\n"))
    }

    @Test func legacyInheritance() throws {
        let archive = try relation("audit", "events_archive")
        #expect(archive.kind == .table)
        #expect(archive.options == ["inherits": "audit.events"])
        #expect(archive.partitioning == nil)
        #expect(archive.columns.map(\.name) == ["id", "customer_id", "kind", "occurred_at", "archived_on"])
        expectColumn(archive, "id", position: 1, type: "bigint", nullable: false)
        expectColumn(archive, "customer_id", position: 2, type: "bigint", nullable: true)
        expectColumn(archive, "kind", position: 3, type: "text", nullable: false)
        expectColumn(archive, "occurred_at", position: 4, type: "timestamp with time zone", nullable: false)
        expectColumn(
            archive, "archived_on", position: 5, type: "date", nullable: false, defaultValue: "'2000-01-01'::date")
        #expect(archive.primaryKey == nil)
        #expect(archive.foreignKeys.isEmpty)
        // The parent does not name itself.
        #expect(try relation("audit", "events").options == [:])
    }
}

// MARK: - Field-by-field helpers

/// Checks every field of a column. No column of the fixture was dropped, so attnum == position.
private func expectColumn(
    _ relation: Relation, _ name: String, position: Int, type: String, nullable: Bool, defaultValue: String? = nil,
    identity: IdentityKind? = nil, generated: GeneratedColumn? = nil, collation: String? = nil, comment: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let column = relation.column(named: name) else {
        Issue.record("\(relation.name).\(name) is missing", sourceLocation: sourceLocation)
        return
    }
    let label = "\(relation.name).\(name)"
    #expect(column.position == position, "\(label).position", sourceLocation: sourceLocation)
    #expect(column.objectId == Int64(position), "\(label).objectId (attnum)", sourceLocation: sourceLocation)
    #expect(column.type == type, "\(label).type", sourceLocation: sourceLocation)
    #expect(column.nullable == nullable, "\(label).nullable", sourceLocation: sourceLocation)
    #expect(column.defaultValue == defaultValue, "\(label).defaultValue", sourceLocation: sourceLocation)
    #expect(column.identity == identity, "\(label).identity", sourceLocation: sourceLocation)
    #expect(column.generated == generated, "\(label).generated", sourceLocation: sourceLocation)
    #expect(column.collation == collation, "\(label).collation", sourceLocation: sourceLocation)
    #expect(column.comment == comment, "\(label).comment", sourceLocation: sourceLocation)
    // MySQL-only fields.
    #expect(column.charset == nil, "\(label).charset", sourceLocation: sourceLocation)
    #expect(column.onUpdate == nil, "\(label).onUpdate", sourceLocation: sourceLocation)
    #expect(column.invisible == nil, "\(label).invisible", sourceLocation: sourceLocation)
}

private func expectPartition(
    _ partitions: [Partition], _ name: String, schemaName: String, bound: String, comment: String?,
    partitioning: Partitioning? = nil, subpartitionCount: Int = 0, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let partition = partitions.first(where: { $0.name == name }) else {
        Issue.record("partition \(name) is missing", sourceLocation: sourceLocation)
        return
    }
    #expect(partition.schemaName == schemaName, "\(name).schemaName", sourceLocation: sourceLocation)
    #expect(partition.bound == bound, "\(name).bound", sourceLocation: sourceLocation)
    #expect(partition.comment == comment, "\(name).comment", sourceLocation: sourceLocation)
    #expect(partition.owner == "postgres", "\(name).owner", sourceLocation: sourceLocation)
    #expect(partition.objectId != nil, "\(name).objectId", sourceLocation: sourceLocation)
    #expect(partition.partitioning == partitioning, "\(name).partitioning", sourceLocation: sourceLocation)
    #expect(partition.subpartitions.count == subpartitionCount, "\(name).subpartitions", sourceLocation: sourceLocation)
    #expect(partition.options == [:], "\(name).options", sourceLocation: sourceLocation)
}

private func expectKey(
    _ key: KeyConstraint?, _ name: String, columns: [String], deferrable: Bool = false, initiallyDeferred: Bool = false,
    comment: String?, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let key else {
        Issue.record("key \(name) is missing", sourceLocation: sourceLocation)
        return
    }
    #expect(key.name == name, sourceLocation: sourceLocation)
    #expect(key.columns == columns, "\(name).columns", sourceLocation: sourceLocation)
    #expect(key.include == [], "\(name).include", sourceLocation: sourceLocation)
    #expect(key.nullsNotDistinct == false, "\(name).nullsNotDistinct", sourceLocation: sourceLocation)
    #expect(key.deferrable == deferrable, "\(name).deferrable", sourceLocation: sourceLocation)
    #expect(key.initiallyDeferred == initiallyDeferred, "\(name).initiallyDeferred", sourceLocation: sourceLocation)
    #expect(key.comment == comment, "\(name).comment", sourceLocation: sourceLocation)
    #expect(key.objectId != nil, "\(name).objectId", sourceLocation: sourceLocation)
}

private func expectForeignKey(
    _ relation: Relation, _ name: String, columns: [String], referencedSchema: String, referencedTable: String,
    referencedColumns: [String], onUpdate: ReferentialAction = .noAction, onDelete: ReferentialAction = .noAction,
    onDeleteColumns: [String] = [], matchType: MatchType = .simple, deferrable: Bool = false,
    initiallyDeferred: Bool = false, validated: Bool = true, comment: String?,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let key = relation.foreignKeys.first(where: { $0.name == name }) else {
        Issue.record("foreign key \(relation.name).\(name) is missing", sourceLocation: sourceLocation)
        return
    }
    #expect(key.columns == columns, "\(name).columns", sourceLocation: sourceLocation)
    #expect(key.referencedDatabase == nil, "\(name).referencedDatabase", sourceLocation: sourceLocation)
    #expect(key.referencedSchema == referencedSchema, "\(name).referencedSchema", sourceLocation: sourceLocation)
    #expect(key.referencedTable == referencedTable, "\(name).referencedTable", sourceLocation: sourceLocation)
    #expect(key.referencedColumns == referencedColumns, "\(name).referencedColumns", sourceLocation: sourceLocation)
    #expect(key.onUpdate == onUpdate, "\(name).onUpdate", sourceLocation: sourceLocation)
    #expect(key.onDelete == onDelete, "\(name).onDelete", sourceLocation: sourceLocation)
    #expect(key.onDeleteColumns == onDeleteColumns, "\(name).onDeleteColumns", sourceLocation: sourceLocation)
    #expect(key.matchType == matchType, "\(name).matchType", sourceLocation: sourceLocation)
    #expect(key.deferrable == deferrable, "\(name).deferrable", sourceLocation: sourceLocation)
    #expect(key.initiallyDeferred == initiallyDeferred, "\(name).initiallyDeferred", sourceLocation: sourceLocation)
    #expect(key.validated == validated, "\(name).validated", sourceLocation: sourceLocation)
    #expect(key.comment == comment, "\(name).comment", sourceLocation: sourceLocation)
    #expect(key.objectId != nil, "\(name).objectId", sourceLocation: sourceLocation)
}

private func expectCheck(
    _ relation: Relation, _ name: String, expression: String, columns: [String], validated: Bool = true,
    comment: String?, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let check = relation.checkConstraints.first(where: { $0.name == name }) else {
        Issue.record("check \(relation.name).\(name) is missing", sourceLocation: sourceLocation)
        return
    }
    #expect(check.expression == expression, "\(name).expression", sourceLocation: sourceLocation)
    #expect(check.columns == columns, "\(name).columns", sourceLocation: sourceLocation)
    #expect(check.validated == validated, "\(name).validated", sourceLocation: sourceLocation)
    #expect(check.noInherit == false, "\(name).noInherit", sourceLocation: sourceLocation)
    #expect(check.comment == comment, "\(name).comment", sourceLocation: sourceLocation)
    #expect(check.objectId != nil, "\(name).objectId", sourceLocation: sourceLocation)
}

private func expectIndex(
    _ relation: Relation, _ name: String, method: String, unique: Bool = false, columns: [IndexColumn],
    include: [String] = [], predicate: String? = nil, nullsNotDistinct: Bool = false, definition: String,
    comment: String?, options: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let index = relation.indexes.first(where: { $0.name == name }) else {
        Issue.record("index \(relation.name).\(name) is missing", sourceLocation: sourceLocation)
        return
    }
    #expect(index.method == IndexMethod(rawValue: method), "\(name).method", sourceLocation: sourceLocation)
    #expect(index.unique == unique, "\(name).unique", sourceLocation: sourceLocation)
    #expect(index.columns.count == columns.count, "\(name).columns.count", sourceLocation: sourceLocation)
    for (position, (actual, expected)) in zip(index.columns, columns).enumerated() {
        let label = "\(name).columns[\(position)]"
        #expect(actual.column == expected.column, "\(label).column", sourceLocation: sourceLocation)
        #expect(actual.expression == expected.expression, "\(label).expression", sourceLocation: sourceLocation)
        #expect(actual.descending == expected.descending, "\(label).descending", sourceLocation: sourceLocation)
        #expect(actual.nullsFirst == expected.nullsFirst, "\(label).nullsFirst", sourceLocation: sourceLocation)
        #expect(actual.opclass == expected.opclass, "\(label).opclass", sourceLocation: sourceLocation)
        #expect(actual.collation == expected.collation, "\(label).collation", sourceLocation: sourceLocation)
        #expect(actual.prefixLength == nil, "\(label).prefixLength", sourceLocation: sourceLocation)
    }
    #expect(index.include == include, "\(name).include", sourceLocation: sourceLocation)
    #expect(index.predicate == predicate, "\(name).predicate", sourceLocation: sourceLocation)
    #expect(index.nullsNotDistinct == nullsNotDistinct, "\(name).nullsNotDistinct", sourceLocation: sourceLocation)
    #expect(index.definition == definition, "\(name).definition", sourceLocation: sourceLocation)
    #expect(index.comment == comment, "\(name).comment", sourceLocation: sourceLocation)
    #expect(index.options == options, "\(name).options", sourceLocation: sourceLocation)
    #expect(index.objectId != nil, "\(name).objectId", sourceLocation: sourceLocation)
}

private func expectTrigger(
    _ relation: Relation, _ name: String, timing: TriggerTiming, events: [TriggerEvent], updateColumns: [String] = [],
    level: TriggerLevel, state: TriggerState = .enabled, function: String, isConstraint: Bool = false,
    definition: String, comment: String?, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let trigger = relation.triggers.first(where: { $0.name == name }) else {
        Issue.record("trigger \(relation.name).\(name) is missing", sourceLocation: sourceLocation)
        return
    }
    #expect(trigger.timing == timing, "\(name).timing", sourceLocation: sourceLocation)
    #expect(trigger.events == events, "\(name).events", sourceLocation: sourceLocation)
    #expect(trigger.updateColumns == updateColumns, "\(name).updateColumns", sourceLocation: sourceLocation)
    #expect(trigger.level == level, "\(name).level", sourceLocation: sourceLocation)
    #expect(trigger.state == state, "\(name).state", sourceLocation: sourceLocation)
    #expect(trigger.function == function, "\(name).function", sourceLocation: sourceLocation)
    #expect(trigger.isConstraint == isConstraint, "\(name).isConstraint", sourceLocation: sourceLocation)
    #expect(trigger.definition == definition, "\(name).definition", sourceLocation: sourceLocation)
    #expect(trigger.comment == comment, "\(name).comment", sourceLocation: sourceLocation)
    #expect(trigger.options == [:], "\(name).options", sourceLocation: sourceLocation)
    #expect(trigger.objectId != nil, "\(name).objectId", sourceLocation: sourceLocation)
}

private func expectRoutine(
    _ routine: Routine, kind: RoutineKind = .function, returns: String?, language: String, volatility: String?,
    security: String = "INVOKER", options: [String: String] = [:], comment: String?,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let label = routine.signature
    #expect(routine.kind == kind, "\(label).kind", sourceLocation: sourceLocation)
    #expect(routine.returns == returns, "\(label).returns", sourceLocation: sourceLocation)
    #expect(routine.language == language, "\(label).language", sourceLocation: sourceLocation)
    #expect(routine.volatility == volatility, "\(label).volatility", sourceLocation: sourceLocation)
    #expect(routine.security == security, "\(label).security", sourceLocation: sourceLocation)
    #expect(routine.options == options, "\(label).options", sourceLocation: sourceLocation)
    #expect(routine.comment == comment, "\(label).comment", sourceLocation: sourceLocation)
    #expect(routine.owner == "postgres", "\(label).owner", sourceLocation: sourceLocation)
    #expect(routine.objectId != nil, "\(label).objectId", sourceLocation: sourceLocation)
}
