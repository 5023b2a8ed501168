import Foundation
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

@testable import PostgresCapture

/// The migration corpus (`MigrationCorpus`) on PostgreSQL, step by step: PostgreSQL reports
/// every rename the migrations perform (by OID and attnum) and no other; the MariaDB suite
/// measures how many of these MariaDB reports too.
@Suite struct MigrationCorpusTests {
    @Test func postgresReportsEveryRenameOfTheCorpus() throws {
        var tally = MigrationCorpus.Tally()
        for history in MigrationCorpus.histories {
            let db = try ScratchDatabase(prefix: "corpus", sql: history.postgresql.joined(separator: ";\n"))
            var previous = try db.capture().0
            for step in history.steps {
                try db.run(step.postgresql.joined(separator: ";\n"))
                let next = try db.capture().0
                let (changes, _) = try checkedStep(from: previous, to: next, label: "\(history.name): \(step.name)")
                tally.count(step, changes)
                previous = next
            }
        }
        print("migration corpus, PostgreSQL: \(tally.found) of \(tally.performed) renames")
        #expect(tally.performed == 13)
        #expect(tally.found == tally.performed)
        #expect(tally.falseRenames == [])
    }
}
