import Foundation
import SchemaCapture
import SchemaModel
import SchemaTestSupport
import Testing

@testable import MySQLCapture

/// A throwaway account on the test server, dropped when the test is done with it.
private final class ScratchUser {
    let name = "rr_\(UInt32.random(in: 0...UInt32.max))"
    let password = "rr-pw-\(UInt32.random(in: 0...UInt32.max))"
    private let admin: MySQLConnection

    /// Creates the account with every privilege on `database` and, when asked, PROCESS.
    init(database: String, process: Bool) throws {
        admin = try TestServer.adminConnection()
        try admin.execute("CREATE USER '\(name)'@'127.0.0.1' IDENTIFIED BY '\(password)'", context: "user")
        try admin.execute("GRANT ALL PRIVILEGES ON `\(database)`.* TO '\(name)'@'127.0.0.1'", context: "grant")
        if process { try admin.execute("GRANT PROCESS ON *.* TO '\(name)'@'127.0.0.1'", context: "grant") }
    }

    /// A reader of `database` as this account.
    func reader(database: String) throws -> MySQLCatalogReader {
        let url = try TestServer.url(database: database).replacingOccurrences(of: "schemasync@", with: "\(name)@")
        return MySQLCatalogReader(connection: url, password: password)
    }

    deinit {
        try? admin.execute("DROP USER '\(name)'@'127.0.0.1'", context: "cleanup")
    }
}

/// The catalog without what names where and how it was read: the URL and the InnoDB ids.
private func comparable(_ catalog: Catalog) -> Catalog {
    var copy = catalog
    copy.location = ""
    // Accounts without BINLOG MONITOR record no binary log position; it moves anyway.
    copy.binaryLog = nil
    for d in copy.databases.indices {
        for s in copy.databases[d].schemas.indices {
            for r in copy.databases[d].schemas[s].relations.indices {
                copy.databases[d].schemas[s].relations[r].objectId = nil
            }
        }
    }
    return copy
}

@Suite struct ReadingRulesAgainstServerTests {
    @Test func theServersSessionDefaultsDoNotChangeWhatIsCaptured() throws {
        let db = try ScratchDatabase(
            prefix: "session",
            statements: [
                """
                CREATE TABLE t (`a b` int NOT NULL, g int AS (`a b` + 1) VIRTUAL, d int DEFAULT (`a b` + 2),
                  e varchar(10) DEFAULT 'x\\\\y', ts timestamp NOT NULL DEFAULT '2000-01-01 00:00:00',
                  CONSTRAINT `c k` CHECK (`a b` > 0), PRIMARY KEY (`a b`))
                PARTITION BY LIST (`a b`) (PARTITION p0 VALUES IN (1), PARTITION `p d` DEFAULT)
                """,
                "CREATE VIEW v AS SELECT `a b`, g, 'q\"r' AS s FROM t",
            ])
        let user = try ScratchUser(database: db.name, process: true)
        // init_connect runs for accounts without CONNECTION ADMIN (so not for the test account);
        // it changes the session defaults of this one account only, as a global sql_mode would.
        let admin = try TestServer.adminConnection()
        let previous =
            try admin.query("SELECT @@GLOBAL.init_connect", context: "reading init_connect").rows.first?.text(0) ?? ""
        let mine = "CURRENT_USER() = '\(user.name)@127.0.0.1'"
        let settings =
            "SET SESSION sql_mode = IF(\(mine), 'ANSI,NO_BACKSLASH_ESCAPES', @@SESSION.sql_mode), "
            + "SESSION sql_quote_show_create = IF(\(mine), 0, @@SESSION.sql_quote_show_create), "
            + "SESSION time_zone = IF(\(mine), '+05:00', @@SESSION.time_zone), "
            + "SESSION sql_select_limit = IF(\(mine), 2, @@SESSION.sql_select_limit)"
        try admin.execute(
            "SET GLOBAL init_connect = " + CatalogQueries.literal(settings), context: "setting init_connect")
        defer {
            try? admin.execute(
                "SET GLOBAL init_connect = " + CatalogQueries.literal(previous), context: "restoring init_connect")
        }
        // The account's sessions really start in that mode.
        let probe = try MySQLConnection(
            settings: try ConnectionSettings.parse(
                try TestServer.url().replacingOccurrences(
                    of: "schemasync@", with: "\(user.name)@")),
            password: user.password, database: db.name, connectTimeout: 5, readTimeout: 30, target: "probe")
        let session = try probe.query("SELECT @@SESSION.sql_mode, @@SESSION.sql_select_limit", context: "probe")
        #expect(session.rows.first?.text(0).contains("ANSI_QUOTES") == true)
        #expect(session.rows.first?.text(1) == "2")

        let (changed, _) = try user.reader(database: db.name).capture(TestCapture.options())
        let (plain, _) = try db.capture()
        let table = try #require(plain.databases.first?.schemas.first?.relations.first { $0.name == "t" })
        #expect(Set(table.partitions.map(\.bound)) == ["IN (1)", "DEFAULT"])
        #expect(table.columns.first { $0.name == "g" }?.generated?.expression == "`a b` + 1")
        #expect(comparable(changed) == comparable(plain))
    }

