import EventContract
import Foundation
import SchemaCapture
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

@testable import MySQLCapture

/// The suites that read the binary log, one test at a time: one of them purges it, which
/// would take the hints of another running at the same moment.
@Suite(.serialized) enum BinaryLogSuites {}

extension BinaryLogSuites {
    /// Renames that survive table rebuilds, against real MariaDB with its binary log on: each
    /// capture is given the previous one (as a sync does), reads the DDL logged since its
    /// position, and the differ pairs by those hints; with the log unreadable (purged, or an
    /// account without BINLOG MONITOR) by likeness. Exact changes and events, and the replay law,
    /// after every step (docs/capture-mysql.md, docs/diff.md).
    @Suite struct RenameHintsAgainstServerTests {
        /// DDL steps in two scratch databases (`db` and `other`), captured together, each capture
        /// given the previous catalog.
        final class Run {
            let db: ScratchDatabase
            let other: ScratchDatabase
            let reader: MySQLCatalogReader
            var previous: Catalog
            /// The event types of the last step, in order.
            var lastEvents: [String] = []

            init(setup: [String], reader: MySQLCatalogReader? = nil) throws {
                db = try ScratchDatabase(prefix: "hint", statements: setup)
                other = try ScratchDatabase(prefix: "hint_other")
                self.reader = try reader ?? TestServer.reader()
                previous = Catalog(name: "", kind: .mariadb, serverVersion: "", location: "")
                previous = try capture()
            }

            func capture() throws -> Catalog {
                var options = TestCapture.options(databases: [db.name, other.name])
                options.previous = previous
                return try reader.capture(options).0
            }

            /// Runs `statements` (as the admin account) in `db`, captures, and returns the changes.
            func step(_ statements: String...) throws -> [String] {
                try db.run(statements)
                let next = try capture()
                let (changes, events) = try checkedStep(
                    from: previous, to: next, label: statements.joined(separator: "; "))
                lastEvents = events.map(\.type.rawValue)
                previous = next
                return changes.map {
                    $0.summary.replacingOccurrences(of: other.name, with: "other").replacingOccurrences(
                        of: db.name, with: "db")
                }
            }

            /// The table's InnoDB id in the last capture.
            func id(_ table: String, in database: String? = nil) -> Int64? {
                previous.databases.first { $0.name == (database ?? db.name) }?.schemas.first?.relations.first {
                    $0.name == table
                }?.objectId
            }
        }

