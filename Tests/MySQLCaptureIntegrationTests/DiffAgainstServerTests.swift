import EventContract
import Foundation
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

@testable import MySQLCapture

/// The differ against real MariaDB: a scripted sequence of DDL, a capture after each step, and
/// the exact changes and events each step gives; the replay law checked at every step.
@Suite(.serialized) struct DiffAgainstServerTests {
    /// Runs DDL steps in two scratch databases (`db` and `other`), captured together.
    final class Sequence {
        let db: ScratchDatabase
        let other: ScratchDatabase
        var previous: Catalog
        /// The event types of the last step, in order.
        var lastEvents: [String] = []

        init(setup: [String]) throws {
            db = try ScratchDatabase(prefix: "ddl", statements: setup)
            other = try ScratchDatabase(prefix: "ddl_other")
            previous = try Self.capture(db, other)
        }

        static func capture(_ db: ScratchDatabase, _ other: ScratchDatabase) throws -> Catalog {
            try TestServer.reader().capture(TestCapture.options(databases: [db.name, other.name])).0
        }

        /// Runs `statements` in `db`, captures, and returns the changes since the previous capture.
        func step(_ statements: String...) throws -> [String] {
            try db.run(statements)
            let next = try Self.capture(db, other)
            let label = statements.joined(separator: "; ")
            let (changes, events) = try checkedStep(from: previous, to: next, label: label)
            lastEvents = events.map(\.type.rawValue)
            #expect(!events.contains { $0.type == .createSchema || $0.type == .dropSchema })
            #expect(!events.contains { $0.message.serialized.contains("\"schemaName\"") })
            previous = next
            // Names of scratch databases are random: show them as `db` and `other`.
            return changes.map {
                $0.summary.replacingOccurrences(of: other.name, with: "other").replacingOccurrences(
                    of: db.name, with: "db")
            }
        }
    }

