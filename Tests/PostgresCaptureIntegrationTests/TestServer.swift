import Foundation
import SchemaCapture
import SchemaModel
import SchemaTestSupport
import Testing

@testable import PostgresCapture

/// The throwaway PostgreSQL that `scripts/pg.sh start` runs, as `scripts/pg.sh env` describes it.
/// The integration tests need it: without it they fail and say how to start it.
enum TestServer {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `postgresql://schemasync@127.0.0.1:54329/<database>`: the capture role (password auth).
    static func url(database: String = "postgres") throws -> String {
        guard let server = environment["SCHEMASYNC_TEST_PG_SERVER"] else {
            throw SetupError(
                description: "SCHEMASYNC_TEST_PG_SERVER is not set: run the tests with scripts/test.sh, "
                    + "or `scripts/pg.sh start && eval \"$(scripts/pg.sh env)\"` first")
        }
        return server + "/" + database
    }

    static var password: String? { environment["SCHEMASYNC_TEST_PG_PASSWORD"] }

    /// The test server's major version (14 … 18), asked of the server itself; 0 when it is not
    /// reachable (the tests that need it then fail on their own setup).
    static let major: Int = {
        guard let connection = try? adminConnection() else { return 0 }
        return connection.serverVersionNumber / 10000
    }()

    /// A superuser conninfo over the server's socket, for setting up databases.
    static func adminConnection(database: String = "postgres") throws -> PGConnection {
        guard let admin = environment["SCHEMASYNC_TEST_PG_ADMIN"] else {
            throw SetupError(description: "SCHEMASYNC_TEST_PG_ADMIN is not set: run the tests with scripts/test.sh")
        }
        return try PGConnection(
            connection: admin, defaults: [], overrides: [("dbname", database)], target: "test admin")
    }

    /// A reader for one database of the test server, as the capture role.
    static func reader(database: String) throws -> PostgresCatalogReader {
        PostgresCatalogReader(connection: try url(database: database), password: password)
    }

    /// Whether the test server was built with ICU (Debian's is; the PyPI builds of the other
    /// majors are not), so ICU databases can be created.
    static let hasICU: Bool = {
        guard let connection = try? adminConnection(),
            let rows = try? connection.execute(
                "SELECT count(*) FROM pg_catalog.pg_collation WHERE collprovider = 'i' AND collname LIKE '%-x-icu'",
                context: "looking for ICU")
        else { return false }
        return rows.rows.first { _ in true }?.requiredInt(0) ?? 0 > 0
    }()

    /// The main fixture for the test server's major: pg-fixture.sql, and from 15 on
    /// pg15-fixture.sql after it (what 14 cannot parse).
    static func fixtureSQL() throws -> String {
        let main = try fixtureSQL("pg-fixture.sql")
        return major >= 15 ? main + "\n" + (try fixtureSQL("pg15-fixture.sql")) : main
    }

    /// One fixture SQL file shipped with the tests.
    static func fixtureSQL(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            throw SetupError(description: "fixture \(name) is missing from the test bundle")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}

struct SetupError: Error, CustomStringConvertible {
    var description: String
}

/// A database created for one test and dropped when the test is done with it.
final class ScratchDatabase {
    let name: String

    /// Creates an empty UTF-8 database with a unique name, then runs `sql` in it.
    init(prefix: String, sql: String? = nil) throws {
        name = "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try TestServer.adminConnection()
        try admin.execute("CREATE DATABASE \"\(name)\" ENCODING 'UTF8' TEMPLATE template0", context: "creating \(name)")
        if let sql {
            let connection = try TestServer.adminConnection(database: name)
            try connection.execute(sql, context: "setting up \(name)")
        }
    }

    /// Runs more SQL in the database, as the superuser.
    func run(_ sql: String) throws {
        let connection = try TestServer.adminConnection(database: name)
        try connection.execute(sql, context: "changing \(name)")
    }

    /// Captures the database as the capture role.
    func capture(include: [String] = [], exclude: [String] = []) throws -> (Catalog, CaptureStatistics) {
        try TestServer.reader(database: name).capture(TestCapture.options(include: include, exclude: exclude))
    }

    deinit {
        if let admin = try? TestServer.adminConnection() {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", context: "dropping \(name)")
        }
    }
}
