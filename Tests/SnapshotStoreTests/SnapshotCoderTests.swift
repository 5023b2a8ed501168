import Foundation
import SchemaModel
import Testing

@testable import SnapshotStore

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

    /// A snapshot with every optional field set and strings that need escaping.
    static var everyField: Snapshot {
        let text = "quote \" backslash \\ slash / newline \n tab \t cr \r bell \u{07} nul-free \u{1F} café 名前 \u{2028}"
        let column = Column(
            name: "c\(text)", position: 1, objectId: 3, type: "character varying(64)", nullable: false,
            defaultValue: "'x'::text", identity: .byDefault,
            generated: GeneratedColumn(expression: "(a + 1)", stored: true),
            collation: "C", charset: "utf8mb4", onUpdate: "current_timestamp()", invisible: true, comment: text)
        let partition = Partition(
            name: "p", schemaName: "s", objectId: 9, bound: "FOR VALUES IN ('a')", owner: "o", comment: "c",
            partitioning: Partitioning(strategy: .hash, key: "HASH (id)"),
            subpartitions: [Partition(name: "q", bound: "")], options: ["fillfactor": "70"])
        let relation = Relation(
            name: "t", kind: .partitionedTable, objectId: 7, owner: "o", comment: text, columns: [column],
            primaryKey: KeyConstraint(
                name: "pk", objectId: 1, columns: ["a"], include: ["b"], nullsNotDistinct: true, deferrable: true,
                initiallyDeferred: true, comment: "pk"),
            uniqueConstraints: [KeyConstraint(name: "u", columns: ["b"])],
            foreignKeys: [
                ForeignKey(
                    name: "fk", objectId: 2, columns: ["a"], referencedDatabase: "db2", referencedSchema: "s2",
                    referencedTable: "t2", referencedColumns: ["id"], onUpdate: .cascade, onDelete: .setNull,
                    onDeleteColumns: ["a"], matchType: .full, deferrable: true, initiallyDeferred: true,
                    validated: false,
                    comment: "fk")
            ],
            checkConstraints: [
                CheckConstraint(
                    name: "ck", objectId: 4, expression: "(a > 0)", columns: ["a"], validated: false, noInherit: true,
                    comment: "ck")
            ],
            exclusionConstraints: [
                ExclusionConstraint(
                    name: "ex", objectId: 5, definition: "EXCLUDE USING gist (b WITH &&)", deferrable: true,
                    initiallyDeferred: true, comment: "ex")
            ],
            indexes: [
                Index(
                    name: "i", objectId: 6, method: IndexMethod(rawValue: "btree"), unique: true,
                    columns: [
                        IndexColumn(
                            column: "a", descending: true, nullsFirst: false, opclass: "text_pattern_ops",
                            collation: "C", prefixLength: 10),
                        IndexColumn(expression: "lower(b)"),
                    ],
                    include: ["c"], predicate: "(a > 0)", nullsNotDistinct: true, definition: "CREATE INDEX …",
                    comment: "i",
                    options: ["fillfactor": "70", "autovacuum_enabled": "off"])
            ],
            triggers: [
                Trigger(
                    name: "tg", objectId: 8, timing: .insteadOf, events: [.insert, .update], updateColumns: ["a"],
                    level: .row,
                    state: .disabled, function: "s.f", isConstraint: true, definition: "CREATE TRIGGER …",
                    comment: "tg",
                    options: ["definer": "root@%"])
            ],
            partitioning: Partitioning(strategy: .list, key: "LIST (a)"), partitions: [partition],
            view: ViewDefinition(
                definition: " SELECT 1;", checkOption: "LOCAL", definer: "root@%", securityType: "INVOKER"),
            options: ["engine": "InnoDB"])
        let routine = Routine(
            name: "f", objectId: 10, kind: .procedure, arguments: "a integer", returns: "integer", language: "plpgsql",
            owner: "o", comment: "f", bodyHash: "ab", volatility: "STABLE", security: "DEFINER",
            options: ["strict": "true"])
        return Snapshot(
            toolVersion: "0.1.0", capturedAt: "2025-11-25T02:30:00.123Z",
            scope: CaptureScope(databases: ["all"], include: ["a.*"], exclude: ["*.tmp"]),
            catalog: Catalog(
                name: "src", kind: .mariadb, serverVersion: "10.11.6", location: "mysql://u@h/",
                databases: [
                    Database(
                        name: "db", objectId: 5, owner: "o", comment: text, encoding: "UTF8", collation: "C",
                        ctype: "C",
                        options: ["localeProvider": "icu", "iculocale": "en"],
                        schemas: [
                            Schema(
                                name: "s", objectId: 11, owner: "o", comment: "s", relations: [relation],
                                routines: [routine])
                        ])
                ]))
    }

    /// `everyField` with a MySQL capture's binary log position and name changes.
    static var withBinaryLog: Snapshot {
        var snapshot = everyField
        let since = BinaryLogPosition(file: "binlog.000007", position: 4_294_967_296, server: "id:1@db2")
        snapshot.catalog.binaryLog = BinaryLogPosition(file: "binlog.000008", position: 1234, server: "id:1@db2")
        snapshot.catalog.nameChanges = NameChangeLog(
            since: since,
            changes: [
                NameChange(
                    object: .table, action: .rename, database: "d", table: "a", newDatabase: "e", newName: "ü",
                    statement: 3),
                NameChange(object: .column, action: .replace, database: "d", table: "t", name: "c\"x"),
            ])
        return snapshot
    }

    @Test func writerMatchesJSONEncoderByteForByte() throws {
        for snapshot in [Self.everyField, Self.snapshot(shuffled: true), Self.withBinaryLog] {
            let fast = try SnapshotCoder.encode(snapshot)
            let reference = try SnapshotCoder.referenceEncode(snapshot)
            #expect(String(decoding: fast, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
            #expect(
                try SnapshotCoder.decode(fast, path: "x")
                    == {
                        var canonical = snapshot
                        canonical.catalog = snapshot.catalog.canonicalized()
                        return canonical
                    }())
        }
    }

    /// The reader agrees with `JSONDecoder` and the synthesized conformances, on the
    /// canonical bytes and on the same document in another layout: compact, slashes escaped,
    /// unknown keys, optional values written as null, escapes of every kind.
    @Test func readerMatchesJSONDecoder() throws {
        for snapshot in [Self.everyField, Self.snapshot(shuffled: true), Self.withBinaryLog] {
            let canonical = try SnapshotCoder.encode(snapshot)
            #expect(try SnapshotCoder.decode(canonical, path: "x") == SnapshotCoder.referenceDecode(canonical))
            var object = try #require(try JSONSerialization.jsonObject(with: canonical) as? [String: Any])
            object["unknownKey"] = ["x", 1, NSNull(), ["a": 1.5e3, "b": [true, false]]] as [Any]
            var catalog = try #require(object["catalog"] as? [String: Any])
            catalog["binaryLog"] = catalog["binaryLog"] ?? NSNull()
            catalog["another"] = "\u{e9}\u{1F600}\n\t\\/\"\u{01}"
            object["catalog"] = catalog
            object["toolVersion"] = "t\u{e9}\u{1F600}\n\t\\/\"\u{01}"
            let other = try JSONSerialization.data(withJSONObject: object)
            let decoded = try SnapshotCoder.decode(other, path: "x")
            #expect(decoded == (try SnapshotCoder.referenceDecode(other)))
            #expect(decoded.toolVersion == "t\u{e9}\u{1F600}\n\t\\/\"\u{01}")
        }
        let escaped = Data(#"{"a":"\u00e9\ud83d\ude00\/\b\f\r"}"#.utf8)
        let value = escaped.withUnsafeBytes { raw in
            var reader = JSONReader(raw.bindMemory(to: UInt8.self))
            var value: String?
            try? reader.object { r, _ in value = try r.string() }
            return value
        }
        #expect(value == "\u{e9}\u{1F600}/\u{08}\u{0C}\r")
    }

    /// The bytes between the capture time and the tool version decide whether a sync found
    /// nothing new; any other layout of the committed file is never "the same".
    @Test func sameCatalogComparesAllButTheCaptureTimeAndTheToolVersion() throws {
        let snapshot = Self.everyField
        let committed = try SnapshotCoder.encode(snapshot)
        var later = snapshot
        later.capturedAt = "2030-01-01T00:00:00.000Z"
        later.toolVersion = "9.9.9"
        #expect(SnapshotCoder.sameCatalog(SnapshotCoder.encodeBytes(later), committed))
        var changed = later
        changed.catalog.serverVersion += ".1"
        #expect(!SnapshotCoder.sameCatalog(SnapshotCoder.encodeBytes(changed), committed))
        var rescoped = later
        rescoped.scope.include = ["public.*"]
        #expect(!SnapshotCoder.sameCatalog(SnapshotCoder.encodeBytes(rescoped), committed))
        let compact = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: committed))
        #expect(!SnapshotCoder.sameCatalog(SnapshotCoder.encodeBytes(later), compact))
        #expect(!SnapshotCoder.sameCatalog(SnapshotCoder.encodeBytes(later), committed.prefix(committed.count - 1)))
        #expect(!SnapshotCoder.sameCatalog(SnapshotCoder.encodeBytes(later), Data()))
    }

    /// A MySQL no-op: the same catalog but for the binary log's position and what it said.
    @Test func sameCatalogButTheLogIgnoresOnlyTheBinaryLogAndItsNameChanges() throws {
        let snapshot = Self.withBinaryLog
        let committed = try SnapshotCoder.encode(snapshot)
        var moved = snapshot
        moved.capturedAt = "2030-01-01T00:00:00.000Z"
        moved.catalog.binaryLog?.position += 9_000
        moved.catalog.binaryLog?.file = "binlog.000009"
        moved.catalog.nameChanges?.changes.removeLast()
        #expect(!SnapshotCoder.sameCatalog(SnapshotCoder.encodeBytes(moved), committed))
        #expect(SnapshotCoder.sameCatalogButTheLog(SnapshotCoder.encodeBytes(moved), committed))
        var unlogged = moved
        unlogged.catalog.nameChanges = nil
        #expect(SnapshotCoder.sameCatalogButTheLog(SnapshotCoder.encodeBytes(unlogged), committed))
        unlogged.catalog.binaryLog = nil
        #expect(SnapshotCoder.sameCatalogButTheLog(SnapshotCoder.encodeBytes(unlogged), committed))
        // Anything else that differs still differs, before, between and after the cut members.
        let changes: [(inout Snapshot) -> Void] = [
            { $0.catalog.databases[0].name += "x" }, { $0.catalog.serverVersion += ".1" },
            { $0.catalog.name += "x" }, { $0.catalog.location += "/x" }, { $0.scope.include.append("b.*") },
            { $0.formatVersion += 1 },
        ]
        for change in changes {
            var changed = moved
            change(&changed)
            #expect(!SnapshotCoder.sameCatalogButTheLog(SnapshotCoder.encodeBytes(changed), committed))
        }
        // Not the canonical layout: false, so that the caller decodes and compares.
        let compact = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: committed))
        #expect(!SnapshotCoder.sameCatalogButTheLog(SnapshotCoder.encodeBytes(moved), compact))
        // A cut member holds its one value and nothing else (members hidden on its line would
        // go unread), and no damage (the full decode reports it); nor may the capture time
        // and tool version lines, left out of both comparisons, be damaged.
        let text = String(decoding: committed, as: UTF8.self)
        let edits = [
            ("\n    \"nameChanges\" : {", "\n    \"nameChanges\" : {}, \"databases\" : [], \"x\" : {"),
            ("\"statement\" : 3", "\"statement\" : 3x"), ("\"statement\" : 3", "\"statement\" : 03"),
            ("\"capturedAt\" : \"2", "\"capturedAt\" : \"\\x2"), ("\"toolVersion\" : \"", "\"toolVersion\" : \"\\x"),
        ]
        for (from, to) in edits {
            #expect(text.contains(from))
            let damaged = Data(text.replacingOccurrences(of: from, with: to).utf8)
            if !to.contains("\"x\"") {
                #expect(throws: SnapshotStoreError.self) { try SnapshotCoder.decode(damaged, path: "x") }
            }
            #expect(!SnapshotCoder.sameCatalogButTheLog(SnapshotCoder.encodeBytes(moved), damaged), "\(to)")
            #expect(!SnapshotCoder.sameCatalog(SnapshotCoder.encodeBytes(snapshot), damaged), "\(to)")
        }
    }

    @Test func decodesWhatItEncodes() throws {
        let snapshot = Self.snapshot(shuffled: false)
        let decoded = try SnapshotCoder.decode(try SnapshotCoder.encode(snapshot), path: "x.json")
        #expect(decoded.catalog == snapshot.catalog.canonicalized())
        #expect(decoded.capturedAt == snapshot.capturedAt)
    }

    @Test func collapsesOnlyStructure() {
        let json = Data(
            "{\n  \"a\" : [\n\n  ],\n  \"b\" : \"[\\n\\n]\",\n  \"c\" : {\n\n  },\n  \"d\" : [\n    1\n  ]\n}".utf8)
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
            (Data("{\"formatVersion\": 01}".utf8), .corrupt, "not valid JSON"),
            // Numbers in values read or skipped hold to JSON's grammar, as `JSONDecoder` does.
            (Data("{\"formatVersion\": 1, \"x\": 01}".utf8), .corrupt, "not valid JSON"),
            (Data("{\"formatVersion\": 1, \"x\": [1.]}".utf8), .corrupt, "not valid JSON"),
            (Data("{\"formatVersion\": 1, \"x\": +1}".utf8), .corrupt, "not valid JSON"),
            (Data("{\"formatVersion\": 1, \"x\": 1e}".utf8), .corrupt, "not valid JSON"),
            (Data("{\"formatVersion\": 1, \"x\": -}".utf8), .corrupt, "not valid JSON"),
        ]
        for (data, code, words) in cases {
            let error = try #require(throws: SnapshotStoreError.self) {
                try SnapshotCoder.decode(data, path: "snap.json")
            }
            #expect(error.code == code)
            #expect(error.description.contains(words), "\(error)")
            #expect(error.description.contains("snap.json"))
        }
    }

    /// Bytes that are not UTF-8 inside a string are damage (as `JSONDecoder` says), in a
    /// plain string and in one with an escape: never repaired into U+FFFD and decoded.
    @Test func refusesStringsThatAreNotUTF8() throws {
        let good = try SnapshotCoder.encode(Self.snapshot(shuffled: false))
        let key = Array("\"toolVersion\" : \"".utf8)
        let bytes = Array(good)
        let at = try #require(
            (0...(bytes.count - key.count)).first { bytes[$0..<$0 + key.count].elementsEqual(key) })
        let value = at + key.count
        for damaged in [[UInt8(0xFF)], Array("\\n".utf8) + [0xC3], Array("\\ud800".utf8), Array("\\udc00".utf8)] {
            var data = bytes
            data.insert(contentsOf: damaged, at: value)
            let error = try #require(throws: SnapshotStoreError.self) {
                try SnapshotCoder.decode(Data(data), path: "snap.json")
            }
            #expect(error.code == .corrupt, "\(error)")
        }
        // Valid UTF-8 beyond ASCII reads as itself, with and without an escape beside it.
        for (inserted, expected) in [("é表", "é表"), ("\\té", "\té")] {
            var data = bytes
            data.insert(contentsOf: Array(inserted.utf8), at: value)
            let decoded = try SnapshotCoder.decode(Data(data), path: "snap.json")
            #expect(decoded.toolVersion.hasPrefix(expected), "\(decoded.toolVersion)")
        }
    }
}
