import Foundation
import SchemaModel
import Testing

@testable import SnapshotStore

/// The skim reads the binary log position and the database names as the full decode reads
/// them, from any layout, and says what is wrong as the full decode says it.
@Suite struct SnapshotSkimTests {
    /// A snapshot of several databases, with or without a binary log position.
    static func snapshots() -> [Snapshot] {
        var two = SnapshotCoderTests.withBinaryLog
        var second = two.catalog.databases[0]
        second.name = "z\u{e9}\"]}\\"
        two.catalog.databases.append(second)
        var none = SnapshotCoderTests.snapshot(shuffled: true)
        none.catalog.databases.append(Database(name: "empty"))
        return [SnapshotCoderTests.everyField, SnapshotCoderTests.withBinaryLog, two, none]
    }

    static func skim(_ data: Data) throws -> SnapshotSkim {
        try SnapshotCoder.skim(data, path: "snap.json")
    }

    static func full(_ data: Data) throws -> SnapshotSkim {
        SnapshotSkim(try SnapshotCoder.decode(data, path: "snap.json"))
    }

    @Test func readsWhatTheFullDecodeReadsFromTheCanonicalLayout() throws {
        for snapshot in Self.snapshots() {
            let data = try SnapshotCoder.encode(snapshot)
            let skim = try Self.skim(data)
            #expect(skim == (try Self.full(data)))
            #expect(SnapshotCoder.skimmed(data) == skim, "read by the skim itself, not its fallback")
            #expect(skim.binaryLog == snapshot.catalog.binaryLog)
            #expect(skim.databaseNames == snapshot.catalog.canonicalized().databases.map(\.name))
        }
    }

    /// Compact, keys reversed, unknown keys holding every kind of value (brackets and quotes
    /// inside strings, escapes, numbers with exponents, nested containers), null optionals,
    /// the same key twice (the last one counts, as in the full decode).
    @Test func readsAnyLayoutTheFullDecodeReads() throws {
        for snapshot in Self.snapshots() {
            let canonical = try SnapshotCoder.encode(snapshot)
            var object = try #require(try JSONSerialization.jsonObject(with: canonical) as? [String: Any])
            object["unknown"] = ["x]}\"{[", -1.5e-3, NSNull(), ["a": [[], [:], true, false]]] as [Any]
            var catalog = try #require(object["catalog"] as? [String: Any])
            catalog["binaryLog"] = catalog["binaryLog"] ?? NSNull()
            catalog["zz"] = "\\\"\u{01}\u{1F600}"
            object["catalog"] = catalog
            let compact = try JSONSerialization.data(withJSONObject: object)
            let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
            for data in [compact, pretty] {
                #expect(try Self.skim(data) == (try Self.full(data)))
                #expect(SnapshotCoder.skimmed(data) == (try Self.full(data)), "read by the skim itself")
            }
            // The databases key twice, the first one empty: the last one counts.
            let text = String(decoding: compact, as: UTF8.self)
            let twice = Data(
                text.replacingOccurrences(of: "\"databases\":", with: "\"databases\":[],\"databases\":").utf8)
            let skim = try Self.skim(twice)
            #expect(skim == (try Self.full(twice)))
            #expect(SnapshotCoder.skimmed(twice) == skim, "read by the skim itself")
            #expect(skim.binaryLog == snapshot.catalog.binaryLog)
            #expect(skim.databaseNames == snapshot.catalog.canonicalized().databases.map(\.name))
        }
    }

    /// What the full decode refuses in the fields the skim reads, or in the document's shape,
    /// the skim refuses with the same error, naming the file.
    @Test func refusesWhatTheFullDecodeRefusesWithItsError() throws {
        let good = try SnapshotCoder.encode(SnapshotCoderTests.withBinaryLog)
        let text = String(decoding: good, as: UTF8.self)
        let damaged: [Data] = [
            Data(),
            good.prefix(good.count / 2),
            good.prefix(200),
            Data("[1,2]".utf8),
            Data("{\"hello\": 1}".utf8),
            Data("{\"formatVersion\": 99}".utf8),
            Data(text.replacingOccurrences(of: "\"file\" : \"binlog.000008\"", with: "\"file\" : 8").utf8),
            Data(text.replacingOccurrences(of: "\"name\" : \"db\"", with: "\"name\" : null").utf8),
            Data(text.replacingOccurrences(of: "\"name\" : \"db\"", with: "\"nom\" : \"db\"").utf8),
            Data(text.replacingOccurrences(of: "\"databases\" :", with: "\"bases\" :").utf8),
            Data((text + "x").utf8),
        ]
        for data in damaged {
            let full = try #require(throws: SnapshotStoreError.self) { try Self.full(data) }
            let skim = try #require(throws: SnapshotStoreError.self) { try Self.skim(data) }
            #expect(skim.code == full.code)
            #expect(skim.description == full.description)
            #expect(skim.description.contains("snap.json"))
        }
    }

    /// Damage in what the skim steps over (here a relation's object id that is a string) is not seen by
    /// the skim: the full decode, which a sync runs before using anything else, refuses it.
    @Test func leavesDamageInWhatItStepsOverToTheFullDecode() throws {
        let text = String(decoding: try SnapshotCoder.encode(SnapshotCoderTests.withBinaryLog), as: UTF8.self)
        let data = Data(text.replacingOccurrences(of: "\"objectId\" : 7,", with: "\"objectId\" : \"7\",").utf8)
        #expect(data.count != text.utf8.count)
        #expect(try Self.skim(data).databaseNames == ["db"])
        #expect(throws: SnapshotStoreError.self) { try Self.full(data) }
    }

    /// A database name that is not UTF-8 is damage to the skim as to the full decode.
    @Test func refusesADatabaseNameThatIsNotUTF8() throws {
        var bytes = Array(try SnapshotCoder.encode(SnapshotCoderTests.withBinaryLog))
        let key = Array("\"name\" : \"db".utf8)
        let at = try #require((0...(bytes.count - key.count)).first { bytes[$0..<$0 + key.count].elementsEqual(key) })
        bytes.insert(0xFF, at: at + key.count)
        let error = try #require(throws: SnapshotStoreError.self) { try Self.skim(Data(bytes)) }
        #expect(error.code == .corrupt && error.description.contains("UTF-8"), "\(error)")
    }

    /// The structural skip steps over exactly what the checking skip steps over, for every
    /// kind of valid value.
    @Test func theStructuralSkipEndsWhereTheCheckingSkipEnds() throws {
        let values = [
            "1", "-0.5e+10", "true", "false", "null", "\"\"", "\"a\\\"]}\\\\\"", "[]", "{}",
            "[1, [2, {\"a\": \"]\"}], \"x\"]", "{\"k\": {\"l\": [null, \"\\u005d\"]}, \"m\": 2}",
            #""\\\"\\\\""#, #"["\\", "\"", {"\\\\": "]\\"}]"#,
        ]
        for value in values {
            for suffix in [",", "}", "]", " ,", "\n}"] {
                let data = Data((" " + value + suffix).utf8)
                let ends = data.withUnsafeBytes { raw -> (Int?, Int?) in
                    var checking = JSONReader(raw.bindMemory(to: UInt8.self))
                    var structural = JSONReader(raw.bindMemory(to: UInt8.self))
                    let a: Int? = (try? checking.skipValue()).map { checking.offset }
                    let b: Int? = (try? structural.skipStructure()).map { structural.offset }
                    return (a, b)
                }
                #expect(ends.0 != nil && ends.0 == ends.1, "\(value)\(suffix): \(ends)")
            }
        }
    }
}
