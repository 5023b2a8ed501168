import SchemaModel
import Testing

@testable import MySQLCapture

/// Rename hints only about what a capture reads (review, 2f): its databases and the
/// include/exclude filter.
@Suite struct BinaryLogScopeTests {
    static let since = BinaryLogPosition(file: "binlog.000001", position: 4, server: "id:1@h")

    static func rename(_ database: String, _ table: String, _ newDatabase: String, _ newName: String) -> NameChange {
        NameChange(
            object: .table, action: .rename, database: database, table: table, newDatabase: newDatabase,
            newName: newName, statement: 1)
    }

    @Test func changesOutsideTheScopeAreLeftOutOrReplaced() throws {
        let log = NameChangeLog(
            since: Self.since,
            changes: [
                Self.rename("d", "a", "d", "b"),
                Self.rename("other", "x", "other", "y"),
                Self.rename("d", "c", "d", "tmp_c"),
                Self.rename("other", "z", "d", "z"),
                NameChange(object: .column, action: .rename, database: "other", table: "y", name: "p", newName: "q"),
                NameChange(object: .column, action: .rename, database: "d", table: "b", name: "p", newName: "q"),
            ])
        let scoped = try #require(
            BinaryLogReader.scoped(log) { database, table in database == "d" && !table.hasPrefix("tmp_") })
        #expect(
            scoped.changes == [
                Self.rename("d", "a", "d", "b"),
                // Renamed out of the scope: its name is left to a new object.
                NameChange(object: .table, action: .replace, database: "d", table: "c", statement: 1),
                // Renamed into it: a new object as far as this capture knows.
                NameChange(object: .table, action: .replace, database: "d", table: "z", statement: 1),
                NameChange(object: .column, action: .rename, database: "d", table: "b", name: "p", newName: "q"),
            ])
        #expect(BinaryLogReader.scoped(nil) { _, _ in true } == nil)
    }
}
