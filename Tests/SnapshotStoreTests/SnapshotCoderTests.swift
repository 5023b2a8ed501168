import Foundation
import SchemaModel
@testable import SnapshotStore
import Testing

@Suite struct SnapshotCoderTests {
    static func snapshot(shuffled: Bool) -> Snapshot {
        var tables = (0..<20).map { index in
            Relation(
                name: "t\(index)", kind: .table,
                columns: (1...5).map { Column(name: "c\($0)", position: $0, type: "integer") },
                options: ["fillfactor": "70", "autovacuum_enabled": "false", "b": "1", "a": "2"])
        }
        if shuffled {
            tables.reverse()
            for index in tables.indices { tables[index].columns.reverse() }
        }
        return Snapshot(
            toolVersion: "test", capturedAt: "2025-11-25T02:30:00.123Z", scope: CaptureScope(),
            catalog: Catalog(
                name: "src", kind: .postgresql, serverVersion: "15.18", location: "postgresql://h/db",
                databases: [Database(name: "db", schemas: [Schema(name: "public", relations: tables)])]))
    }

    @Test func sameBytesWhateverTheRowOrder() throws {
        let a = try SnapshotCoder.encode(Self.snapshot(shuffled: false))
        let b = try SnapshotCoder.encode(Self.snapshot(shuffled: true))
        #expect(a == b)
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        #expect(text.contains("\"routines\" : []"))
        #expect(!text.contains("[\n\n"))
        #expect(text.contains("postgresql://h/db"))
    }

    @Test func decodesWhatItEncodes() throws {
        let snapshot = Self.snapshot(shuffled: false)
        let decoded = try SnapshotCoder.decode(try SnapshotCoder.encode(snapshot), path: "x.json")
        #expect(decoded.catalog == snapshot.catalog.canonicalized())
        #expect(decoded.capturedAt == snapshot.capturedAt)
    }

    @Test func collapsesOnlyStructure() {
        let json = Data("{\n  \"a\" : [\n\n  ],\n  \"b\" : \"[\\n\\n]\",\n  \"c\" : {\n\n  },\n  \"d\" : [\n    1\n  ]\n}".utf8)
        let collapsed = String(decoding: SnapshotCoder.collapseEmptyContainers(json), as: UTF8.self)
        #expect(collapsed == "{\n  \"a\" : [],\n  \"b\" : \"[\\n\\n]\",\n  \"c\" : {},\n  \"d\" : [\n    1\n  ]\n}")
    }

    @Test func refusesEmptyTruncatedAndForeignFiles() throws {
        let good = try SnapshotCoder.encode(Self.snapshot(shuffled: false))
        let cases: [(Data, SnapshotStoreError.Code, String)] = [
            (Data(), .corrupt, "empty"),
            (good.prefix(good.count / 2), .corrupt, "not valid JSON"),
            (Data("[1,2]".utf8), .corrupt, "not valid JSON"),
            (Data("{\"hello\": 1}".utf8), .corrupt, "no formatVersion"),
            (Data("{\"formatVersion\": 1, \"toolVersion\": \"x\"}".utf8), .corrupt, "missing key"),
            (Data("{\"formatVersion\": 99}".utf8), .unsupportedFormat, "format version 99"),
        ]
        for (data, code, words) in cases {
            let error = try #require(throws: SnapshotStoreError.self) { try SnapshotCoder.decode(data, path: "snap.json") }
            #expect(error.code == code)
            #expect(error.description.contains(words), "\(error)")
            #expect(error.description.contains("snap.json"))
        }
    }
}