    @Test func tablesColumnsAndConstraints() throws {
        let run = try Sequence(setup: ["CREATE TABLE customers (id int PRIMARY KEY, email varchar(100) NOT NULL)"])
        #expect(try run.step("SELECT 1") == [])
        #expect(
            try run.step("CREATE TABLE orders (id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY, total decimal(12,2))")
                == ["create relation - -> db.db.orders", "create primary key on orders", "create not null orders.id"])
        #expect(run.lastEvents == ["CreateTableEvent", "AddPrimaryKeyEvent", "AddNotNullConstraintEvent"])
        #expect(try run.step("ALTER TABLE orders ADD COLUMN note varchar(50)") == ["create column orders.- -> note"])
        #expect(run.lastEvents == ["AddColumnEvent"])
        #expect(try run.step("ALTER TABLE orders MODIFY note varchar(60)") == ["alter column orders.note -> note"])
        #expect(run.lastEvents == ["AlterColumnEvent"])
        #expect(
            try run.step("ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'none'") == [
                "alter column orders.note -> note"
            ])
        #expect(
            try run.step("ALTER TABLE orders MODIFY note varchar(60) DEFAULT 'none' COMMENT 'free text'") == [
                "alter column orders.note -> note"
            ])
        // NOT NULL rebuilds the table with a new InnoDB id: a hint, not a change of the table.
        #expect(
            try run.step("ALTER TABLE orders MODIFY total decimal(12,2) NOT NULL") == ["create not null orders.total"])
        #expect(run.lastEvents == ["AddNotNullConstraintEvent"])
        #expect(try run.step("ALTER TABLE orders MODIFY total decimal(12,2) NULL") == ["drop not null orders.total"])
        #expect(run.lastEvents == ["DropConstraintEvent"])
        // A rename: same definition, same position, no identity needed.
        #expect(
            try run.step("ALTER TABLE orders RENAME COLUMN note TO remark") == ["alter column orders.note -> remark"])
        #expect(run.lastEvents == ["AlterColumnEvent"])
        #expect(
            try run.step("ALTER TABLE orders ADD COLUMN total_cents bigint AS (total * 100) STORED") == [
                "create column orders.- -> total_cents"
            ])
        // A move (MySQL AFTER): an alter whose old and new differ in position only.
        #expect(
            try run.step("ALTER TABLE orders MODIFY remark varchar(60) DEFAULT 'none' COMMENT 'free text' AFTER id")
                == ["alter column orders.remark -> remark"])
        #expect(try run.step("ALTER TABLE orders DROP COLUMN remark") == ["drop column orders.remark -> -"])
        #expect(run.lastEvents == ["DropColumnEvent"])
        #expect(
            try run.step("ALTER TABLE orders ADD COLUMN customer_id int") == ["create column orders.- -> customer_id"])
        // Adding a foreign key rebuilds the table (a new id: no change) and adds the index it needs.
        #expect(
            try run.step(
                "ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE"
            ) == ["create foreign key on orders", "create index orders.- -> fk_orders_customer"])
        #expect(run.lastEvents == ["AddForeignKeyEvent", "AddIndexEvent"])
        #expect(
            try run.step("ALTER TABLE customers ADD CONSTRAINT uq_customers_email UNIQUE (email)") == [
                "create unique on customers"
            ])
        #expect(run.lastEvents == ["AddUniqueConstraintEvent"])
        #expect(
            try run.step("ALTER TABLE orders ADD CONSTRAINT chk_orders_total CHECK (total >= 0)") == [
                "alter relation db.db.orders -> db.db.orders"
            ])
        #expect(
            try run.step("ALTER TABLE orders DROP FOREIGN KEY fk_orders_customer") == ["drop foreign key on orders"])
        #expect(run.lastEvents == ["DropConstraintEvent"])
        #expect(
            try run.step("ALTER TABLE orders COMMENT = 'all orders'") == ["alter relation db.db.orders -> db.db.orders"]
        )
        #expect(try run.step("RENAME TABLE orders TO purchases") == ["alter relation db.db.orders -> db.db.purchases"])
        #expect(run.lastEvents == ["AlterTableEvent"])
        // A move to another database keeps the InnoDB id: one alter, in the other database.
        #expect(
            try run.step("RENAME TABLE purchases TO `\(run.other.name)`.purchases") == [
                "alter relation db.db.purchases -> other.other.purchases"
            ])
        #expect(run.lastEvents == ["AlterTableEvent"])
        // Dropped and created again under the same name: an alter, never a drop and a create.
        #expect(
            try run.step(
                "DROP TABLE customers", "CREATE TABLE customers (id int PRIMARY KEY, email varchar(100) NOT NULL)")
                == ["drop unique on customers"])
        // OPTIMIZE and TRUNCATE rebuild the table with a new id and the same schema: no change.
        #expect(try run.step("OPTIMIZE TABLE customers") == [])
        #expect(try run.step("TRUNCATE TABLE customers") == [])
        #expect(
            try run.step("DROP TABLE `\(run.other.name)`.purchases") == ["drop relation other.other.purchases -> -"])
        #expect(run.lastEvents == ["DropTableEvent"])
    }

    @Test func viewsIndexesTriggersPartitionsAndRoutines() throws {
        let run = try Sequence(setup: [
            "CREATE TABLE items (id int PRIMARY KEY, name varchar(50), price decimal(10,2)) ENGINE=InnoDB"
        ])
        #expect(try run.step("CREATE INDEX ix_items_name ON items (name)") == ["create index items.- -> ix_items_name"])
        #expect(run.lastEvents == ["AddIndexEvent"])
        #expect(
            try run.step("ALTER TABLE items RENAME INDEX ix_items_name TO ix_items_by_name") == [
                "alter index items.ix_items_name -> ix_items_by_name"
            ])
        #expect(run.lastEvents == ["AlterIndexEvent"])
        #expect(
            try run.step("ALTER TABLE items DROP INDEX ix_items_by_name, ADD INDEX ix_items_by_name (name(10) DESC)")
                == ["drop index items.ix_items_by_name -> -", "create index items.- -> ix_items_by_name"])
        #expect(
            try run.step("ALTER TABLE items ALTER INDEX ix_items_by_name IGNORED")
                == ["drop index items.ix_items_by_name -> -", "create index items.- -> ix_items_by_name"])
        #expect(
            try run.step("CREATE VIEW v_items AS SELECT id, name FROM items") == ["create relation - -> db.db.v_items"])
        #expect(
            try run.step("CREATE OR REPLACE VIEW v_items AS SELECT id, name, price FROM items") == [
                "alter relation db.db.v_items -> db.db.v_items", "create column v_items.- -> price",
            ])
        #expect(try run.step("DROP VIEW v_items") == ["drop relation db.db.v_items -> -"])
        #expect(
            try run.step(
                "CREATE TRIGGER trg_items BEFORE INSERT ON items FOR EACH ROW SET NEW.name = lower(NEW.name)")
                == ["create trigger on items"])
        #expect(run.lastEvents == ["AddTriggerEvent"])
        #expect(
            try run.step(
                "DROP TRIGGER trg_items",
                "CREATE TRIGGER trg_items BEFORE INSERT ON items FOR EACH ROW SET NEW.name = upper(NEW.name)")
                == ["drop trigger on items", "create trigger on items"])
        #expect(run.lastEvents == ["DropTriggerEvent", "AddTriggerEvent"])
        #expect(
            try run.step(
                "CREATE TABLE events (id int NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) "
                    + "PARTITION BY RANGE (year(at)) (PARTITION p2024 VALUES LESS THAN (2025))")
                == [
                    "create relation - -> db.db.events", "create primary key on events", "create not null events.id",
                    "create not null events.at", "create partition of events",
                ])
        #expect(
            try run.step("ALTER TABLE events ADD PARTITION (PARTITION p2025 VALUES LESS THAN (2026))") == [
                "create partition of events"
            ])
        #expect(run.lastEvents == ["AddPartitionEvent"])
        #expect(
            try run.step(
                "ALTER TABLE events REORGANIZE PARTITION p2025 INTO (PARTITION p2025 VALUES LESS THAN (2027))")
                == ["alter partition of events"])
        #expect(try run.step("ALTER TABLE events DROP PARTITION p2024") == ["drop partition of events"])
        #expect(run.lastEvents == ["DropPartitionEvent"])
        #expect(
            try run.step("CREATE FUNCTION f_twice(x int) RETURNS int DETERMINISTIC RETURN x * 2") == [
                "create routine db.db.f_twice(x int(11))"
            ])
        #expect(run.lastEvents == ["CreateFunctionEvent"])
        #expect(
            try run.step(
                "DROP FUNCTION f_twice", "CREATE FUNCTION f_twice(x int) RETURNS int DETERMINISTIC RETURN x + x")
                == ["drop routine db.db.f_twice(x int(11))", "create routine db.db.f_twice(x int(11))"])
        #expect(
            try run.step("CREATE PROCEDURE p_noop(IN a int) SELECT a") == ["create routine db.db.p_noop(IN a int(11))"])
        #expect(try run.step("DROP PROCEDURE p_noop") == ["drop routine db.db.p_noop(IN a int(11))"])
        #expect(run.lastEvents == ["DropFunctionEvent"])
    }

    @Test func theFixtureFromNothingThroughEvents() throws {
        // Every object kind of the fixture, as a first delivery: valid events that replay.
        let db = try ScratchDatabase(prefix: "fixture_events", statements: try TestServer.fixtureStatements())
        let (catalog, _) = try db.capture()
        let events = EventEncoder.encode(SchemaDiffer.diff(from: nil, to: catalog), from: nil, to: catalog)
        let expected: Set<EventType> = [
            .createCatalog, .createDatabase, .createFunction, .createTable, .addPrimaryKey, .addUniqueConstraint,
            .addNotNullConstraint, .addForeignKey, .addIndex, .addPartition, .addTrigger,
        ]
        #expect(Set(events.map(\.type)) == expected)
        #expect(!events.contains { $0.message.serialized.contains("\"schemaName\"") })
        let problems = try JSONSchemaValidator.eventSchemas().problems(
            ofEvents: events.map { $0.envelopeEntry(timestamp: 1) })
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        let wire = try events.map {
            Event(type: $0.type, message: try JSONValue.parse(Data($0.message.serialized.utf8)))
        }
        // The binary log position is what the capture saw, not part of the catalog's content.
        var content = catalog
        content.binaryLog = nil
        #expect(try EventApplier.apply(wire, to: nil) == content)
        let teardown = EventEncoder.encode(SchemaDiffer.diff(from: catalog, to: nil), from: catalog, to: nil)
        #expect(try EventApplier.apply(teardown, to: catalog) == nil)
    }
}
