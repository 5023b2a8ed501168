import ChangeReport
import Foundation
import SchemaDiff
import SchemaModel
import Testing

@Suite struct ChangeReporterTests {
    static let before = Catalog(
        name: "src", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/shop",
        databases: [
            Database(
                name: "shop",
                schemas: [
                    Schema(
                        name: "public",
                        relations: [
                            Relation(
                                name: "orders", kind: .table, objectId: 10,
                                columns: [
                                    Column(name: "id", position: 1, objectId: 1, type: "integer", nullable: false),
                                    Column(name: "total", position: 2, objectId: 2, type: "numeric(10,2)"),
                                    Column(name: "legacy", position: 3, objectId: 3, type: "integer"),
                                ]),
                            Relation(name: "customers", kind: .table, objectId: 20),
                        ])
                ])
        ])

    static var after: Catalog {
        var catalog = before
        var orders = catalog.databases[0].schemas[0].relations[0]
        orders.columns[1].type = "numeric(12,2)"
        orders.columns.removeLast()
        orders.comment = "Orders"
        catalog.databases[0].schemas[0].relations[0] = orders
        catalog.databases[0].schemas[0].relations[1].name = "clients"
        return catalog
    }

    static var changes: [SchemaChange] { SchemaDiffer.diff(from: before, to: after) }

    @Test func textGroupsByDatabaseSchemaAndTable() {
        let text = ChangeReporter.render(Self.changes, format: .text)
        #expect(
            text == """
                database shop › schema public
                  → table customers → clients
                  ~ table orders
                      comment: — → Orders
                      - column legacy   [destructive]
                      ~ column total
                          type: numeric(10,2) → numeric(12,2)
                4 changes: 1 renamed, 2 altered, 1 dropped (1 destructive)

                """)
        #expect(!text.contains("\u{1B}["))
        let coloured = ChangeReporter.render(Self.changes, format: .text, colour: true)
        #expect(coloured.contains("\u{1B}[31m      - column legacy   [destructive]\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[36m  → table customers → clients\u{1B}[0m"))
    }

    @Test func markdownTable() {
        let markdown = ChangeReporter.render(Self.changes, format: .markdown)
        #expect(markdown.hasPrefix("### Schema changes\n\n4 changes:"))
        #expect(markdown.contains("| - | column `legacy` | shop.public.orders | **destructive** |"))
        #expect(
            markdown.contains("| ~ | column `total` | shop.public.orders | `type`: numeric(10,2) → numeric(12,2) |"))
    }

    @Test func jsonKeepsTheChangeOrderAndWholeObjects() throws {
        let json = ChangeReporter.render(Self.changes, format: .json)
        let records = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        // The differ's order: the column drop, the two relation alters (in the catalog's order),
        // then the column alter.
        #expect(records.map { $0["action"] as? String } == ["drop", "alter", "rename", "alter"])
        #expect(records.map { $0["objectType"] as? String } == ["column", "table", "table", "column"])
        #expect(records[0]["destructive"] as? Bool == true)
        #expect(records[0]["objectType"] as? String == "column")
        #expect((records[0]["old"] as? [String: Any])?["type"] as? String == "integer")
        #expect(records[3]["table"] as? String == "orders")
        #expect(((records[3]["new"] as? [String: Any])?["type"] as? String) == "numeric(12,2)")
    }

    @Test func noChanges() {
        #expect(ChangeReporter.render([], format: .text) == "No changes.\n")
        #expect(
            ChangeReporter.render([], format: .json) == "[\n\n]\n" || ChangeReporter.render([], format: .json) == "[]\n"
        )
    }
}
