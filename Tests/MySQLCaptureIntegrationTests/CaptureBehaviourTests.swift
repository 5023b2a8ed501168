import Foundation
import SchemaCapture
import SchemaModel
import SchemaTestSupport
import SnapshotStore
import Testing

@testable import MySQLCapture

/// `tables` InnoDB tables with a key, an index and a foreign key each (after the first).
private func syntheticTables(_ tables: Int) -> [String] {
    (1...tables).map { index in
        var sql =
            "CREATE TABLE t\(index) (id int PRIMARY KEY, name varchar(20), parent int, KEY ix_t\(index)_name (name)"
        if index > 1 { sql += ", CONSTRAINT fk_t\(index) FOREIGN KEY (parent) REFERENCES t\(index - 1) (id)" }
        return sql + ") COMMENT 'table \(index)'"
    }
}

@Suite struct CaptureBehaviourTests {
    @Test func twoCapturesOfAnUnchangedDatabaseAreByteIdentical() throws {
        let db = try ScratchDatabase(prefix: "same", statements: try TestServer.fixtureStatements())
        func snapshotBytes(parallelism: Int) throws -> Data {
            let reader = try TestServer.reader(database: db.name, parallelism: parallelism)
            var (catalog, _) = try reader.capture(TestCapture.options())
            // The binary log's position moves with every statement the server logs.
            catalog.binaryLog = nil
            return try SnapshotCoder.encode(
                Snapshot(
                    toolVersion: "test", capturedAt: "2025-11-25T02:30:00.123Z", scope: CaptureScope(),
                    catalog: catalog))
        }
        let first = try snapshotBytes(parallelism: 4)
        // Rebuild tables and refresh statistics without changing the schema.
        try db.run(["ANALYZE TABLE products, orders", "ALTER TABLE places ENGINE=InnoDB"])
        let second = try snapshotBytes(parallelism: 4)
        // One connection or several: the same bytes.
        let serial = try snapshotBytes(parallelism: 1)
        #expect(first.count > 40_000)
        #expect(second == serial)
        // `places` was rebuilt (a new InnoDB id); everything else is the same bytes.
        let (a, b) = (try SnapshotCoder.decode(first, path: "a"), try SnapshotCoder.decode(second, path: "b"))
        var withoutPlaces = [a, b].map { snapshot in
            var copy = snapshot
            copy.catalog.databases[0].schemas[0].relations.removeAll { $0.name == "places" }
            return copy
        }
        #expect(withoutPlaces[0] == withoutPlaces[1])
        withoutPlaces = []
        #expect(try snapshotBytes(parallelism: 3) == second)
    }