        @Test func renamedAndRebuiltInOneInterval() throws {
            let run = try Run(setup: [
                "CREATE TABLE customers (id int PRIMARY KEY, email varchar(100))",
                "CREATE TABLE orders (id int PRIMARY KEY, customer int, note varchar(20))",
            ])
            #expect(run.previous.binaryLog != nil)
            let before = run.id("orders")
            // A migration: the table renamed, then a foreign key added (a copying ALTER: a new id).
            #expect(
                try run.step(
                    "RENAME TABLE orders TO purchases",
                    "ALTER TABLE purchases ADD CONSTRAINT fk_customer FOREIGN KEY (customer) REFERENCES customers (id)")
                    == [
                        "alter relation db.db.orders -> db.db.purchases", "create foreign key on purchases",
                        "create index purchases.- -> fk_customer",
                    ])
            #expect(run.lastEvents == ["AlterTableEvent", "AddForeignKeyEvent", "AddIndexEvent"])
            #expect(run.id("purchases") != before)
            #expect(run.previous.nameChanges?.changes.isEmpty == false)
            // Renamed, a column renamed and one added, and rebuilt: only the log links them.
            #expect(
                try run.step(
                    "RENAME TABLE purchases TO sales",
                    "ALTER TABLE sales RENAME COLUMN note TO remark, ADD total int, FORCE")
                    == [
                        "alter relation db.db.purchases -> db.db.sales", "alter column sales.note -> remark",
                        "create column sales.- -> total",
                    ])
            #expect(run.lastEvents == ["AlterTableEvent", "AlterColumnEvent", "AddColumnEvent"])
            // Renamed and retyped (a Django RenameField + AlterField): longtext → json.
            #expect(
                try run.step("ALTER TABLE sales CHANGE remark content_json longtext")
                    == ["alter column sales.remark -> content_json"])
            #expect(
                try run.step("ALTER TABLE sales CHANGE content_json content json")
                    == ["alter relation db.db.sales -> db.db.sales", "alter column sales.content_json -> content"])
            // The table and its columns renamed in one statement, with a new type.
            let together = try run.step(
                "ALTER TABLE sales RENAME TO deals, RENAME COLUMN content TO body, CHANGE total amount bigint")
            // MariaDB 10.11 itself loses the table's foreign key in this combination (SHOW CREATE
            // TABLE has none after it): that drop is real.
            #expect(
                together == [
                    "drop foreign key on sales", "alter relation db.db.sales -> db.db.deals",
                    "alter column deals.content -> body", "alter column deals.total -> amount",
                ])
        }

        @Test func chainsAndSwapsAcrossSyncs() throws {
            let run = try Run(setup: [
                "CREATE TABLE a (id int PRIMARY KEY, name varchar(20))",
                "CREATE TABLE x (id int PRIMARY KEY, x_only int)",
                "CREATE TABLE y (id int PRIMARY KEY, y_only varchar(5), z int)",
            ])
            // a → b → c, rebuilt, and a table just like it created: likeness could not tell, the log can.
            #expect(
                try run.step(
                    "RENAME TABLE a TO b", "RENAME TABLE b TO c", "OPTIMIZE TABLE c",
                    "CREATE TABLE d (id int PRIMARY KEY, name varchar(20))")
                    == [
                        "alter relation db.db.a -> db.db.c", "create relation - -> db.db.d", "create primary key on d",
                        "create not null d.id",
                    ])
            // x and y swapped through tmp: names come first, so each name's table changed its columns.
            let swapped = try run.step("RENAME TABLE x TO tmp, y TO x, tmp TO y")
            #expect(swapped.contains("create column x.- -> z"))
            #expect(swapped.contains("drop column y.z -> -"))
            #expect(!swapped.contains { $0.contains("relation") })
            // Next sync: x (the old y) renamed and rebuilt, y (the old x) renamed to x's old name's
            // neighbour: each pairs with its own table.
            #expect(
                try run.step("RENAME TABLE x TO xx, y TO yy", "ALTER TABLE xx FORCE", "ALTER TABLE yy FORCE")
                    == ["alter relation db.db.x -> db.db.xx", "alter relation db.db.y -> db.db.yy"])
        }

        @Test func aPartitionedTableMovedToAnotherDatabase() throws {
            let run = try Run(setup: [
                "CREATE TABLE p (id int, sold_on date, amount decimal(10,2)) PARTITION BY HASH(id) PARTITIONS 3"
            ])
            #expect(run.id("p") != nil)
            #expect(
                try run.step("RENAME TABLE p TO `\(run.other.name)`.p") == ["alter relation db.db.p -> other.other.p"])
            #expect(run.lastEvents == ["AlterTableEvent"])
            // Back under another name, and rebuilt (new partition ids) with a column added.
            #expect(
                try run.step(
                    "RENAME TABLE `\(run.other.name)`.p TO p2", "ALTER TABLE p2 ADD COLUMN note varchar(10)")
                    == ["alter relation other.other.p -> db.db.p2", "create column p2.- -> note"])
        }

        @Test func renamesInsideAPurgedLogFallBackToLikeness() throws {
            // No other test relying on the log runs meanwhile (a sync test in another target).
            try BinaryLogLock.exclusive { try purgedLog() }
        }

        func purgedLog() throws {
            let run = try Run(setup: [
                "CREATE TABLE t (id int PRIMARY KEY, a varchar(10), b int)",
                "CREATE TABLE u (id int PRIMARY KEY, c varchar(10), d int, e int)",
            ])
            let admin = try TestServer.adminConnection()
            /// Purges every log file but a new current one. MariaDB keeps a file until InnoDB has
            /// made its transactions durable (the binlog checkpoint): tried again, a bounded number of times.
            func purge() throws {
                let old = try admin.query("SHOW MASTER STATUS", context: "status").rows.first?.text(0) ?? ""
                try admin.execute("FLUSH BINARY LOGS", context: "rotating the binary log")
                let current = try admin.query("SHOW MASTER STATUS", context: "status").rows.first?.text(0) ?? ""
                for _ in 0..<100 {
                    try admin.execute("PURGE BINARY LOGS TO '\(current)'", context: "purging the binary log")
                    let files = try admin.query("SHOW BINARY LOGS", context: "listing").rows.map { $0.text(0) }
                    if !files.contains(old) { return }
                    Thread.sleep(forTimeInterval: 0.1)
                }
                Issue.record("\(old) could not be purged")
            }
            // Renamed and rebuilt, then the log purged: no hints, and likeness finds it.
            try run.db.run(["RENAME TABLE t TO t2", "OPTIMIZE TABLE t2"])
            try purge()
            #expect(try run.step() == ["alter relation db.db.t -> db.db.t2"])
            #expect(run.previous.nameChanges == nil)
            #expect(run.previous.binaryLog != nil)
            // The next interval is read again from the new position: hints are back.
            #expect(
                try run.step("RENAME TABLE t2 TO t3", "ALTER TABLE t3 ADD COLUMN f int") == [
                    "alter relation db.db.t2 -> db.db.t3", "create column t3.- -> f",
                ])
            #expect(run.previous.nameChanges != nil)
            // Renamed with a column renamed and one added, in a purged log: not alike, so a drop and
            // a create (a missed rename, never a false one).
            try run.db.run(["RENAME TABLE u TO u2", "ALTER TABLE u2 RENAME COLUMN c TO cc, ADD COLUMN g int, FORCE"])
            try purge()
            let missed = try run.step()
            #expect(missed.contains("drop relation db.db.u -> -"))
            #expect(missed.contains("create relation - -> db.db.u2"))
        }

        @Test func aViewBrokenByAColumnRenameIsInvalidWithItsColumns() throws {
            let run = try Run(setup: [
                "CREATE TABLE t (id int PRIMARY KEY, b int)", "CREATE VIEW v AS SELECT id, b FROM t",
            ])
            #expect(
                try run.step("ALTER TABLE t RENAME COLUMN b TO c") == [
                    "alter relation db.db.v -> db.db.v", "alter column t.b -> c",
                ])
            #expect(run.lastEvents == ["AlterTableEvent", "AlterColumnEvent"])
            let view = run.previous.databases.first { $0.name == run.db.name }?.schemas[0].relations.first {
                $0.name == "v"
            }
            #expect(view?.options["invalid"] == "true")
            #expect(view?.columns.map(\.name) == ["id", "b"])
            // Still broken at the next capture: nothing changed.
            #expect(try run.step("SELECT 1") == [])
            // Repaired: valid again, with its new column. The whole log was read and renames no
            // column of the view, so its column b is dropped and c added, however alike.
            let repaired = try run.step("CREATE OR REPLACE VIEW v AS SELECT id, c FROM t")
            #expect(
                repaired == [
                    "drop column v.b -> -", "alter relation db.db.v -> db.db.v", "create column v.- -> c",
                ], "\(repaired)")
        }
    }

    /// The same causes with an account that may not read the binary log (no BINLOG MONITOR):
    /// no position is recorded, no hints, and likeness pairs what it can.
    @Suite struct RenamesWithoutTheBinaryLogTests {
        @Test func likenessFindsTheRebuiltTableAndNothingFalse() throws {
            let user = "nobinlog_\(UInt32.random(in: 0...UInt32.max))"
            let password = "nobinlog-pw-\(UInt32.random(in: 0...UInt32.max))"
            let admin = try TestServer.adminConnection()
            try admin.execute("CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY '\(password)'", context: "user")
            defer { try? admin.execute("DROP USER '\(user)'@'127.0.0.1'", context: "cleanup") }
            // What a capture account usually has: reading, and PROCESS for the InnoDB table ids.
            try admin.execute("GRANT SELECT, SHOW VIEW, PROCESS ON *.* TO '\(user)'@'127.0.0.1'", context: "grant")
            let server = try TestServer.url().replacingOccurrences(of: "schemasync@", with: "\(user)@")
            let run = try RenameHintsAgainstServerTests.Run(
                setup: [
                    "CREATE TABLE customers (id int PRIMARY KEY, email varchar(100))",
                    "CREATE TABLE orders (id int PRIMARY KEY, customer int, note varchar(20))",
                    "CREATE TABLE p (id int, amount int) PARTITION BY HASH(id) PARTITIONS 2",
                ], reader: MySQLCatalogReader(connection: server, password: password))
            #expect(run.previous.binaryLog == nil)
            #expect(
                try run.step(
                    "RENAME TABLE orders TO purchases",
                    "ALTER TABLE purchases ADD CONSTRAINT fk_customer FOREIGN KEY (customer) REFERENCES customers (id)")
                    == [
                        "alter relation db.db.orders -> db.db.purchases", "create foreign key on purchases",
                        "create index purchases.- -> fk_customer",
                    ])
            #expect(run.previous.nameChanges == nil)
            // Renamed and retyped: the only column left over, at its place.
            #expect(
                try run.step("ALTER TABLE purchases CHANGE note content json")
                    == ["alter relation db.db.purchases -> db.db.purchases", "alter column purchases.note -> content"])
            // A partitioned table moved to another database and rebuilt: alike under its name.
            #expect(
                try run.step("RENAME TABLE p TO `\(run.other.name)`.p", "ALTER TABLE `\(run.other.name)`.p FORCE")
                    == ["alter relation db.db.p -> other.other.p"])
            // Renamed with its columns changed beyond likeness: a drop and a create.
            let missed = try run.step("RENAME TABLE customers TO clients", "ALTER TABLE clients ADD name text, FORCE")
            #expect(missed.contains("drop relation db.db.customers -> -"))
            #expect(missed.contains("create relation - -> db.db.clients"))
        }
    }
}
