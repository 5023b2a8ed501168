import EventContract
import Foundation
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

@testable import PostgresCapture

// What each PostgreSQL major records differently, captured from the test server of that
// major (scripts/test.sh runs this target against 14, 15, 16, 17 and 18): the database's
// locale provider and locale, and what 18 added (NOT NULL constraints of their own, virtual
// generated columns, NOT ENFORCED constraints, temporal keys). Each test says which majors
// it applies to; on the others it checks that nothing of the newer kind is recorded.

/// The PostgreSQL 18 fixture (Fixtures/pg18-fixture.sql), captured once.
private struct Fixture18: Sendable {
    var catalog: Catalog

    static let shared: Result<Fixture18, any Error> = Result {
        let scratch = try ScratchDatabase(prefix: "fixture18", sql: try TestServer.fixtureSQL("pg18-fixture.sql"))
        return Fixture18(catalog: try scratch.capture().0)
    }

    func relation(_ name: String) throws -> Relation {
        let database = try #require(catalog.databases.first)
        let schema = try #require(database.schemas.first { $0.name == "pg18" })
        return try #require(schema.relations.first { $0.name == name }, "pg18.\(name) is missing")
    }
}

@Suite("PostgreSQL: what each major records") struct VersionSpecificCaptureTests {
    // MARK: PostgreSQL 18

    @Test(.enabled(if: TestServer.major >= 18)) func notNullConstraintsHaveNamesOfTheirOwn() throws {
        let rooms = try Fixture18.shared.get().relation("rooms")
        func record(_ column: String) throws -> NotNullConstraintInfo {
            let column = try #require(rooms.column(named: column))
            #expect(!column.nullable, "\(column.name) is NOT NULL")
            return try #require(column.notNullConstraint, "\(column.name) has the server's record")
        }
        let id = try record("id")
        #expect(id.name == "rooms_id_required")
        #expect(id.validated && !id.noInherit)
        #expect(id.objectId != nil)
        let code = try record("code")
        #expect(code.name == "rooms_code_not_null")
        #expect(code.validated && !code.noInherit)
        let label = try record("label")
        #expect(label.name == "rooms_label_not_null")
        #expect(label.noInherit)
        // Added NOT VALID over a NULL: the column refuses new NULLs, the constraint is not validated.
        let note = try record("note")
        #expect(note.name == "rooms_note_nn")
        #expect(!note.validated)
        #expect(Set([id.objectId, code.objectId, label.objectId, note.objectId]).count == 4)
    }

    @Test(.enabled(if: TestServer.major >= 18)) func virtualAndStoredGeneratedColumns() throws {
        let bookings = try Fixture18.shared.get().relation("bookings")
        let nights = try #require(bookings.column(named: "nights")?.generated)
        #expect(nights == GeneratedColumn(expression: "(room_id * 2)", stored: false))
        let code = try #require(bookings.column(named: "code")?.generated)
        #expect(code == GeneratedColumn(expression: "('R'::text || (room_id)::text)", stored: true))
        #expect(bookings.column(named: "nights")?.defaultValue == nil)
    }

    @Test(.enabled(if: TestServer.major >= 18)) func temporalKeysAndConstraintsNotEnforced() throws {
        let fixture = try Fixture18.shared.get()
        let bookings = try fixture.relation("bookings")
        let key = try #require(bookings.primaryKey)
        #expect(key.name == "bookings_pk")
        #expect(key.columns == ["room_id", "during"])
        #expect(key.withoutOverlaps == true)
        // The key's GiST index backs the constraint: it is not listed as an index.
        #expect(bookings.indexes.isEmpty)
        let check = try #require(bookings.checkConstraints.first { $0.name == "bookings_note_short" })
        #expect(check.enforced == false)
        #expect(!check.validated)
        #expect(check.expression == "(length(note) < 100)")

        let charges = try fixture.relation("charges")
        let temporal = try #require(charges.foreignKeys.first { $0.name == "charges_booking_fk" })
        #expect(temporal.period == true)
        #expect(temporal.columns == ["room_id", "during"])
        #expect(temporal.referencedColumns == ["room_id", "during"])
        #expect(temporal.enforced == nil)
        #expect(temporal.validated)
        let notEnforced = try #require(charges.foreignKeys.first { $0.name == "charges_room_fk" })
        #expect(notEnforced.enforced == false)
        #expect(!notEnforced.validated)
        #expect(notEnforced.period == nil)
        #expect(charges.primaryKey?.withoutOverlaps == nil)
    }