    /// What a sync skims of a real capture's snapshot (the binary log position, the database
    /// names) is what the full decode reads, in the canonical layout and a compact one.
    @Test func theSkimOfACapturedSnapshotAgreesWithItsFullDecode() throws {
        let fixture = try ScratchDatabase(prefix: "skim", statements: try TestServer.fixtureStatements())
        let other = try ScratchDatabase(prefix: "skim2", statements: syntheticTables(3))
        let reader = try TestServer.reader(database: fixture.name)
        let (catalog, _) = try reader.capture(TestCapture.options(databases: [fixture.name, other.name]))
        let canonical = try SnapshotCoder.encode(
            Snapshot(
                toolVersion: "test", capturedAt: "2025-11-25T02:30:00.123Z", scope: CaptureScope(), catalog: catalog))
        let compact = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: canonical))
        for data in [canonical, compact] {
            let skim = try SnapshotCoder.skim(data, path: "snap.json")
            #expect(skim == SnapshotSkim(try SnapshotCoder.decode(data, path: "snap.json")))
            #expect(skim.databaseNames == [fixture.name, other.name].sorted())
            #expect(skim.binaryLog == catalog.binaryLog)
        }
    }

    @Test func queryCountDoesNotGrowWithTheCatalog() throws {
        let small = try ScratchDatabase(prefix: "q5", statements: syntheticTables(5))
        let large = try ScratchDatabase(prefix: "q200", statements: syntheticTables(200))
        let (smallCatalog, smallStatistics) = try small.capture()
        let (largeCatalog, largeStatistics) = try large.capture()
        let smallCount = try #require(smallStatistics.queriesPerDatabase[small.name])
        let largeCount = try #require(largeStatistics.queriesPerDatabase[large.name])
        #expect(smallCount == largeCount)
        #expect(largeCount < 30)
        #expect(smallCatalog.databases.first?.schemas.first?.relations.count == 5)
        let relations = try #require(largeCatalog.databases.first?.schemas.first?.relations)
        #expect(relations.count == 200)
        #expect(relations.reduce(0) { $0 + $1.foreignKeys.count } == 199)
        // Each table's own index, and the one InnoDB adds for its foreign key (t1 has none).
        #expect(relations.reduce(0) { $0 + $1.indexes.count } == 200 + 199)
        #expect(Set(relations.compactMap(\.objectId)).count == 200)
    }

    @Test func filtersAndDatabaseLists() throws {
        let one = try ScratchDatabase(
            prefix: "filter_a", statements: ["CREATE TABLE keep_me (id int)", "CREATE TABLE tmp_x (id int)"])
        let two = try ScratchDatabase(prefix: "filter_b", statements: ["CREATE TABLE other (id int)"])
        let reader = try TestServer.reader()
        let (catalog, _) = try reader.capture(TestCapture.options(databases: [two.name, one.name], exclude: ["tmp_*"]))
        #expect(catalog.databases.map(\.name) == [one.name, two.name])
        #expect(catalog.databases.first?.schemas.first?.relations.map(\.name) == ["keep_me"])
        // `all` with an include pattern: only matching databases, never the system ones.
        let (all, _) = try reader.capture(
            TestCapture.options(databases: ["all"], include: ["\(one.name).*", "\(two.name).other"]))
        #expect(all.databases.map(\.name) == [one.name, two.name])
        #expect(all.databases.last?.schemas.first?.relations.map(\.name) == ["other"])
        let (everything, _) = try reader.capture(TestCapture.options(include: ["filter_*.*"]))
        let names = Set(everything.databases.map(\.name))
        #expect(names.isSuperset(of: [one.name, two.name]))
        #expect(names.isDisjoint(with: ["mysql", "information_schema", "performance_schema", "sys"]))
    }

    @Test func unreachableServer() throws {
        // A loopback port nothing listens on (a socket bound and closed at once).
        let port = try unusedPort()
        let reader = MySQLCatalogReader(connection: "mysql://nobody:secret-pw@127.0.0.1:\(port)/x")
        let error = try #require(throws: MySQLError.self) { try reader.capture(TestCapture.options()) }
        #expect(error.code == .unreachable)
        #expect(error.errorNumber == 2002 || error.errorNumber == 2003)
        #expect(!error.description.contains("secret-pw"))
        #expect(error.description.contains("127.0.0.1:\(port)"))
    }

    @Test func wrongPassword() throws {
        let reader = MySQLCatalogReader(connection: try TestServer.url(), password: "wrong-pw-not-shown")
        let error = try #require(throws: MySQLError.self) { try reader.capture(TestCapture.options()) }
        #expect(error.code == .authenticationFailed)
        #expect(error.errorNumber == 1045)
        #expect(error.sqlState == "28000")
        #expect(error.description.contains("[error 1045, SQLSTATE 28000]"))
        #expect(!error.description.contains("wrong-pw-not-shown"))
        // The same password in the URL: not shown either.
        let url = try TestServer.url().replacingOccurrences(of: "schemasync@", with: "schemasync:wrong-pw-not-shown@")
        let inURL = try #require(throws: MySQLError.self) {
            try MySQLCatalogReader(connection: url).capture(TestCapture.options())
        }
        #expect(inURL.errorNumber == 1045)
        #expect(!inURL.description.contains("wrong-pw-not-shown"))
        #expect(inURL.target?.contains("wrong-pw") == false)
    }

    @Test func passwordFromAnOptionFileAndAUnixSocket() throws {
        let db = try ScratchDatabase(prefix: "optfile", statements: ["CREATE TABLE t (id int)"])
        let password = try #require(TestServer.password)
        // An option file with the password and the user, named by defaults-file.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("schemasync-\(UUID()).cnf")
        try "[client]\npassword=\(password)\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let url = try TestServer.url(database: db.name) + "?defaults-file=" + file.path
        let (catalog, _) = try MySQLCatalogReader(connection: url).capture(TestCapture.options())
        #expect(catalog.databases.map(\.name) == [db.name])
        #expect(catalog.location.contains("defaults-file="))
        // Over the unix socket too.
        if let socket = TestServer.environment["SCHEMASYNC_TEST_MARIADB_SOCKET"] {
            let viaSocket = "mysql://schemasync@localhost/\(db.name)?socket=\(socket)"
            let (again, _) = try MySQLCatalogReader(connection: viaSocket, password: password).capture(
                TestCapture.options())
            #expect(again.databases.first?.schemas.first?.relations.map(\.name) == ["t"])
        }
    }

    @Test func tlsModesAgainstAServerWithoutTLS() throws {
        // The throwaway server has no certificate: TLS cannot be had from it.
        let admin = try TestServer.adminConnection()
        let haveSSL = try admin.query("SELECT @@have_ssl", context: "have_ssl").rows.first?.string(0)
        try #require(haveSSL == "DISABLED")
        let server = try TestServer.url(database: "mysql")
        for query in ["ssl-mode=REQUIRED", "ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ssl/certs/ca-certificates.crt"] {
            let reader = MySQLCatalogReader(connection: server + "?" + query, password: "pw-\(query.count)-secret")
            let error = try #require(throws: MySQLError.self) { try reader.capture(TestCapture.options()) }
            #expect(error.code == .tlsFailed || error.code == .authenticationFailed, "\(query): \(error)")
            #expect(!error.description.contains("-secret"))
        }
        // With the right password, REQUIRED still refuses a plain connection.
        let required = MySQLCatalogReader(connection: server + "?ssl-mode=REQUIRED", password: TestServer.password)
        let error = try #require(throws: MySQLError.self) { try required.capture(TestCapture.options()) }
        #expect(error.code == .tlsFailed)
        #expect(error.description.contains("ssl-mode=REQUIRED"))
        // PREFERRED and DISABLED connect in plain text.
        for query in ["ssl-mode=PREFERRED&ssl-ca=/etc/ssl/certs/ca-certificates.crt", "ssl-mode=DISABLED"] {
            let reader = MySQLCatalogReader(connection: server + "?" + query, password: TestServer.password)
            let (catalog, _) = try reader.capture(TestCapture.options())
            #expect(catalog.databases.map(\.name) == ["mysql"], "\(query)")
        }
    }

    @Test func malformedURLs() throws {
        for url in [
            "mysql://u:secret-pw@127.0.0.1:99999/db", "mysql://u:secret-pw@127.0.0.1/db?ssl-mode=SOMETIMES",
            "mysql://u:secret-pw@127.0.0.1/db?bogus=1", "mysql://u:secret-pw@127.0.0.1/a/b",
            "mysql://u:secret-pw@127.0.0.1/db?ssl-mode=VERIFY_CA",
        ] {
            let error = try #require(throws: MySQLError.self) {
                try MySQLCatalogReader(connection: url).capture(TestCapture.options())
            }
            #expect(error.code == .invalidURL, "\(url)")
            #expect(!error.description.contains("secret-pw"), "\(url)")
        }
    }

    @Test func missingPrivilegesOnSomeDatabases() throws {
        let readable = try ScratchDatabase(prefix: "priv_ok", statements: ["CREATE TABLE t (id int PRIMARY KEY)"])
        let hidden = try ScratchDatabase(prefix: "priv_no", statements: ["CREATE TABLE secret (id int)"])
        let user = "limited_\(UInt32.random(in: 0...UInt32.max))"
        let password = "limited-pw-\(UInt32.random(in: 0...UInt32.max))"
        let admin = try TestServer.adminConnection()
        try admin.execute("CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY '\(password)'", context: "user")
        defer { try? admin.execute("DROP USER '\(user)'@'127.0.0.1'", context: "cleanup") }
        try admin.execute("GRANT SELECT, SHOW VIEW ON `\(readable.name)`.* TO '\(user)'@'127.0.0.1'", context: "grant")
        let server = try TestServer.url().replacingOccurrences(of: "schemasync@", with: "\(user)@")

        // What can be read is read: every database it sees, here the one it may read.
        let reader = MySQLCatalogReader(connection: server, password: password)
        let (all, _) = try reader.capture(TestCapture.options(databases: ["all"], include: ["priv_*.*"]))
        #expect(all.databases.map(\.name) == [readable.name])
        #expect(all.databases.first?.schemas.first?.relations.map(\.name) == ["t"])
        // Without PROCESS the InnoDB ids cannot be read: tables have no identity, nothing fails.
        #expect(all.databases.first?.schemas.first?.relations.first?.objectId == nil)
        // A database named that it cannot read is an error, never an empty (all dropped) database.
        let named = try #require(throws: MySQLError.self) {
            try reader.capture(TestCapture.options(databases: [readable.name, hidden.name]))
        }
        #expect(named.code == .insufficientPrivilege)
        #expect(named.errorNumber == 1044)
        #expect(named.description.contains(hidden.name))
        #expect(!named.description.contains(password))
        let inURL = MySQLCatalogReader(connection: server + "/" + hidden.name, password: password)
        let urlError = try #require(throws: MySQLError.self) { try inURL.capture(TestCapture.options()) }
        #expect(urlError.errorNumber == 1044)
    }

    @Test func withoutPROCESSTheSameModelIsReadFromInformationSchema() throws {
        // The InnoDB dictionary (table ids, foreign keys) needs PROCESS; without it the foreign
        // keys come from KEY_COLUMN_USAGE and REFERENTIAL_CONSTRAINTS, and must be the same.
        let db = try ScratchDatabase(prefix: "noprocess", statements: try TestServer.fixtureStatements())
        let user = "noprocess_\(UInt32.random(in: 0...UInt32.max))"
        let password = "noprocess-pw-\(UInt32.random(in: 0...UInt32.max))"
        let admin = try TestServer.adminConnection()
        try admin.execute("CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY '\(password)'", context: "user")
        defer { try? admin.execute("DROP USER '\(user)'@'127.0.0.1'", context: "cleanup") }
        try admin.execute("GRANT ALL PRIVILEGES ON `\(db.name)`.* TO '\(user)'@'127.0.0.1'", context: "grant")
        let server = try TestServer.url(database: db.name).replacingOccurrences(of: "schemasync@", with: "\(user)@")
        let (limited, _) = try MySQLCatalogReader(connection: server, password: password).capture(TestCapture.options())
        let (full, _) = try db.capture()
        func withoutIdentities(_ catalog: Catalog) -> Catalog {
            var copy = catalog
            copy.location = ""
            for index in copy.databases[0].schemas[0].relations.indices {
                copy.databases[0].schemas[0].relations[index].objectId = nil
            }
            return copy
        }
        #expect(full.databases[0].schemas[0].relations.contains { $0.objectId != nil })
        #expect(limited.databases[0].schemas[0].relations.allSatisfy { $0.objectId == nil })
        let (a, b) = (withoutIdentities(limited), withoutIdentities(full))
        let differing = zip(a.databases[0].schemas[0].relations, b.databases[0].schemas[0].relations).filter {
            $0.0 != $0.1
        }
        #expect(differing.map(\.0.name) == [])
        #expect(a.databases[0].schemas[0].relations.count == b.databases[0].schemas[0].relations.count)
        // A routine's body is shown to its definer (or with SHOW CREATE ROUTINE) only.
        #expect(a.databases[0].schemas[0].routines.allSatisfy { $0.options["bodyHidden"] == "true" })
        #expect(b.databases[0].schemas[0].routines.allSatisfy { $0.options["bodyHidden"] == nil })
        #expect(limited.databases[0].schemas[0].relations.reduce(0) { $0 + $1.foreignKeys.count } == 8)
    }

    @Test func innoDBNamesAreDecodedWhateverTheyHold() throws {
        // The InnoDB dictionary names tables `db/table` in the filename encoding (`@0020` for a
        // space, `@0p` for é, a literal `#P#` for partitions): every table still gets its id,
        // and the foreign keys read there name the right tables.
        let names = ["a/b", "c.d", "e#P#f", "g@0020h", "\u{FC}ber", "with space", "x`y", "#sql-like", "UPPER"]
        var statements = names.map { "CREATE TABLE \(quoteIdentifier($0)) (id int PRIMARY KEY, ref int) ENGINE=InnoDB" }
        for (child, parent) in zip(names.dropFirst(), names) {
            statements.append(
                "ALTER TABLE \(quoteIdentifier(child)) ADD CONSTRAINT \(quoteIdentifier("fk " + child)) "
                    + "FOREIGN KEY (ref) REFERENCES \(quoteIdentifier(parent)) (id) ON DELETE CASCADE")
        }
        let db = try ScratchDatabase(prefix: "enc \u{E9}@#.x", statements: statements)
        let (catalog, _) = try db.capture()
        let relations = try #require(catalog.databases.first?.schemas.first?.relations)
        #expect(catalog.databases.first?.name == db.name)
        #expect(Set(relations.map(\.name)) == Set(names))
        #expect(relations.allSatisfy { $0.objectId != nil })
        #expect(Set(relations.compactMap(\.objectId)).count == names.count)
        for (child, parent) in zip(names.dropFirst(), names) {
            let relation = try #require(relations.first { $0.name == child })
            #expect(
                relation.foreignKeys == [
                    ForeignKey(
                        name: "fk " + child, columns: ["ref"], referencedTable: parent, referencedColumns: ["id"],
                        onUpdate: .restrict, onDelete: .cascade)
                ], "\(child)")
        }
    }

    @Test func oneConnectionIsEnoughWhenTheServerRefusesMore() throws {
        // An account limited to one connection: the extra connections are refused (error
        // 1226), the first one reads everything, and the result is the same.
        let db = try ScratchDatabase(prefix: "oneconn", statements: syntheticTables(20))
        let user = "oneconn_\(UInt32.random(in: 0...UInt32.max))"
        let password = "oneconn-pw-\(UInt32.random(in: 0...UInt32.max))"
        let admin = try TestServer.adminConnection()
        try admin.execute(
            "CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY '\(password)' WITH MAX_USER_CONNECTIONS 1", context: "user"
        )
        defer { try? admin.execute("DROP USER '\(user)'@'127.0.0.1'", context: "cleanup") }
        try admin.execute("GRANT SELECT ON `\(db.name)`.* TO '\(user)'@'127.0.0.1'", context: "grant")
        try admin.execute("GRANT PROCESS ON *.* TO '\(user)'@'127.0.0.1'", context: "grant")
        let server = try TestServer.url(database: db.name).replacingOccurrences(of: "schemasync@", with: "\(user)@")
        var (limited, _) = try MySQLCatalogReader(connection: server, password: password, parallelism: 4).capture(
            TestCapture.options())
        var (full, _) = try db.capture()
        limited.location = ""
        full.location = ""
        // The account without BINLOG MONITOR records no binary log position.
        #expect(limited.binaryLog == nil && full.binaryLog != nil)
        full.binaryLog = nil
        #expect(limited == full)
        #expect(limited.databases.first?.schemas.first?.relations.count == 20)
    }

    @Test func aDatabaseNamedThatDoesNotExist() throws {
        let reader = try TestServer.reader()
        let error = try #require(throws: MySQLError.self) {
            try reader.capture(TestCapture.options(databases: ["no_such_db_\(UInt32.random(in: 0...UInt32.max))"]))
        }
        #expect(error.code == .databaseNotFound)
        #expect(error.errorNumber == 1049)
    }

    @Test func aDatabaseDroppedWhileReadingAllIsLeftOut() throws {
        let keep = try ScratchDatabase(prefix: "drop_keep", statements: ["CREATE TABLE k (id int)"])
        let doomed = try ScratchDatabase(prefix: "drop_gone", statements: syntheticTables(30))
        let doomedName = doomed.name
        // Drop it while a capture of every database runs: whichever moment it lands at, the
        // capture succeeds without it or with all of it.
        let dropper = Thread {
            Thread.sleep(forTimeInterval: 0.02)
            let admin = try? TestServer.adminConnection()
            try? admin?.execute("DROP DATABASE IF EXISTS `\(doomedName)`", context: "dropping")
        }
        dropper.start()
        let (catalog, _) = try TestServer.reader().capture(
            TestCapture.options(databases: ["all"], include: ["drop_*.*"]))
        let deadline = Date().addingTimeInterval(30)
        while !dropper.isFinished && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(catalog.databases.contains { $0.name == keep.name })
        if let captured = catalog.databases.first(where: { $0.name == doomedName }) {
            #expect(captured.schemas.first?.relations.count == 30)
        }
        // Gone before the capture starts: simply not there.
        let (after, _) = try TestServer.reader().capture(TestCapture.options(databases: ["all"], include: ["drop_*.*"]))
        #expect(!after.databases.contains { $0.name == doomedName })
    }
}
