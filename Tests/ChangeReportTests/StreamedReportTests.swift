import ChangeReport
import Foundation
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

/// The JSON report is written record by record; its bytes are those `JSONSerialization`
/// writes for the whole array (`[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`), as
/// the report was before it was streamed (a test compared the two renderers byte for byte on
/// these changes before the whole-document one was removed). `JSONSerialization` is the
/// oracle here: it parses the report and writes it again, which must give the same bytes.
@Suite struct StreamedReportTests {
    /// `count` generated catalogs side by side in one (databases renamed apart), and the same
    /// after random mutations: thousands of tables, every kind of object and change.
    static func catalogs(count: Int, seed: UInt64) -> (before: Catalog, after: Catalog) {
        var generator = CatalogGenerator(seed: seed)
        var before = Catalog(name: "src", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/db")
        var after = before
        for n in 0..<count {
            let one = generator.catalog()
            let changed = generator.mutate(one)
            for var database in one.databases {
                database.name = "g\(n)_" + database.name
                before.databases.append(database)
            }
            for var database in changed.databases {
                database.name = "g\(n)_" + database.name
                after.databases.append(database)
            }
        }
        return (before.canonicalized(), after.canonicalized())
    }

    /// Strings and keys that test the writer's escaping and key order.
    static let awkward: Catalog = {
        var catalog = Catalog(name: "src", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/a/b")
        catalog.databases.append(
            Database(
                name: "shop/é", objectId: 7, owner: "o\"w\\n", comment: "a\nb\tc\u{1}\u{1f}\u{8}\u{c}\r/ ✓ 😀",
                encoding: "UTF8", collation: "C", ctype: "C",
                options: [
                    "Ab": "1", "aa": "2", "a_b": "3", "aB": "4", "c10": "5", "c9": "6", "ROW_FORMAT": "7", "ROWS": "8",
                    "x-y": "9", "é": "10", "e": "11", "": "12",
                ],
                schemas: [
                    Schema(
                        name: "public",
                        relations: [
                            Relation(
                                name: "t\"1", kind: .table, objectId: 10, comment: "",
                                columns: [
                                    Column(
                                        name: "id", position: 1, objectId: Int64.max, type: "integer", nullable: false)
                                ], options: ["fillfactor": "70", "Fill_factor": "x"])
                        ])
                ]))
        return catalog
    }()

    static var changes: [SchemaChange] {
        let (before, after) = catalogs(count: 300, seed: 12)
        return SchemaDiffer.diff(from: nil, to: after) + SchemaDiffer.diff(from: before, to: after)
            + SchemaDiffer.diff(from: nil, to: awkward) + SchemaDiffer.diff(from: awkward, to: nil)
    }

    static let options: JSONSerialization.WritingOptions = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]

    @Test func sameBytesAsJSONSerializationWritesForTheWholeArray() throws {
        let changes = Self.changes
        #expect(changes.count > 10_000)
        var chunks: [Int] = []
        var bytes: [UInt8] = []
        try ChangeReporter.write(changes, format: .json) { chunk in
            chunks.append(chunk.count)
            bytes += chunk
        }
        // Handed on in chunks of about 64 KiB, never the whole document.
        #expect(chunks.count > 10)
        #expect(chunks.allSatisfy { $0 <= 80_000 })

        // The layout: JSONSerialization writes the parsed array again in the same bytes.
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: Any]])
        let again = try JSONSerialization.data(withJSONObject: parsed, options: Self.options)
        #expect(again + Data("\n".utf8) == Data(bytes))
        // The content: each record's fields, and its whole objects as JSONSerialization
        // writes them alone, in change order.
        #expect(parsed.count == changes.count)
        for (parsed, change) in zip(parsed, changes) {
            let record = ChangeRecord(change)
            #expect(parsed["action"] as? String == record.action)
            #expect(parsed["objectType"] as? String == record.objectType)
            #expect(parsed["destructive"] as? Bool == record.isDestructive)
            #expect(parsed["database"] as? String == record.database)
            #expect(parsed["schema"] as? String == record.schema)
            #expect(parsed["table"] as? String == record.table)
            #expect(parsed["oldName"] as? String == record.oldName)
            #expect(parsed["newName"] as? String == record.newName)
            #expect(try Self.compact(parsed["old"]) == Self.compact(record.old))
            #expect(try Self.compact(parsed["new"]) == Self.compact(record.new))
        }
    }

    @Test func awkwardStringsAndKeys() throws {
        let json = ChangeReporter.render(SchemaDiffer.diff(from: nil, to: Self.awkward), format: .json)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let again = try JSONSerialization.data(withJSONObject: parsed, options: Self.options)
        #expect(again + Data("\n".utf8) == Data(json.utf8))
        // Escapes as JSONSerialization writes them; slashes and non-ASCII as they are.
        #expect(json.contains(#""comment" : "a\nb\tc\u0001\u001f\b\f\r/ ✓ 😀""#))
        #expect(json.contains(#""name" : "shop/é""#))
        #expect(json.contains(#""objectId" : 9223372036854775807"#))
        #expect(json.contains(#""nullable" : false"#))
        #expect(json.contains(#""destructive" : false"#))
        // Keys in JSONSerialization's order: numeric, case-insensitive.
        let keys = ["", "a_b", "aa", "aB", "Ab", "c9", "c10", "e", "é", "ROW_FORMAT", "ROWS", "x-y"]
        let positions = keys.map { json.range(of: "\"\($0)\" : ")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    }

    @Test func emptyReport() {
        #expect(ChangeReporter.render([], format: .json) == "[\n\n]\n")
    }

    /// A JSON value as compact JSON with sorted keys (nil for none).
    static func compact(_ value: Any?) throws -> Data? {
        guard let value else { return nil }
        return try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
    }
}
