import Foundation
import SchemaCapture
import SchemaModel
import SchemaTestSupport
import Testing

@testable import MySQLCapture

/// The throwaway MariaDB that `scripts/mariadb.sh start` runs, as `scripts/mariadb.sh env` describes it.
/// The integration tests need it: without it they fail and say how to start it.
enum TestServer {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `mysql://schemasync@127.0.0.1:33069[/database]`: the test account (password auth). The
    /// database is percent-encoded, `/` and `@` included (the user part ends at the URL's last `@`).
    static func url(database: String? = nil) throws -> String {
        guard let server = environment["SCHEMASYNC_TEST_MARIADB_SERVER"] else {
            throw SetupError(
                description: "SCHEMASYNC_TEST_MARIADB_SERVER is not set: run the tests with scripts/test.sh, "
                    + "or `scripts/mariadb.sh start && eval \"$(scripts/mariadb.sh env)\"` first")
        }
        guard let database else { return server }
        return server + "/"
            + (database.addingPercentEncoding(
                withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/@"))) ?? database)
    }

    static var password: String? { environment["SCHEMASYNC_TEST_MARIADB_PASSWORD"] }

    /// A connection as the test account (it holds every privilege, with GRANT OPTION), for setting up.
    static func adminConnection(database: String? = nil) throws -> MySQLConnection {
        let settings = try ConnectionSettings.parse(try url())
        return try MySQLConnection(
            settings: settings, password: password, database: database, connectTimeout: 5, readTimeout: 60,
            target: "test admin")
    }

    /// A reader for the test server as the test account; `database` goes in the URL's path.
    static func reader(database: String? = nil, parallelism: Int = 4) throws -> MySQLCatalogReader {
        MySQLCatalogReader(connection: try url(database: database), password: password, parallelism: parallelism)
    }

    /// The fixture's statements, split as its header says: on lines that are exactly `;;`,
    /// without `--` comment lines and the `DELIMITER ;;` line.
    static func fixtureStatements(_ name: String = "mariadb-fixture.sql") throws -> [String] {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
            throw SetupError(description: "fixture \(name) is missing from the test bundle")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        var statements: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == ";;" {
                let statement = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = []
            } else if !line.hasPrefix("--") && line != "DELIMITER ;;" {
                current.append(line)
            }
        }
        let last = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }
}

struct SetupError: Error, CustomStringConvertible {
    var description: String
}

/// A database created for one test and dropped when the test is done with it.
final class ScratchDatabase {
    let name: String

    /// Creates an empty utf8mb4 database with a unique name, then runs `statements` in it.
    init(prefix: String, statements: [String] = []) throws {
        name = "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
        let admin = try TestServer.adminConnection()
        try admin.execute(
            "CREATE DATABASE `\(name)` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci", context: "creating \(name)")
        try run(statements)
    }

    /// Runs statements in the database, one at a time, as the test account.
    func run(_ statements: [String]) throws {
        guard !statements.isEmpty else { return }
        let connection = try TestServer.adminConnection(database: name)
        for statement in statements { try connection.execute(statement, context: "changing \(name)") }
    }

    /// Captures the database as the test account, the database named in the URL.
    func capture(include: [String] = [], exclude: [String] = []) throws -> (Catalog, CaptureStatistics) {
        try TestServer.reader(database: name).capture(TestCapture.options(include: include, exclude: exclude))
    }

    deinit {
        if let admin = try? TestServer.adminConnection() {
            try? admin.execute("DROP DATABASE IF EXISTS `\(name)`", context: "dropping \(name)")
        }
    }
}
