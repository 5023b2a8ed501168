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
                options.previous = PreviousCapture(previous)
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

        /// Regression (review, 2a): the position was read once, before the catalog, so names
        /// changed while the catalog was read were in no hints of this run, and the hints read
        /// up to that position paired the wrong tables: `a → b` logged before, then `b → x`,
        /// `y → b` (both rebuilt) during the read, and the old `a` paired with the new `b`.
        @Test func namesChangedWhileTheCatalogIsReadGiveNoHints() throws {
            let run = try Run(setup: [
                "CREATE TABLE a (id int PRIMARY KEY, x int, p int, q date)",
                "CREATE TABLE y (id int PRIMARY KEY, name varchar(10), created datetime, z text)",
            ])
            try run.db.run(["RENAME TABLE a TO b"])
            let name = run.db.name
            let during = PositionBox()
            var reader = run.reader
            reader.beforeCatalogRead = {
                let connection = try TestServer.adminConnection(database: name)
                try connection.execute("RENAME TABLE b TO x, y TO b", context: "renaming")
                try connection.execute("ALTER TABLE x ENGINE=InnoDB, ALGORITHM=COPY", context: "rebuilding")
                try connection.execute("ALTER TABLE b ENGINE=InnoDB, ALGORITHM=COPY", context: "rebuilding")
                let row = try connection.query("SHOW MASTER STATUS", context: "position").rows.first
                during.set(row.map { ($0.text(0), $0.int(1) ?? 0) })
            }
            var options = TestCapture.options(databases: [run.db.name, run.other.name])
            options.previous = PreviousCapture(run.previous)
            let next = try reader.capture(options).0
            let changes = try checkedStep(from: run.previous, to: next, label: "renamed during the read").changes.map {
                $0.summary.replacingOccurrences(of: name, with: "db")
            }
            #expect(!changes.contains("alter relation db.db.a -> db.db.b"), "\(changes)")
            // No hints: likeness pairs the two rebuilt tables as they really were renamed.
            #expect(changes.contains("alter relation db.db.a -> db.db.x"), "\(changes)")
            #expect(changes.contains("alter relation db.db.y -> db.db.b"), "\(changes)")
            #expect(next.nameChanges == nil)
            #expect(during.value != nil)
            // Regression (review of issue 11, 1): the position read after the catalog was
            // recorded, but the catalog may show names from before the renames, so the next run's
            // hints could pair the wrong tables. No position is recorded: the next run has no
            // hints, pairs by likeness, and records a position again.
            #expect(next.binaryLog == nil)
            try run.db.run(["RENAME TABLE b TO c", "ALTER TABLE c ENGINE=InnoDB, ALGORITHM=COPY"])
            options.previous = PreviousCapture(next)
            let later = try run.reader.capture(options).0
            #expect(later.nameChanges == nil)
            #expect(later.binaryLog != nil)
            let laterChanges = try checkedStep(from: next, to: later, label: "the run after").changes.map {
                $0.summary.replacingOccurrences(of: name, with: "db")
            }
            #expect(laterChanges == ["alter relation db.db.b -> db.db.c"], "\(laterChanges)")
        }

        /// Regression (review, 2e): pages of the log had no bound in bytes, and 10,000 events
        /// each: past the limits, no hints rather than unbounded memory.
        @Test func moreLogThanTheLimitsGivesNoHints() throws {
            let admin = try TestServer.adminConnection()
            let flavor = ServerFlavor(versionString: admin.serverInfo)
            let start = try #require(BinaryLogReader.position(admin, flavor))
            let db = try ScratchDatabase(
                prefix: "limits", statements: ["CREATE TABLE t (id int)", "RENAME TABLE t TO u"])
            let end = try #require(BinaryLogReader.position(admin, flavor))
            let all = try #require(BinaryLogReader.nameChanges(from: start, to: end, admin, flavor: flavor))
            #expect(all.changes.contains { $0.database == db.name && $0.newName == "u" })
            let fewBytes = BinaryLogReader.Limits(pageSize: 1, events: 1_000, bytes: 10)
            #expect(BinaryLogReader.nameChanges(from: start, to: end, admin, flavor: flavor, limits: fewBytes) == nil)
            let fewEvents = BinaryLogReader.Limits(pageSize: 1, events: 1, bytes: 1 << 20)
            #expect(BinaryLogReader.nameChanges(from: start, to: end, admin, flavor: flavor, limits: fewEvents) == nil)
        }

        /// Regression (review, 2d): a position the log does not hold (a file not listed, an
        /// offset past its file's end, either end of the stretch) or another server's gives no
        /// hints; the end position was not checked.
        @Test func positionsTheLogDoesNotHoldGiveNoHints() throws {
            let admin = try TestServer.adminConnection()
            let flavor = ServerFlavor(versionString: admin.serverInfo)
            let here = try #require(BinaryLogReader.position(admin, flavor))
            #expect(BinaryLogReader.nameChanges(from: here, to: here, admin, flavor: flavor) != nil)
            var missing = here
            missing.file = "binlog.999999"
            #expect(BinaryLogReader.nameChanges(from: missing, to: here, admin, flavor: flavor) == nil)
            var past = here
            past.position += 1 << 40
            #expect(BinaryLogReader.nameChanges(from: past, to: past, admin, flavor: flavor) == nil)
            #expect(BinaryLogReader.nameChanges(from: here, to: past, admin, flavor: flavor) == nil)
            var other = here
            other.server = "id:99@elsewhere"
            #expect(BinaryLogReader.nameChanges(from: other, to: here, admin, flavor: flavor) == nil)
        }

        /// lower_case_table_names 0 (the test server's, Linux' default): names keep their case
        /// in the hints, so a mixed-case table renamed and rebuilt pairs by its hint.
        @Test func hintsKeepTheCaseOfNamesWhereTheServerDoes() throws {
            let admin = try TestServer.adminConnection()
            let setting = try admin.query("SELECT @@lower_case_table_names", context: "setting").rows.first?.int(0)
            #expect(setting == 0)
            let run = try Run(setup: [
                "CREATE TABLE Parent (id int PRIMARY KEY)", "CREATE TABLE Orders (id int PRIMARY KEY, Parent int)",
            ])
            let changes = try run.step(
                "RENAME TABLE Orders TO Purchases",
                "ALTER TABLE Purchases ADD CONSTRAINT fk FOREIGN KEY (Parent) REFERENCES Parent (id)")
            #expect(changes.contains("alter relation db.db.Orders -> db.db.Purchases"), "\(changes)")
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
            // Renamed and retyped: the only column left over, at its place, its name alike.
            #expect(
                try run.step("ALTER TABLE purchases CHANGE note note_json json")
                    == [
                        "alter relation db.db.purchases -> db.db.purchases", "alter column purchases.note -> note_json",
                    ])
            // Renamed and retyped with nothing alike but the place: a drop and an add.
            let unlike = try run.step("ALTER TABLE purchases CHANGE note_json content text")
            #expect(unlike.contains("drop column purchases.note_json -> -"), "\(unlike)")
            #expect(unlike.contains("create column purchases.- -> content"), "\(unlike)")
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

/// A binary log position set from a capture's hook.
final class PositionBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (file: String, position: Int64)?

    func set(_ value: (String, Int64)?) {
        lock.lock()
        defer { lock.unlock() }
        stored = value.map { (file: $0.0, position: $0.1) }
    }

    var value: (file: String, position: Int64)? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
