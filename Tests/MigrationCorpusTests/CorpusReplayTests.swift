import Foundation
import SchemaCapture
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

@testable import MySQLCapture
@testable import PostgresCapture

/// Real migration histories (Corpus/README.md: the DDL Django ran for each migration of a
/// released project, recorded once on each server) replayed migration by migration on the
/// test PostgreSQL and the test MariaDB, synced after each one: of the table and column
/// renames PostgreSQL reports (by OID and attnum), how many MariaDB reports too, with the
/// binary log readable and without it, and no rename on MariaDB that PostgreSQL did not see.
@Suite struct CorpusReplayTests {
    /// What one run over the corpus found.
    struct Tally: CustomStringConvertible {
        /// Renames PostgreSQL reported.
        var postgres: [String] = []
        /// Of those, the ones MariaDB reported too.
        var found: [String] = []
        /// Renames MariaDB reported that PostgreSQL did not.
        var falseRenames: [String] = []
        /// PostgreSQL's renames that MariaDB missed.
        var missed: [String] = []
        var steps = 0
        /// Steps whose MariaDB capture carried the binary log's name changes (hints).
        var stepsWithHints = 0

        var description: String {
            "\(found.count) of \(postgres.count) renames over \(steps) migrations, "
                + "\(falseRenames.count) false; missed: \(missed)"
        }
    }

    /// A history: the migrations in order, each with its statements for each server.
    struct History {
        var name: String
        var steps: [(name: String, postgresql: [String], mysql: [String])]
    }

    static func histories() throws -> [History] {
        guard let root = Bundle.module.url(forResource: "Corpus", withExtension: nil) else {
            throw CorpusError(description: "the corpus is missing from the test bundle")
        }
        let files = FileManager.default
        let names = try files.contentsOfDirectory(atPath: root.path).filter {
            files.fileExists(atPath: root.appendingPathComponent("\($0)/postgresql").path)
        }
        return try names.sorted().map { name in
            func statements(_ engine: String) throws -> [String: [String]] {
                let folder = root.appendingPathComponent("\(name)/\(engine)")
                var result: [String: [String]] = [:]
                for file in try files.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".sql") {
                    let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                    // generate.py writes each statement ending in `;` and a newline, and checks
                    // that no statement holds that itself.
                    result[file] = text.components(separatedBy: ";\n").map {
                        $0.trimmingCharacters(in: .whitespacesAndNewlines)
                    }.filter { !$0.isEmpty }
                }
                return result
            }
            let postgresql = try statements("postgresql")
            let mysql = try statements("mysql")
            let steps = Set(postgresql.keys).union(mysql.keys).sorted().map {
                (name: $0, postgresql: postgresql[$0] ?? [], mysql: mysql[$0] ?? [])
            }
            return History(name: name, steps: steps)
        }
    }

    /// Replays every history once on each server; each of `readers` captures the MariaDB side
    /// (with and without the binary log) and keeps its own previous capture, as a sync does.
    /// One tally per reader.
    static func run(mariadb readers: [MySQLCatalogReader]) throws -> [Tally] {
        var tallies = Array(repeating: Tally(), count: readers.count)
        let histories = try histories()
        #expect(!histories.isEmpty)
        for history in histories {
            let postgres = try PostgresScratch(prefix: "corpus")
            let maria = try MariaDBScratch(prefix: "corpus")
            let pgReader = try postgres.reader()
            var pgPrevious = try pgReader.capture(TestCapture.options()).0
            var mariaPrevious = try readers.map { reader in
                try reader.capture(TestCapture.options(databases: [maria.name])).0
            }
            for step in history.steps {
                let label = "\(history.name) \(step.name)"
                try postgres.run(step.postgresql)
                var pgOptions = TestCapture.options()
                pgOptions.previous = PreviousCapture(pgPrevious)
                let pgNext = try pgReader.capture(pgOptions).0
                let pgRenames = MigrationCorpus.renames(try checkedStep(from: pgPrevious, to: pgNext, label: label).0)
                pgPrevious = pgNext

                try maria.run(step.mysql)
                for (index, reader) in readers.enumerated() {
                    var options = TestCapture.options(databases: [maria.name])
                    options.previous = PreviousCapture(mariaPrevious[index])
                    let mariaNext = try reader.capture(options).0
                    let mariaRenames = MigrationCorpus.renames(
                        try checkedStep(from: mariaPrevious[index], to: mariaNext, label: label).0)
                    mariaPrevious[index] = mariaNext

                    tallies[index].steps += 1
                    if mariaNext.nameChanges != nil { tallies[index].stepsWithHints += 1 }
                    tallies[index].postgres += pgRenames.map { "\(label): \($0)" }
                    tallies[index].found += pgRenames.filter { mariaRenames.contains($0) }.map { "\(label): \($0)" }
                    tallies[index].missed += pgRenames.filter { !mariaRenames.contains($0) }.map {
                        "\(label): \($0)"
                    }
                    tallies[index].falseRenames += mariaRenames.filter { !pgRenames.contains($0) }.map {
                        "\(label): \($0)"
                    }
                }
            }
        }
        return tallies
    }

    /// With the binary log readable (the test account) and unreadable (an account without
    /// BINLOG MONITOR: likeness only), over the same replay.
    @Test func mariaDBReportsWhatPostgreSQLReportsAndNothingFalse() throws {
        let user = "corpus_\(UInt32.random(in: 0...UInt32.max))"
        let password = "corpus-pw-\(UInt32.random(in: 0...UInt32.max))"
        let admin = try MariaDBScratch.adminConnection()
        try admin.execute("CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY '\(password)'", context: "user")
        defer { try? admin.execute("DROP USER '\(user)'@'127.0.0.1'", context: "cleanup") }
        try admin.execute("GRANT SELECT, SHOW VIEW, PROCESS ON *.* TO '\(user)'@'127.0.0.1'", context: "grant")
        let server = try MariaDBScratch.url().replacingOccurrences(of: "schemasync@", with: "\(user)@")
        let tallies = try BinaryLogLock.shared {
            try Self.run(mariadb: [
                try MariaDBScratch.reader(), MySQLCatalogReader(connection: server, password: password),
            ])
        }
        let (withLog, withoutLog) = (tallies[0], tallies[1])
        print("migration corpus, binary log readable: \(withLog)")
        print("migration corpus, binary log unreadable (likeness only): \(withoutLog)")
        // Measured (docs/capture-mysql.md): 10 of 10 renames over 94 migrations with the log, 7 without (likeness requiring types of one family for alike column names).
        #expect(withLog.postgres.count >= 10)
        #expect(withLog.found.count * 100 >= withLog.postgres.count * 95, "\(withLog)")
        #expect(withLog.falseRenames == [])
        // Every step of the first was synced with hints, none of the second.
        #expect(withLog.stepsWithHints == withLog.steps)
        #expect(withoutLog.stepsWithHints == 0)
        #expect(withoutLog.falseRenames == [])
        // Without the log, likeness finds the rebuilt-table cases (the issue's "done when"):
        // as many as measured.
        #expect(withoutLog.found.count >= 7, "\(withoutLog)")
    }
}

