import Foundation
import SchemaCapture
import SchemaModel
import SchemaTestSupport
import Testing

@testable import PostgresCapture
@testable import SnapshotStore

/// SQL for a database of `count` tables of several shapes, so the query count is compared
/// over every object kind, not over empty tables.
func syntheticSchema(tables count: Int) -> String {
    var sql = """
        CREATE SCHEMA s;
        CREATE FUNCTION s.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;

        """
    for index in 0..<count {
        sql += "CREATE TABLE s.t\(index) (id integer PRIMARY KEY, name text NOT NULL DEFAULT 'x', "
        sql += "amount numeric(12,2) CHECK (amount >= 0), parent integer"
        if index > 0 { sql += " REFERENCES s.t\(index - 1)(id)" }
        sql += ");\nCREATE INDEX t\(index)_name ON s.t\(index) (name DESC);\n"
        if index % 3 == 0 { sql += "CREATE INDEX t\(index)_lower ON s.t\(index) (lower(name)) WHERE id > 0;\n" }
        if index % 5 == 0 {
            sql +=
                "CREATE TRIGGER t\(index)_touch BEFORE UPDATE ON s.t\(index) FOR EACH ROW EXECUTE FUNCTION s.touch();\n"
        }
        if index % 7 == 0 { sql += "CREATE VIEW s.v\(index) AS SELECT id, name FROM s.t\(index);\n" }
        if index % 9 == 0 { sql += "COMMENT ON TABLE s.t\(index) IS 'table \(index)';\n" }
    }
    sql += """
        CREATE TABLE s.parted (id integer, at date) PARTITION BY RANGE (at);
        CREATE TABLE s.parted_1 PARTITION OF s.parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

        """
    return sql
}

@Suite struct CaptureBehaviourTests {
    @Test func twoCapturesOfAnUnchangedDatabaseAreByteIdentical() throws {
        let db = try ScratchDatabase(prefix: "same", sql: try TestServer.fixtureSQL())
        func snapshotBytes() throws -> Data {
            let (catalog, _) = try db.capture()
            return try SnapshotCoder.encode(
                Snapshot(
                    toolVersion: "test", capturedAt: "2025-11-25T02:30:00.123Z", scope: CaptureScope(), catalog: catalog
                ))
        }
        let first = try snapshotBytes()
        // Touch the catalogs without changing the schema: rewritten rows come back in another
        // physical order.
        for statement in ["VACUUM FULL pg_catalog.pg_class", "VACUUM FULL pg_catalog.pg_attribute", "ANALYZE"] {
            try db.run(statement)
        }
        let second = try snapshotBytes()
        #expect(first == second)
        #expect(first.count > 50_000)
        // The fast writer and Foundation's encoder agree on a real catalog too.
        let (catalog, _) = try db.capture()
        let snapshot = Snapshot(
            toolVersion: "test", capturedAt: "2025-11-25T02:30:00.123Z", scope: CaptureScope(), catalog: catalog)
        #expect(try SnapshotCoder.encode(snapshot) == SnapshotCoder.referenceEncode(snapshot))
    }

    @Test func queryCountDoesNotGrowWithTheCatalog() throws {
        let small = try ScratchDatabase(prefix: "q10", sql: syntheticSchema(tables: 10))
        let large = try ScratchDatabase(prefix: "q500", sql: syntheticSchema(tables: 500))
        let (smallCatalog, smallStatistics) = try small.capture()
        let (largeCatalog, largeStatistics) = try large.capture()
        let smallCount = try #require(smallStatistics.queriesPerDatabase[small.name])
        let largeCount = try #require(largeStatistics.queriesPerDatabase[large.name])
        #expect(smallCount == largeCount)
        #expect(smallCount < 25)
        // Both really were read whole.
        let largeRelations = largeCatalog.databases[0].schemas.first { $0.name == "s" }?.relations ?? []
        #expect(largeRelations.filter { $0.kind == .table }.count == 500)
        #expect(largeRelations.filter { $0.kind == .view }.count == 72)
        #expect(largeRelations.reduce(0) { $0 + $1.indexes.count } == 500 + 167)
        #expect(smallCatalog.databases[0].schemas.first { $0.name == "s" }?.relations.count == 10 + 2 + 1)
    }