    @Test func aViewKeepsReferencesToATableNamedLikeItsDatabase() throws {
        let shop = try ScratchDatabase(prefix: "vq_shop")
        let other = try ScratchDatabase(prefix: "vq_other", statements: ["CREATE TABLE `\(shop.name)` (id int)"])
        let (s, o) = (quoteIdentifier(shop.name), quoteIdentifier(other.name))
        try shop.run([
            "CREATE TABLE t (id int)",
            "CREATE VIEW v AS SELECT \(o).\(s).id, t.id AS tid, '\(s).x' AS lit FROM \(o).\(s) JOIN t ON t.id = \(o).\(s).id",
        ])
        let (catalog, _) = try shop.capture()
        let view = try #require(catalog.databases.first?.schemas.first?.relations.first { $0.name == "v" })
        let definition = try #require(view.view?.definition)
        #expect(
            definition
                == "select \(o).\(s).`id` AS `id`,`t`.`id` AS `tid`,'\(s).x' AS `lit` from (\(o).\(s) join `t` "
                + "on(`t`.`id` = \(o).\(s).`id`))")
    }

    @Test func noActionAndRestrictAreOneActionInBothRoutes() throws {
        let db = try ScratchDatabase(
            prefix: "fkaction",
            statements: [
                "CREATE TABLE p (id int PRIMARY KEY)",
                "CREATE TABLE c_none (r int, CONSTRAINT f_none FOREIGN KEY (r) REFERENCES p (id))",
                "CREATE TABLE c_no (r int, CONSTRAINT f_no FOREIGN KEY (r) REFERENCES p (id) "
                    + "ON DELETE NO ACTION ON UPDATE NO ACTION)",
                "CREATE TABLE c_re (r int, CONSTRAINT f_re FOREIGN KEY (r) REFERENCES p (id) "
                    + "ON DELETE RESTRICT ON UPDATE RESTRICT)",
            ])
        let user = try ScratchUser(database: db.name, process: false)
        let (dictionary, _) = try db.capture()
        let (informationSchema, _) = try user.reader(database: db.name).capture(TestCapture.options())
        for catalog in [dictionary, informationSchema] {
            let keys = (catalog.databases.first?.schemas.first?.relations ?? []).flatMap(\.foreignKeys)
            #expect(keys.map(\.name).sorted() == ["f_no", "f_none", "f_re"])
            #expect(keys.allSatisfy { $0.onUpdate == .restrict && $0.onDelete == .restrict })
        }
        #expect(comparable(dictionary) == comparable(informationSchema))
    }
}