    @Test(.enabled(if: TestServer.major >= 18)) func theFixtureThroughEventsAndBack() throws {
        let fixture = try Fixture18.shared.get()
        // From nothing to the fixture and back to nothing, the law checked both ways.
        var empty = fixture.catalog
        empty.databases = []
        let (_, events) = try checkedStep(from: empty, to: fixture.catalog, label: "the 18 fixture from nothing")
        let rows = events.filter { $0.type == .addNotNullConstraint }.compactMap {
            $0.message["notNullConstraintCols"]?.array?.first
        }
        let note = try #require(rows.first { $0["nn_name"]?.string == "rooms_note_nn" })
        #expect(note["validate_cstr"]?.bool == false)
        #expect(note["objectId"]?.int != nil)
        let label = try #require(rows.first { $0["nn_name"]?.string == "rooms_label_not_null" })
        #expect(label["noInherit"]?.bool == true)
        let keys = events.filter { $0.type == .addForeignKey }.compactMap {
            $0.message["foreignKeyCols"]?.array?.first
        }
        #expect(keys.contains { $0["fk_name"]?.string == "charges_room_fk" && $0["enable_cstr"]?.bool == false })
        #expect(keys.contains { $0["fk_name"]?.string == "charges_booking_fk" && $0["period"]?.bool == true })
        _ = try checkedStep(from: fixture.catalog, to: empty, label: "the 18 fixture to nothing")
    }

