import EventContract
import Foundation
import SchemaCapture
import SchemaModel
import SchemaTestSupport
import SnapshotStore
import SyncEngine
import Testing

/// A run with nothing changed compares the new capture's canonical bytes with the committed
/// snapshot's and stops there: nothing sent, the snapshot file left as it was.
@Suite struct NoOpSyncTests {
    @Test(arguments: [false, true])
    func aNoOpRunSendsNothingAndLeavesTheSnapshotFileAlone(readsPreviousCapture: Bool) async throws {
        let rig = try Rig(readsPreviousCapture: readsPreviousCapture)
        defer { rig.remove() }
        _ = try await rig.sync(FailingSink(rig.received)).run()
        let path = try rig.store.snapshotLocation(of: "shop")
        let before = try #require(FileManager.default.contents(atPath: path))
        let sent = rig.received.bodies.count
        // Another capture time and another tool version: still nothing changed.
        let quiet = try await rig.sync(
            FailingSink(rig.received), capturedAtMillis: 1_764_000_999_000, toolVersion: "later"
        ).run()
        #expect(quiet.changes == 0 && quiet.batches == 0 && !quiet.committed)
        #expect(rig.received.bodies.count == sent)
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test(arguments: [false, true])
    func aChangeAfterANoOpRunIsSent(readsPreviousCapture: Bool) async throws {
        var rig = try Rig(readsPreviousCapture: readsPreviousCapture)
        defer { rig.remove() }
        _ = try await rig.sync(FailingSink(rig.received)).run()
        _ = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_500_000).run()
        rig.reader.catalog = rig.generator.mutate(rig.reader.catalog)
        let changed = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_900_000).run()
        #expect(changed.changes > 0 && changed.committed)
        try rig.expectReplayEqualsCommitted()
    }

    /// A reader of the previous capture (MySQL) gets its binary log position and database
    /// names from a skim: a no-op run never decodes the committed snapshot; a run with
    /// changes decodes it once, for the diff.
    @Test func aNoOpRunNeverDecodesTheCommittedSnapshot() async throws {
        var rig = try Rig(readsPreviousCapture: true)
        defer { rig.remove() }
        var catalog = rig.reader.catalog
        catalog.binaryLog = BinaryLogPosition(file: "binlog.000042", position: 4, server: "id:1@h")
        rig.reader.catalog = catalog
        _ = try await rig.sync(FailingSink(rig.received)).run()
        #expect(rig.reader.lastPrevious == nil)
        let quiet = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_500_000).run()
        #expect(quiet.changes == 0 && !quiet.committed)
        let previous = try #require(rig.reader.lastPrevious)
        let committed = try #require(try rig.store.committed("shop"))
        #expect(previous.binaryLog == catalog.binaryLog)
        #expect(previous.databaseNames == committed.catalog.databases.map(\.name))
        #expect(!previous.databaseNames.isEmpty)
        #expect(!previous.isDecoded)

        rig.reader.catalog = rig.generator.mutate(rig.reader.catalog)
        let changed = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_900_000).run()
        #expect(changed.changes > 0 && changed.committed)
        #expect(rig.reader.lastPrevious?.isDecoded == true)
    }

    /// A MySQL server that logged writes since the last run: only the binary log position
    /// moved. Nothing is sent or decoded; the new position is committed for the next run.
    @Test func aMovedBinaryLogPositionIsRecordedWithoutDecodingOrSending() async throws {
        var rig = try Rig(readsPreviousCapture: true)
        defer { rig.remove() }
        var catalog = rig.reader.catalog
        catalog.binaryLog = BinaryLogPosition(file: "binlog.000042", position: 4, server: "id:1@h")
        rig.reader.catalog = catalog
        _ = try await rig.sync(FailingSink(rig.received)).run()
        let sent = rig.received.bodies.count
        catalog.binaryLog?.position = 90_000
        rig.reader.catalog = catalog
        let moved = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_500_000).run()
        #expect(moved.changes == 0 && moved.batches == 0 && moved.committed)
        #expect(rig.received.bodies.count == sent)
        #expect(rig.reader.lastPrevious?.isDecoded == false)
        #expect(try rig.store.committed("shop")?.catalog.binaryLog?.position == 90_000)
        rig.reader.catalog = rig.generator.mutate(rig.reader.catalog)
        let changed = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_900_000).run()
        #expect(changed.changes > 0 && changed.committed)
        // What was sent replays to the committed catalog (whose log position no event carries).
        var committed = try #require(try rig.store.committed("shop")).catalog
        committed.binaryLog = nil
        #expect(try EventApplier.apply(rig.events(), to: nil) == committed)
    }

    /// A reader that asks for the whole previous catalog (MySQL, a view the server reports
    /// invalid) gets it decoded during the capture; the diff uses that same catalog.
    @Test func aReaderThatAsksForThePreviousCatalogGetsItDecoded() async throws {
        var rig = try Rig(readsPreviousCapture: true)
        defer { rig.remove() }
        _ = try await rig.sync(FailingSink(rig.received)).run()
        rig.reader.asksForThePreviousCatalog = true
        let quiet = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_500_000).run()
        #expect(quiet.changes == 0 && !quiet.committed)
        #expect(rig.reader.lastPrevious?.isDecoded == true)
        rig.reader.catalog = rig.generator.mutate(rig.reader.catalog)
        let changed = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_900_000).run()
        #expect(changed.changes > 0 && changed.committed)
        try rig.expectReplayEqualsCommitted()
    }

    /// A reader that does not read the previous capture (PostgreSQL) is given none.
    @Test func aReaderThatDoesNotReadThePreviousCaptureIsGivenNone() async throws {
        let rig = try Rig(readsPreviousCapture: false)
        defer { rig.remove() }
        _ = try await rig.sync(FailingSink(rig.received)).run()
        _ = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_500_000).run()
        #expect(rig.reader.lastPrevious == nil)
    }

    /// What only the next run needs (a binary log position) sends nothing but is recorded.
    @Test func onlyWhatTheNextRunNeedsMovedIsRecordedWithoutSending() async throws {
        let rig = try Rig(readsPreviousCapture: false)
        defer { rig.remove() }
        _ = try await rig.sync(FailingSink(rig.received)).run()
        let sent = rig.received.bodies.count
        var catalog = rig.reader.catalog
        catalog.binaryLog = BinaryLogPosition(file: "binlog.000042", position: 4, server: "id:1@h")
        rig.reader.catalog = catalog
        let moved = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_500_000).run()
        #expect(moved.changes == 0 && moved.committed)
        #expect(rig.received.bodies.count == sent)
        #expect(try rig.store.committed("shop")?.catalog.binaryLog == catalog.binaryLog)
    }

    /// A committed file in another layout (compact JSON: hand-edited, another writer) is
    /// decoded and compared: still no change.
    @Test func aCommittedFileInAnotherLayoutIsDecodedAndCompared() async throws {
        let rig = try Rig(readsPreviousCapture: false)
        defer { rig.remove() }
        _ = try await rig.sync(FailingSink(rig.received)).run()
        let path = try rig.store.snapshotLocation(of: "shop")
        let canonical = try #require(FileManager.default.contents(atPath: path))
        let compact = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: canonical))
        try compact.write(to: URL(fileURLWithPath: path))
        let quiet = try await rig.sync(FailingSink(rig.received), capturedAtMillis: 1_764_000_500_000).run()
        #expect(quiet.changes == 0 && quiet.batches == 0 && !quiet.committed)
        #expect(FileManager.default.contents(atPath: path) == compact)
    }
}