    @Test func includeAndExcludePatterns() throws {
        let db = try ScratchDatabase(prefix: "filter", sql: try TestServer.fixtureSQL())
        let (catalog, _) = try db.capture(include: ["app.*", "public.select"], exclude: ["*.v_*", "app.add"])
        let schemas = catalog.databases[0].schemas
        #expect(schemas.map(\.name) == ["app", "public"])
        let app = try #require(schemas.first { $0.name == "app" })
        #expect(app.relations.contains { $0.name == "orders" })
        #expect(!app.relations.contains { $0.name.hasPrefix("v_") })
        #expect(!app.routines.contains { $0.name == "add" })
        #expect(app.routines.contains { $0.name == "do_thing" })
        #expect(schemas.first { $0.name == "public" }?.relations.map(\.name) == ["select"])
        // Partitions come with their parent, whatever their own schema.
        let measurements = try #require(app.relations.first { $0.name == "measurements" })
        #expect(measurements.partitions.contains { $0.schemaName == "audit" })
    }

    @Test func extensionObjectsAreLeftOut() throws {
        let db = try ScratchDatabase(
            prefix: "ext",
            sql: """
                CREATE EXTENSION citext;
                CREATE TABLE public.uses_citext (id integer PRIMARY KEY, email citext NOT NULL);
                """)
        let (catalog, _) = try db.capture()
        let publicSchema = try #require(catalog.databases[0].schemas.first { $0.name == "public" })
        #expect(publicSchema.routines.isEmpty)
        #expect(publicSchema.relations.map(\.name) == ["uses_citext"])
        #expect(publicSchema.relations[0].columns[1].type == "public.citext")
    }

    @Test func readsEveryDatabaseOrAListedSet() throws {
        let one = try ScratchDatabase(prefix: "multi_a", sql: "CREATE TABLE a (id int)")
        let two = try ScratchDatabase(prefix: "multi_b", sql: "CREATE TABLE b (id int)")
        let reader = try TestServer.reader(database: "postgres")
        let (all, statistics) = try reader.capture(TestCapture.options(databases: ["all"]))
        let names = all.databases.map(\.name)
        #expect(
            names.contains(one.name) && names.contains(two.name) && names.contains("postgres"),
            "read \(names), created \(one.name) and \(two.name)")
        #expect(!names.contains("template0") && !names.contains("template1"))
        #expect(Set(names).count == names.count)
        // Each database was read over its own connection: its contents are its own.
        #expect(all.databases.first { $0.name == one.name }?.schemas.first?.relations.map(\.name) == ["a"])
        #expect(all.databases.first { $0.name == two.name }?.schemas.first?.relations.map(\.name) == ["b"])
        #expect(names == names.sorted())
        #expect(Set(statistics.queriesPerDatabase.values).count == 1)

        let (listed, _) = try reader.capture(TestCapture.options(databases: [two.name, one.name]))
        #expect(listed.databases.map(\.name) == [one.name, two.name])
        #expect(listed.databases[1].schemas.first?.relations.map(\.name) == ["b"])
        #expect(listed.location == "postgresql://schemasync@127.0.0.1:\(listed.location.split(separator: ":").last!)")
    }

    @Test func aDatabaseDroppedWhileReadingAllIsLeftOut() throws {
        // A database that disappears after it was listed is gone, not unreadable; one that is
        // still there but cannot be read fails the capture.
        let keep = try ScratchDatabase(prefix: "drop_keep", sql: "CREATE TABLE k (id int)")
        let doomed = try ScratchDatabase(prefix: "drop_gone", sql: "CREATE TABLE g (id int)")
        let doomedName = doomed.name
        // Drop it while a capture of every database runs: whichever moment it lands at (before
        // it is listed, between listing and reading, during the read), the capture succeeds
        // without it or with all of it.
        let dropper = Thread {
            Thread.sleep(forTimeInterval: 0.02)
            let admin = try? TestServer.adminConnection()
            _ = try? admin?.execute("DROP DATABASE IF EXISTS \"\(doomedName)\" WITH (FORCE)", context: "dropping")
        }
        dropper.start()
        let (catalog, _) = try TestServer.reader(database: "postgres").capture(TestCapture.options(databases: ["all"]))
        while !dropper.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        #expect(catalog.databases.contains { $0.name == keep.name })
        if let captured = catalog.databases.first(where: { $0.name == doomedName }) {
            #expect(captured.schemas.first?.relations.map(\.name) == ["g"])
        }
    }

    @Test func readsSchemasTheRoleCannotUse() throws {
        // Catalogs are readable by every role: a schema without USAGE is still read whole.
        let role = "nousage_\(UInt32.random(in: 0...UInt32.max))"
        let db = try ScratchDatabase(
            prefix: "nousage",
            sql: """
                CREATE SCHEMA hidden; CREATE TABLE hidden.t (id integer PRIMARY KEY);
                REVOKE ALL ON SCHEMA hidden FROM PUBLIC;
                CREATE ROLE \(role) LOGIN PASSWORD 'pw-\(role)';
                """)
        defer { _ = try? TestServer.adminConnection().execute("DROP ROLE IF EXISTS \(role)", context: "cleanup") }
        let reader = PostgresCatalogReader(
            connection: try TestServer.url(database: db.name).replacingOccurrences(of: "schemasync@", with: "\(role)@"),
            password: "pw-\(role)")
        let (catalog, _) = try reader.capture(TestCapture.options())
        #expect(catalog.databases[0].schemas.first { $0.name == "hidden" }?.relations.map(\.name) == ["t"])
        try db.run("DROP SCHEMA hidden CASCADE")
    }
}

