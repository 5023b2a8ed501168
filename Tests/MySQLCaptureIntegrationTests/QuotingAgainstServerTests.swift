import Foundation
import SchemaModel
import SchemaTestSupport
import Testing

@testable import MySQLCapture

/// Names holding a backtick followed by a combining mark (one `Character` with it, but a
/// backtick to the server), against the real server: the reader quotes them byte by byte,
/// in `SHOW CREATE TABLE` (a LIST table's DEFAULT partition) and in the database qualifier
/// it removes from view definitions.
@Suite struct QuotingAgainstServerTests {
    @Test func aBacktickFollowedByACombiningMark() throws {
        let suffix = UInt32.random(in: 0...UInt32.max)
        let name = "q`\u{301}_\(suffix)"
        // Written out with the backtick doubled: the setup must not use the code under test.
        let quotedName = "`q``\u{301}_\(suffix)`"
        let admin = try TestServer.adminConnection()
        try admin.execute(
            "CREATE DATABASE \(quotedName) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci", context: "setup")
        defer { try? admin.execute("DROP DATABASE IF EXISTS \(quotedName)", context: "cleanup") }
        let connection = try TestServer.adminConnection(database: name)
        try connection.execute(
            "CREATE TABLE `t``\u{301}` (id int, region int) PARTITION BY LIST (region) "
                + "(PARTITION p1 VALUES IN (1), PARTITION p_other DEFAULT)", context: "setup")
        try connection.execute("CREATE VIEW v AS SELECT id FROM `t``\u{301}`", context: "setup")

        let (catalog, _) = try TestServer.reader(database: name).capture(TestCapture.options())
        let relations = try #require(catalog.databases.first?.schemas.first?.relations)
        let table = try #require(relations.first { Array($0.name.utf8) == Array("t`\u{301}".utf8) })
        #expect(table.partitions.map(\.bound) == ["IN (1)", "DEFAULT"])
        let view = try #require(relations.first { $0.name == "v" }?.view)
        #expect(!view.definition.contains("_\(suffix)"), "\(view.definition)")
        #expect(view.definition.contains("from `t``\u{301}`"), "\(view.definition)")
    }
}
