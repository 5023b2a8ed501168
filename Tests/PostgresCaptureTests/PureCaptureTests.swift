import SchemaModel
import Testing

@testable import PostgresCapture

/// The parts of the PostgreSQL reader that need no server.
@Suite struct IdentifierQuotingTests {
    let quoting = IdentifierQuoting(reservedKeywords: ["select", "from", "user", "order", "table"])

    @Test(arguments: [
        ("orders", "orders"),
        ("_private1", "_private1"),
        ("select", "\"select\""),
        ("user", "\"user\""),
        ("name", "name"),
        ("MixedCase", "\"MixedCase\""),
        ("order items", "\"order items\""),
        ("quote\"d", "\"quote\"\"d\""),
        // A quote followed by a combining mark is one `Character`, but a quote to the server.
        ("quote\"\u{301}d", "\"quote\"\"\u{301}d\""),
        ("\"\u{301}", "\"\"\"\u{301}\""),
        ("1st", "\"1st\""),
        ("café", "\"café\""),
        ("", "\"\""),
    ])
    func quotesAsTheServerDoes(identifier: String, expected: String) {
        #expect(quoting.quote(identifier) == expected)
    }

    @Test func qualifiesBothParts() {
        #expect(quoting.qualified("Weird Schema", "t") == "\"Weird Schema\".t")
    }
}

@Suite struct ArrayLiteralTests {
    @Test(arguments: [
        ("{}", [String?]()),
        ("{a}", ["a"]),
        ("{1,2,3}", ["1", "2", "3"]),
        ("{fillfactor=70,autovacuum_enabled=false}", ["fillfactor=70", "autovacuum_enabled=false"]),
        ("{\"a b\",\"c,d\",\"e\\\"f\",\"g\\\\h\"}", ["a b", "c,d", "e\"f", "g\\h"]),
        ("{NULL,\"NULL\",x}", [nil, "NULL", "x"]),
        ("{\"\"}", [""]),
        ("not an array", []),
    ])
    func parses(literal: String, expected: [String?]) {
        #expect(PGArrayLiteral.parse(literal) == expected)
    }
}

@Suite struct IndexDefinitionTests {
    let quoting = IdentifierQuoting(reservedKeywords: ["select"])

    func input(
        parts: [IndexPart], keyCount: Int? = nil, options: [Int64] = [], opclasses: [String?]? = nil,
        unique: Bool = false, partitioned: Bool = false, nullsNotDistinct: Bool = false, predicate: String? = nil,
        method: String = "btree"
    ) -> IndexDefinitionInput {
        let keys = keyCount ?? parts.count
        return IndexDefinitionInput(
            indexName: "i", schemaName: "s", tableName: "select", onPartitionedTable: partitioned, method: method,
            unique: unique, nullsNotDistinct: nullsNotDistinct, parts: parts, keyCount: keys, options: options,
            printedOpclasses: opclasses ?? Array(repeating: nil, count: keys), predicate: predicate)
    }

    @Test func plainColumns() {
        #expect(
            IndexDefinition.build(input(parts: [.column("a"), .column("B")]), quoting: quoting)
                == "CREATE INDEX i ON s.\"select\" USING btree (a, \"B\")")
    }

    @Test func orderingOptions() {
        // indoption bit 0: DESC, bit 1: NULLS FIRST; the defaults (ASC NULLS LAST, DESC NULLS FIRST) are not printed.
        let text = IndexDefinition.build(
            input(parts: [.column("a"), .column("b"), .column("c"), .column("d")], options: [1, 3, 2, 0]),
            quoting: quoting)
        #expect(text == "CREATE INDEX i ON s.\"select\" USING btree (a DESC NULLS LAST, b DESC, c NULLS FIRST, d)")
    }

    @Test func everyClause() {
        let text = IndexDefinition.build(
            input(
                parts: [.expression("lower(b)"), .column("c"), .column("d")], keyCount: 2, options: [1, 0],
                opclasses: [nil, "text_pattern_ops"], unique: true, partitioned: true, nullsNotDistinct: true,
                predicate: "(a > 0)"),
            quoting: quoting)
        #expect(
            text
                == "CREATE UNIQUE INDEX i ON ONLY s.\"select\" USING btree (lower(b) DESC NULLS LAST, c text_pattern_ops) "
                + "INCLUDE (d) NULLS NOT DISTINCT WHERE (a > 0)")
    }

    @Test func otherMethods() {
        #expect(
            IndexDefinition.build(input(parts: [.column("tags")], method: "gin"), quoting: quoting)
                == "CREATE INDEX i ON s.\"select\" USING gin (tags)")
    }
}

@Suite struct CatalogCodeTests {
    @Test func versions() {
        #expect(PostgresCatalogReader.versionString(150018) == "15.18")
        #expect(PostgresCatalogReader.versionString(120001) == "12.1")
        #expect(PostgresCatalogReader.versionString(90624) == "9.6.24")
    }

    @Test func referentialActionsAndMatchTypes() {
        #expect(CatalogAssembler.action("a") == .noAction)
        #expect(CatalogAssembler.action("r") == .restrict)
        #expect(CatalogAssembler.action("c") == .cascade)
        #expect(CatalogAssembler.action("n") == .setNull)
        #expect(CatalogAssembler.action("d") == .setDefault)
        #expect(CatalogAssembler.match("f") == .full)
        #expect(CatalogAssembler.match("p") == .partial)
        #expect(CatalogAssembler.match("s") == .simple)
    }

    @Test func keyValueOptions() {
        #expect(
            CatalogAssembler.keyValues(["fillfactor=70", "a=b=c", "flag"]) == [
                "fillfactor": "70", "a": "b=c", "flag": "",
            ])
    }

    @Test func parseErrorsDoNotQuoteTheToken() {
        #expect(
            PGConnection.withoutQuotedParts("invalid percent-encoded token: \"p%zzs3cr3t\"")
                == "invalid percent-encoded token: \"…\"")
    }

    @Test func connectionMessagesAreShortAndDeduplicated() {
        let message =
            "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server running?\n"
            + "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server running?\n"
        #expect(
            PGConnection.firstLines(message)
                == "connection to server at \"127.0.0.1\", port 1 failed: Connection refused; Is the server running?")
    }
}
