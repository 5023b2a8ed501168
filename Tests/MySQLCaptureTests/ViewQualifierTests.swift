import Foundation
import SchemaCapture
import SchemaModel
import Testing

@testable import MySQLCapture

@Suite struct ViewQualifierTests {
    @Test func onlyTheOwnDatabaseStartingANameIsRemoved() {
        #expect(Assembler.unqualified("select `d`.`t`.`x` from `d`.`t`", database: "d") == "select `t`.`x` from `t`")
        // `shop` here is a table of database `other`: it stays, and so does the column after it.
        #expect(
            Assembler.unqualified("select `other`.`shop`.`id` AS `id` from `other`.`shop`", database: "shop")
                == "select `other`.`shop`.`id` AS `id` from `other`.`shop`")
        // A table named like its database: the first `db` goes, the second is the table.
        #expect(
            Assembler.unqualified("select `db`.`db`.`x` from `db`.`db`", database: "db") == "select `db`.`x` from `db`")
        #expect(Assembler.unqualified("`d` . `t`", database: "d") == "`d` . `t`")
        #expect(Assembler.unqualified("`o`. `d`.`t`", database: "d") == "`o`. `d`.`t`")
    }

    @Test func literalsAndCommentsAreNeverChanged() {
        let cases = [
            "select '`shop`.x' AS `s`", "select 'it''s `shop`.x'", "select 'a\\'`shop`.x'", "select \"`shop`.x\"",
            "select 1 /* `shop`.x */", "select 1 -- `shop`.x\n", "select 1 # `shop`.x", "select 'unterminated `shop`.",
        ]
        for text in cases {
            #expect(Assembler.unqualified(text, database: "shop") == text, "\(text)")
        }
        #expect(
            Assembler.unqualified("select '`shop`.x', `shop`.`t`.`y` from `shop`.`t`", database: "shop")
                == "select '`shop`.x', `t`.`y` from `t`")
    }

    @Test func backticksInsideNames() {
        #expect(
            Assembler.unqualified("select `a``b`.`t`.`c` from `a``b`.`t`", database: "a`b") == "select `t`.`c` from `t`"
        )
        // `` `x``shop` `` is one identifier that happens to end in `shop`.
        #expect(Assembler.unqualified("select `x``shop`.`t`", database: "shop") == "select `x``shop`.`t`")
        #expect(Assembler.unqualified("select `shop``x`.`t`", database: "shop") == "select `shop``x`.`t`")
        #expect(
            Assembler.unqualified("select `ünï`.`t`.`c` from `ünï`.`t`", database: "ünï") == "select `t`.`c` from `t`")
        // A backtick followed by a combining mark: the server doubles it, as a byte.
        #expect(
            Assembler.unqualified("select `a``\u{301}b`.`t`.`c` from `a``\u{301}b`.`t`", database: "a`\u{301}b")
                == "select `t`.`c` from `t`")
    }
}