    @Test(.enabled(if: TestServer.major >= 18)) func changesOfWhat18Added() throws {
        let run = try DiffAgainstServerTests.Sequence(
            setup: """
                CREATE TABLE public.items (id integer PRIMARY KEY, sku text NOT NULL, note text,
                    CONSTRAINT items_note_short CHECK (length(note) < 10));
                CREATE TABLE public.lines (id integer, item_id integer,
                    CONSTRAINT lines_item_fk FOREIGN KEY (item_id) REFERENCES public.items (id));
                INSERT INTO public.items VALUES (1, 'a', NULL);
                """)
        #expect(try run.step("SELECT 1") == [])
        // Renaming a NOT NULL constraint: the server's name changes, so the constraint does.
        #expect(
            try run.step("ALTER TABLE public.items RENAME CONSTRAINT items_sku_not_null TO items_sku_required")
                == ["alter not null items.sku"])
        #expect(run.lastEvents == ["DropConstraintEvent", "AddNotNullConstraintEvent"])
        // A table rename keeps the server's names: no NOT NULL constraint changes (the foreign
        // key that points to the table does, as on every major).
        #expect(
            try run.step("ALTER TABLE public.items RENAME TO goods")
                == [
                    "drop foreign key on lines", "alter relation db.public.items -> db.public.goods",
                    "create foreign key on lines",
                ])
        // NOT VALID over a NULL: the column refuses new NULLs at once.
        #expect(
            try run.step("ALTER TABLE public.goods ADD CONSTRAINT goods_note_nn NOT NULL note NOT VALID")
                == ["create not null goods.note"])
        #expect(
            try run.step(
                "UPDATE public.goods SET note = 'x'; ALTER TABLE public.goods VALIDATE CONSTRAINT goods_note_nn")
                == ["alter not null goods.note"])
        #expect(
            try run.step("ALTER TABLE public.goods ALTER CONSTRAINT goods_note_nn NO INHERIT")
                == ["alter not null goods.note"])
        // ALTER CONSTRAINT … NOT ENFORCED: an alter of the foreign key (sent as a drop and an add).
        #expect(
            try run.step("ALTER TABLE public.lines ALTER CONSTRAINT lines_item_fk NOT ENFORCED")
                == ["alter foreign key on lines"])
        #expect(run.lastEvents == ["DropConstraintEvent", "AddForeignKeyEvent"])
        #expect(
            try run.step("ALTER TABLE public.lines ALTER CONSTRAINT lines_item_fk ENFORCED")
                == ["alter foreign key on lines"])
        // A CHECK is part of its table: made NOT ENFORCED (dropped and added so), an AlterTableEvent.
        #expect(
            try run.step(
                "ALTER TABLE public.goods DROP CONSTRAINT items_note_short, "
                    + "ADD CONSTRAINT items_note_short CHECK (length(note) < 10) NOT ENFORCED")
                == ["alter relation db.public.goods -> db.public.goods"])
        #expect(run.lastEvents == ["AlterTableEvent"])
        // A virtual generated column (18's default kind), its expression changed.
        #expect(
            try run.step("ALTER TABLE public.lines ADD COLUMN twice integer GENERATED ALWAYS AS (id * 2)")
                == ["create column lines.- -> twice"])
        #expect(
            try run.step("ALTER TABLE public.lines ALTER COLUMN twice SET EXPRESSION AS (id * 3)")
                == ["alter column lines.twice -> twice"])
        // A column rename keeps the server's constraint (and its name) as it is.
        #expect(
            try run.step("ALTER TABLE public.goods RENAME COLUMN sku TO code") == ["alter column goods.sku -> code"])
        #expect(run.lastEvents == ["AlterColumnEvent"])
        #expect(
            try run.step("ALTER TABLE public.goods ALTER COLUMN code DROP NOT NULL") == ["drop not null goods.code"])
        #expect(run.lastEvents == ["DropConstraintEvent"])
    }

    @Test(.enabled(if: TestServer.major < 18)) func nothingOf18IsRecordedBefore18() throws {
        let scratch = try ScratchDatabase(
            prefix: "before18",
            sql: """
                CREATE TABLE public.t (id integer PRIMARY KEY, a text NOT NULL, b integer GENERATED ALWAYS AS (id * 2) STORED,
                    CONSTRAINT t_a CHECK (a <> ''));
                CREATE TABLE public.u (t_id integer REFERENCES public.t (id));
                """)
        let relations = try #require(
            scratch.capture().0.databases.first?.schemas.first { $0.name == "public" }?.relations)
        let t = try #require(relations.first { $0.name == "t" })
        #expect(t.columns.allSatisfy { $0.notNullConstraint == nil })
        #expect(t.column(named: "a")?.nullable == false)
        #expect(t.column(named: "b")?.generated?.stored == true)
        #expect(t.checkConstraints.first?.enforced == nil)
        #expect(t.primaryKey?.withoutOverlaps == nil)
        #expect(relations.first { $0.name == "u" }?.foreignKeys.first?.enforced == nil)
    }

    // MARK: The database's locale, by major

    /// Creates a database with `options`, captures it, drops it; the database's options.
    private func localeOptions(_ options: String) throws -> [String: String] {
        let name = "locale_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try TestServer.adminConnection()
        try admin.execute("CREATE DATABASE \(name) TEMPLATE template0 \(options)", context: "creating \(name)")
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(name)", context: "dropping \(name)") }
        let (catalog, _) = try TestServer.reader(database: name).capture(TestCapture.options())
        return try #require(catalog.databases.first).options
    }

    @Test func libcDatabase() throws {
        // Before 15 there is no provider column: libc was the only provider.
        #expect(try localeOptions("ENCODING 'UTF8' LOCALE 'C.UTF-8'") == ["localeProvider": "libc"])
    }

    // ICU: only where the server was built with it (Debian's 15 here; the PyPI builds of 14 and
    // 16 to 18 are built without ICU, so 16's ICU rules are read but not exercised by a test).
    @Test(.enabled(if: TestServer.major >= 15 && TestServer.hasICU)) func icuDatabase() throws {
        let options = try localeOptions("ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'")
        #expect(options["localeProvider"] == "icu")
        #expect(options["locale"] == "en-US")
        #expect(options["icuRules"] == nil)
    }

    @Test(.enabled(if: TestServer.major >= 16 && TestServer.hasICU)) func icuRules() throws {
        let options = try localeOptions(
            "ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' ICU_RULES '&a < g'")
        #expect(options == ["localeProvider": "icu", "locale": "en-US", "icuRules": "&a < g"])
    }

    @Test(.enabled(if: TestServer.major >= 17)) func builtinProvider() throws {
        let options = try localeOptions(
            "ENCODING 'UTF8' LOCALE_PROVIDER builtin BUILTIN_LOCALE 'C.UTF-8' LOCALE 'C.UTF-8'")
        #expect(options == ["localeProvider": "builtin", "locale": "C.UTF-8"])
    }

    // MARK: Newer servers

    @Test func aNewerMajorIsReadWithAWarning() {
        #expect(PostgresCatalogReader.versionWarning(180_006) == nil)
        #expect(PostgresCatalogReader.versionWarning(140_023) == nil)
        let warning = PostgresCatalogReader.versionWarning(190_001)
        #expect(warning?.contains("PostgreSQL 19.1 is newer") == true)
        // The queries of the newest known major are the ones a newer server gets.
        #expect(
            CatalogQueries.constraints(serverVersion: 190_001) == CatalogQueries.constraints(serverVersion: 180_000))
        #expect(CatalogQueries.database(serverVersion: 190_001) == CatalogQueries.database(serverVersion: 170_000))
    }
}