struct CorpusError: Error, CustomStringConvertible {
    var description: String
}

var environment: [String: String] { ProcessInfo.processInfo.environment }

/// A database on the test PostgreSQL (scripts/pg.sh), dropped when done.
final class PostgresScratch {
    let name: String

    init(prefix: String) throws {
        name = "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
        try Self.admin().execute(
            "CREATE DATABASE \"\(name)\" ENCODING 'UTF8' TEMPLATE template0", context: "creating \(name)")
    }

    static func admin(database: String = "postgres") throws -> PGConnection {
        guard let admin = environment["SCHEMASYNC_TEST_PG_ADMIN"] else {
            throw CorpusError(description: "SCHEMASYNC_TEST_PG_ADMIN is not set: run the tests with scripts/test.sh")
        }
        return try PGConnection(connection: admin, defaults: [], overrides: [("dbname", database)], target: "admin")
    }

    func reader() throws -> PostgresCatalogReader {
        guard let server = environment["SCHEMASYNC_TEST_PG_SERVER"] else {
            throw CorpusError(description: "SCHEMASYNC_TEST_PG_SERVER is not set: run the tests with scripts/test.sh")
        }
        return PostgresCatalogReader(
            connection: server + "/" + name, password: environment["SCHEMASYNC_TEST_PG_PASSWORD"])
    }

    func run(_ statements: [String]) throws {
        guard !statements.isEmpty else { return }
        let connection = try Self.admin(database: name)
        for statement in statements { _ = try connection.execute(statement, context: "replaying in \(name)") }
    }

    deinit {
        _ = try? Self.admin().execute("DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)", context: "dropping")
    }
}

/// A database on the test MariaDB (scripts/mariadb.sh), dropped when done.
final class MariaDBScratch {
    let name: String

    init(prefix: String) throws {
        name = "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
        try Self.adminConnection().execute(
            "CREATE DATABASE `\(name)` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci", context: "creating \(name)")
    }

    static func url() throws -> String {
        guard let server = environment["SCHEMASYNC_TEST_MARIADB_SERVER"] else {
            throw CorpusError(
                description: "SCHEMASYNC_TEST_MARIADB_SERVER is not set: run the tests with scripts/test.sh")
        }
        return server
    }

    static var password: String? { environment["SCHEMASYNC_TEST_MARIADB_PASSWORD"] }

    static func adminConnection(database: String? = nil) throws -> MySQLConnection {
        try MySQLConnection(
            settings: try ConnectionSettings.parse(try url()), password: password, database: database,
            connectTimeout: 5, readTimeout: 60, target: "admin")
    }

    static func reader() throws -> MySQLCatalogReader {
        MySQLCatalogReader(connection: try url(), password: password)
    }

    func run(_ statements: [String]) throws {
        guard !statements.isEmpty else { return }
        let connection = try Self.adminConnection(database: name)
        for statement in statements { try connection.execute(statement, context: "replaying in \(name)") }
    }

    deinit {
        try? Self.adminConnection().execute("DROP DATABASE IF EXISTS `\(name)`", context: "dropping \(name)")
    }
}