@Suite struct BadInputTests {
    func captureError(_ connection: String, password: String? = nil, databases: [String] = []) throws -> PostgresError {
        let reader = PostgresCatalogReader(connection: connection, password: password)
        return try #require(throws: PostgresError.self) {
            try reader.capture(TestCapture.options(databases: databases))
        }
    }

    @Test func unreachableHost() throws {
        // Port 1 on loopback: nothing listens there.
        let error = try captureError("postgresql://schemasync:hunter2@127.0.0.1:1/postgres?connect_timeout=3")
        #expect(error.code == .unreachable)
        #expect(error.description.contains("127.0.0.1:1"))
        #expect(error.description.contains("hint:"))
        #expect(!error.description.contains("hunter2"))
    }

    @Test func wrongPassword() throws {
        let error = try captureError(try TestServer.url(), password: "definitely-wrong-pw")
        #expect(error.code == .authenticationFailed)
        #expect(error.description.contains("password authentication failed"))
        #expect(!error.description.contains("definitely-wrong-pw"))
    }

    @Test func wrongPasswordInTheURL() throws {
        let url = try TestServer.url().replacingOccurrences(of: "schemasync@", with: "schemasync:url-secret-pw@")
        let error = try captureError(url)
        #expect(error.code == .authenticationFailed)
        #expect(!error.description.contains("url-secret-pw"))
    }

    @Test func databaseThatDoesNotExist() throws {
        let error = try captureError(try TestServer.url(database: "no_such_db_here"), password: TestServer.password)
        #expect(error.code == .databaseNotFound)
        #expect(error.description.contains("no_such_db_here"))
        let listed = try captureError(
            try TestServer.url(), password: TestServer.password, databases: ["no_such_db_either"])
        #expect(listed.code == .databaseNotFound)
    }

    @Test func roleWithoutConnectPrivilege() throws {
        let role = "noconnect_\(UInt32.random(in: 0...UInt32.max))"
        let db = try ScratchDatabase(prefix: "noconnect", sql: "CREATE TABLE t (id int)")
        let admin = try TestServer.adminConnection()
        try admin.execute("CREATE ROLE \(role) LOGIN PASSWORD 'pw-\(role)'", context: "setup")
        try admin.execute("REVOKE CONNECT ON DATABASE \"\(db.name)\" FROM PUBLIC", context: "setup")
        defer { _ = try? admin.execute("DROP ROLE IF EXISTS \(role)", context: "cleanup") }
        let url = try TestServer.url(database: db.name).replacingOccurrences(of: "schemasync@", with: "\(role)@")
        let error = try captureError(url, password: "pw-\(role)")
        #expect(error.code == .insufficientPrivilege)
        #expect(error.description.contains("permission denied"))
        #expect(error.description.contains(db.name))
    }

    @Test(arguments: [
        "postgresql://127.0.0.1:54329/postgres?no_such_option=1",
        "host=127.0.0.1 port",
        "postgresql://[::1/postgres",
    ])
    func invalidConnectionStrings(connection: String) throws {
        let error = try captureError(connection)
        #expect(error.code == .invalidConnectionString)
        #expect(error.description.contains("hint:"))
    }
}

