import SchemaModel
import Testing

/// The derived NOT NULL name is the one PostgreSQL 18 gives by default, shortened the way the
/// server shortens it (seen on 18.6 after pg_upgrade of the fixture's 63-byte table name).
@Suite struct NotNullNameTests {
    @Test func shortNamesAreJoined() {
        #expect(NotNullConstraintInfo.derivedName(table: "orders", column: "id") == "orders_id_not_null")
    }

    @Test func longNamesAreShortenedAsTheServerDoes() {
        #expect(
            NotNullConstraintInfo.derivedName(
                table: "tbl_name_of_exactly_sixty_three_bytes_abcdefghijklmnopqrstuvwxy", column: "id")
                == "tbl_name_of_exactly_sixty_three_bytes_abcdefghijklm_id_not_null")
        // The longer of the two parts loses a byte at a time until the whole fits in 63 bytes.
        let long = String(repeating: "c", count: 63)
        let name = NotNullConstraintInfo.derivedName(table: long, column: long)
        #expect(name.utf8.count == 63)
        #expect(name == String(repeating: "c", count: 27) + "_" + String(repeating: "c", count: 26) + "_not_null")
    }

    @Test func neverInsideACharacter() {
        // 30 three-byte characters: 90 bytes, clipped to a whole character.
        let table = String(repeating: "\u{540D}", count: 30)
        let name = NotNullConstraintInfo.derivedName(table: table, column: "id")
        #expect(name.utf8.count <= 63)
        #expect(name.hasSuffix("_id_not_null"))
        #expect(name.unicodeScalars.filter { $0 == "\u{540D}" }.count == 17)
    }
}
