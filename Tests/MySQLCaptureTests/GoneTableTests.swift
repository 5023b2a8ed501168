import Foundation
import SchemaCapture
import SchemaModel
import Testing

@testable import MySQLCapture

@Suite struct GoneTableTests {
    @Test func aTableDroppedBeforeItsShowCreateIsGone() throws {
        let keys: Set<String> = ["d\u{0}a", "d\u{0}b", "e\u{0}c"]
        let (statements, gone) = try BulkRead.createStatements(keys) { database, table in
            if table == "b" {
                throw MySQLError(
                    code: .queryFailed, context: "", message: "Table 'd.b' doesn't exist", errorNumber: 1146)
            }
            if database == "e" {
                throw MySQLError(code: .databaseNotFound, context: "", message: "Unknown database", errorNumber: 1049)
            }
            return "CREATE TABLE `\(table)`"
        }
        #expect(statements == ["d\u{0}a": "CREATE TABLE `a`"])
        #expect(gone == ["d\u{0}b", "e\u{0}c"])
        // Any other failure fails the capture.
        #expect(throws: MySQLError.self) {
            try BulkRead.createStatements(["d\u{0}a"]) { _, _ in
                throw MySQLError(code: .queryFailed, context: "", message: "denied", errorNumber: 1142)
            }
        }
    }

    @Test func aGoneTableIsLeftOutOfTheModel() throws {
        var results = BulkResults()
        results.tables = MySQLResultTable(columnCount: 8)
        for name in ["kept", "dropped"] {
            for value in ["d", name, "BASE TABLE", "InnoDB", "Dynamic", nil, "", "partitioned"] as [String?] {
                results.tables.append(value)
            }
        }
        results.goneTables = ["d\u{0}dropped"]
        let assembler = Assembler(
            flavor: ServerFlavor(versionString: "10.11.19-MariaDB"),
            options: CaptureOptions(sourceName: "t", capturedAtMillis: 0),
            results: results)
        let database = try assembler.database("d", row: [nil, nil, nil])
        #expect(database.schemas.first?.relations.map(\.name) == ["kept"])
    }
}
