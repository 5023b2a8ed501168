import Foundation
import SchemaCapture
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

@testable import MySQLCapture

extension BinaryLogSuites {
    /// The migration corpus (`MigrationCorpus`: Django and Alembic rename migrations) run step
    /// by step on MariaDB and synced after each step: how many of the renames PostgreSQL
    /// reports on the same history (all of them: PostgresCaptureIntegrationTests'
    /// `MigrationCorpusTests`) MariaDB reports too, with the binary log readable and without,
    /// and that it reports no rename that did not happen.
    @Suite struct MigrationCorpusTests {
        static func run(reader: MySQLCatalogReader) throws -> MigrationCorpus.Tally {
            var tally = MigrationCorpus.Tally()
            for history in MigrationCorpus.histories {
                let db = try ScratchDatabase(prefix: "corpus", statements: history.mariadb)
                var options = TestCapture.options(databases: [db.name])
                var previous = try reader.capture(options).0
                for step in history.steps {
                    try db.run(step.mariadb)
                    options.previous = PreviousCapture(previous)
                    let next = try reader.capture(options).0
                    let (changes, _) = try checkedStep(
                        from: previous, to: next, label: "\(history.name): \(step.name)")
                    tally.count(step, changes)
                    previous = next
                }
            }
            return tally
        }

        @Test func withTheBinaryLogEveryRenameIsFound() throws {
            let result = try Self.run(reader: try TestServer.reader())
            print("migration corpus, MariaDB, binary log readable: \(result.found) of \(result.performed) renames")
            #expect(result.performed == 13)
            #expect(result.found * 100 >= result.performed * 95)
            #expect(result.found == result.performed)
            #expect(result.falseRenames == [])
        }

        @Test func withoutTheBinaryLogLikenessFindsMostAndNothingFalse() throws {
            let user = "corpus_\(UInt32.random(in: 0...UInt32.max))"
            let password = "corpus-pw-\(UInt32.random(in: 0...UInt32.max))"
            let admin = try TestServer.adminConnection()
            try admin.execute("CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY '\(password)'", context: "user")
            defer { try? admin.execute("DROP USER '\(user)'@'127.0.0.1'", context: "cleanup") }
            try admin.execute("GRANT SELECT, SHOW VIEW, PROCESS ON *.* TO '\(user)'@'127.0.0.1'", context: "grant")
            let server = try TestServer.url().replacingOccurrences(of: "schemasync@", with: "\(user)@")
            let result = try Self.run(reader: MySQLCatalogReader(connection: server, password: password))
            print("migration corpus, MariaDB, no binary log: \(result.found) of \(result.performed) renames")
            #expect(result.falseRenames == [])
            // Measured on MariaDB 10.11: every rename but the one a rebuild hides (django shop).
            #expect(result.found == 12)
        }
    }
}