/// Cases found by review, each against the real server.
@Suite struct CaptureReviewRegressionTests {
    /// A `"` followed by a combining mark is one `Character`, but a quote to the server, which
    /// doubles it: so must the definitions built from `pg_index`.
    @Test func quotesFollowedByACombiningMark() throws {
        let db = try ScratchDatabase(
            prefix: "idxquote",
            sql: "CREATE TABLE \"t\"\"\u{301}\" (\"c\"\"\u{301}ol\" integer, \"\u{301}\"\"\" text);"
                + "CREATE INDEX \"i\"\"\u{301}x\" ON \"t\"\"\u{301}\" (\"c\"\"\u{301}ol\", \"\u{301}\"\"\");")
        let (catalog, _) = try db.capture()
        let index = try #require(
            catalog.databases[0].schemas.first { $0.name == "public" }?.relations.first?.indexes.first)
        let admin = try TestServer.adminConnection(database: db.name)
        try admin.execute("SET search_path = pg_catalog", context: "test")
        let server = try admin.execute(
            "SELECT pg_get_indexdef(oid) FROM pg_class WHERE relname = $1", parameters: [index.name], context: "test")
        #expect(Array(index.definition.utf8) == Array((server.string(0, 0) ?? "").utf8), "\(index.definition)")
        #expect(index.definition.utf8.count > 40)
    }

    @Test func indexDefinitionsTheBuilderMustNotGuess() throws {
        let db = try ScratchDatabase(
            prefix: "idxreview",
            sql: """
                CREATE TABLE t (a integer, c text COLLATE "C", tsv tsvector, v varchar(10));
                CREATE INDEX t_siglen ON t USING gist (tsv tsvector_ops (siglen = 100));
                CREATE INDEX t_expr_opclass ON t (((a + 1)) oid_ops);
                CREATE INDEX t_expr_collate ON t ((c || 'x') COLLATE "default");
                CREATE INDEX t_varchar_pattern ON t (v varchar_pattern_ops);
                CREATE INDEX t_plain ON t (a DESC NULLS LAST) INCLUDE (c);
                """)
        let (catalog, _) = try db.capture()
        let indexes = try #require(catalog.databases[0].schemas.first { $0.name == "public" }?.relations.first?.indexes)
        #expect(indexes.count == 5)
        let admin = try TestServer.adminConnection(database: db.name)
        try admin.execute("SET search_path = pg_catalog", context: "test")
        for index in indexes {
            let server = try admin.execute(
                "SELECT pg_get_indexdef(oid) FROM pg_class WHERE relname = $1", parameters: [index.name],
                context: "test")
            #expect(index.definition == server.string(0, 0), "\(index.name)")
        }
    }

    @Test func aLatin1DatabaseReadsAsUTF8() throws {
        let name = "latin1_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try TestServer.adminConnection()
        try admin.execute(
            "CREATE DATABASE \(name) ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0", context: "setup"
        )
        defer { _ = try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", context: "cleanup") }
        let connection = try TestServer.adminConnection(database: name)
        try connection.execute("SET client_encoding = 'UTF8'", context: "setup")
        try connection.execute(
            "CREATE TABLE \"café\" (id int); CREATE TABLE \"cafè\" (id int); COMMENT ON TABLE \"café\" IS 'Crème brûlée'",
            context: "setup")
        let (catalog, _) = try TestServer.reader(database: name).capture(TestCapture.options())
        let relations = catalog.databases[0].schemas.first { $0.name == "public" }?.relations ?? []
        #expect(relations.map(\.name) == ["cafè", "café"].sorted())
        #expect(relations.first { $0.name == "café" }?.comment == "Crème brûlée")
    }

    @Test func theSessionsSettingsDoNotChangeTheCapture() throws {
        let db = try ScratchDatabase(
            prefix: "settings",
            sql: """
                CREATE TABLE ev (at timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00', CHECK (at > '2020-01-01 00:00:00+00'))
                  PARTITION BY RANGE (at);
                CREATE TABLE ev_2024 PARTITION OF ev FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2025-01-01 00:00:00+00');
                """)
        let plain = try TestServer.reader(database: db.name).capture(TestCapture.options()).0
        // The connecting role's own settings, as a user might have them.
        let url =
            try TestServer.url(database: db.name) + "?options=-c%20TimeZone%3DAsia%2FTokyo%20-c%20DateStyle%3DGerman"
        let tokyo = try PostgresCatalogReader(connection: url, password: TestServer.password).capture(
            TestCapture.options()
        ).0
        #expect(tokyo.databases == plain.databases)
    }
}
