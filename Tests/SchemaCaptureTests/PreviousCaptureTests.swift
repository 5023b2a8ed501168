import Foundation
import SchemaModel
import Testing

@testable import SchemaCapture

/// The previous capture's whole catalog is decoded on first use only, once, whichever
/// thread asks first; a failure is every caller's failure.
@Suite struct PreviousCaptureTests {
    static let catalog = Catalog(
        name: "src", kind: .mariadb, serverVersion: "11.4", location: "mysql://h",
        databases: [
            Database(
                name: "shop",
                schemas: [
                    Schema(
                        name: "shop",
                        relations: [
                            Relation(name: "v", kind: .view, columns: [Column(name: "a", position: 1, type: "int")]),
                            Relation(name: "t", kind: .table, columns: [Column(name: "b", position: 1, type: "int")]),
                        ])
                ])
        ])

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func increment() { lock.withLock { count += 1 } }
    }

    @Test func decodesOnFirstUseOnlyAndOnce() async throws {
        let decodes = Counter()
        let previous = PreviousCapture(binaryLog: nil, databaseNames: ["shop"]) {
            decodes.increment()
            return Self.catalog
        }
        #expect(previous.databaseNames == ["shop"] && !previous.isDecoded && decodes.value == 0)
        try await withThrowingTaskGroup(of: [Column]?.self) { group in
            for _ in 0..<8 {
                group.addTask { try previous.columns(of: "v", kind: .view, in: "shop") }
            }
            for try await columns in group { #expect(columns?.map(\.name) == ["a"]) }
        }
        #expect(try previous.catalog() == Self.catalog)
        #expect(previous.isDecoded && decodes.value == 1)
        #expect(try previous.columns(of: "t", kind: .view, in: "shop") == nil)
        #expect(try previous.columns(of: "v", kind: .view, in: "other") == nil)
    }

    struct Damaged: Error {}

    @Test func aFailedDecodeIsEveryCallersFailureAndIsNotRetried() throws {
        let decodes = Counter()
        let previous = PreviousCapture(binaryLog: nil, databaseNames: []) {
            decodes.increment()
            throw Damaged()
        }
        #expect(throws: Damaged.self) { try previous.catalog() }
        #expect(throws: Damaged.self) { try previous.columns(of: "v", kind: .view, in: "shop") }
        #expect(decodes.value == 1)
    }

    @Test func fromACatalogAtHand() throws {
        var catalog = Self.catalog
        catalog.binaryLog = BinaryLogPosition(file: "binlog.000002", position: 9, server: "id:1@h")
        let previous = PreviousCapture(catalog)
        #expect(previous.binaryLog == catalog.binaryLog && previous.databaseNames == ["shop"])
        #expect(try previous.catalog() == catalog)
    }
}
