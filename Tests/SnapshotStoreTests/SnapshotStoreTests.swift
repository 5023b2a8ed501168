import Foundation
import SchemaModel
import SnapshotStore
import Testing

/// A temporary folder for one test, removed afterwards.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/schemasync-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

@Suite struct SnapshotStoreTests {
    @Test func commitsAndReadsBack() throws {
        let folder = try TemporaryFolder()
        let store = SnapshotStore(root: folder.path + "/snapshots")
        #expect(try store.sources().isEmpty)
        #expect(try store.committed("orders") == nil)
        let snapshot = SnapshotCoderTests.snapshot(shuffled: true)
        try store.commit(snapshot, for: "orders")
        #expect(try store.sources() == ["orders"])
        #expect(try store.committed("orders")?.catalog == snapshot.catalog.canonicalized())
        // No temporary file is left beside the snapshot.
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/snapshots/orders")
        #expect(entries == ["snapshot.json"])
        try store.forget("orders")
        #expect(try store.committed("orders") == nil)
    }

    @Test func aCorruptFileIsAnErrorNeverEmpty() throws {
        let folder = try TemporaryFolder()
        let store = SnapshotStore(root: folder.path)
        try store.commit(SnapshotCoderTests.snapshot(shuffled: false), for: "src")
        let path = try store.snapshotPath(of: "src")
        let bytes = try #require(FileManager.default.contents(atPath: path))
        try bytes.prefix(100).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: SnapshotStoreError.self) { try store.committed("src") }
        #expect(error.code == .corrupt)
        #expect(error.description.contains(path))
        // The file is left as it was, for the user to inspect.
        #expect(FileManager.default.contents(atPath: path) == bytes.prefix(100))
    }

    @Test func oneLockPerSource() throws {
        let folder = try TemporaryFolder()
        let store = SnapshotStore(root: folder.path)
        var first: (any StoreLock)? = try store.lock("a")
        let error = try #require(throws: SnapshotStoreError.self) { try store.lock("a") }
        #expect(error.code == .locked)
        let other = try store.lock("b")
        _ = other
        _ = first
        first = nil
        #expect(throws: Never.self) { _ = try store.lock("a") }
    }

    @Test(arguments: ["", ".hidden", "a/b", "../up", "with space", "ünï", String(repeating: "x", count: 129)])
    func refusesNamesThatAreNotFolderNames(name: String) throws {
        let store = SnapshotStore(root: "/nonexistent")
        let error = try #require(throws: SnapshotStoreError.self) { try store.folder(of: name) }
        #expect(error.code == .invalidSourceName)
    }

    @Test func atomicWriteReplacesWhole() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/file.json"
        try AtomicFile.write(Data("old".utf8), to: path)
        try AtomicFile.write(Data("new contents".utf8), to: path)
        #expect(FileManager.default.contents(atPath: path) == Data("new contents".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["file.json"])
    }

    @Test func aPipeOrDeviceIsWrittenIntoNeverReplaced() throws {
        let folder = try TemporaryFolder()
        let fifo = folder.path + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        // A reader on the other end (bounded: it stops at end of file).
        nonisolated(unsafe) var received = Data()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            received = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data()
            done.signal()
        }
        try AtomicFile.write(Data("through the pipe".utf8), to: fifo)
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(received == Data("through the pipe".utf8))
        var status = stat()
        #expect(stat(fifo, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO)

        let error = try #require(throws: SnapshotStoreError.self) {
            try AtomicFile.write(Data("x".utf8), to: folder.path)
        }
        #expect(error.errno == EISDIR)
    }

    @Test func atomicWriteIntoAMissingFolderFailsCleanly() throws {
        let folder = try TemporaryFolder()
        let error = try #require(throws: SnapshotStoreError.self) {
            try AtomicFile.write(Data("x".utf8), to: folder.path + "/missing/file.json")
        }
        #expect(error.code == .io)
        #expect(error.errno == ENOENT)
    }
}

/// The pending-delivery journal: a damaged one is reported as damaged (65), never taken for
/// another destination or for a shorter delivery.
@Suite struct DeliveryJournalTests {
    static let destination = DeliveryDestination(
        source: "src", sinkKind: "dataarts", sinkCatalog: "p1", engine: "DWS", instanceID: "i", projectID: nil)

    /// A store holding a pending delivery of three bodies, one acknowledged.
    static func journal() throws -> (TemporaryFolder, SnapshotStore, String) {
        let folder = try TemporaryFolder()
        let store = SnapshotStore(root: folder.path + "/snapshots")
        try store.beginDelivery(
            snapshot: SnapshotCoderTests.snapshot(shuffled: false),
            bodies: [Data("{\"a\":1}".utf8), Data("{\"b\":2}".utf8), Data("{\"c\":3}".utf8)],
            destination: destination, sentTo: "dataarts:http://127.0.0.1:1 project=p1", for: "src")
        try store.recordProgress(1, for: "src")
        return (folder, store, folder.path + "/snapshots/src/pending")
    }

    @Test func readsBackWhatWasRecorded() throws {
        let (folder, store, _) = try Self.journal()
        let pending = try #require(try store.pending("src"))
        #expect(pending.bodies.count == 3 && pending.acknowledged == 1)
        #expect(pending.destination == Self.destination && pending.purpose == .sync)
        #expect(pending.sentTo == "dataarts:http://127.0.0.1:1 project=p1")
        withExtendedLifetime(folder) {}
    }

    /// A crash while the journal is written leaves its temporary folder, never `pending/`:
    /// nothing is pending, and the next run removes it under the lock.
    @Test func aJournalHalfWrittenByACrashIsNotPending() throws {
        let folder = try TemporaryFolder()
        let store = SnapshotStore(root: folder.path + "/snapshots")
        let half = folder.path + "/snapshots/src/.pending.tmp-99999"
        try FileManager.default.createDirectory(atPath: half, withIntermediateDirectories: true)
        try SnapshotCoder.encode(SnapshotCoderTests.snapshot(shuffled: false)).write(
            to: URL(fileURLWithPath: half + "/snapshot.json"))
        try Data("{\"a\":1}\n{\"b\"".utf8).write(to: URL(fileURLWithPath: half + "/bodies.ndjson"))
        #expect(try store.pending("src") == nil)
        try store.removeLeftovers("src")
        #expect(!FileManager.default.fileExists(atPath: half))
        try store.beginDelivery(
            snapshot: SnapshotCoderTests.snapshot(shuffled: false), bodies: [Data("{}".utf8)],
            destination: Self.destination, sentTo: "x", for: "src")
        #expect(try store.pending("src")?.bodies.all() == [Data("{}".utf8)])
    }

    /// The completion commits the journal's `snapshot.json` as it is (the canonical bytes,
    /// never encoded again), keeping the replaced file's mode; a crash after the commit and
    /// before the journal is removed commits the same bytes again and leaves no temporary file.
    @Test(arguments: [false, true])
    func theCompletionCommitsTheJournalsSnapshotBytes(crashAfterTheCommit: Bool) throws {
        let (folder, store, pending) = try Self.journal()
        let source = folder.path + "/snapshots/src"
        var earlier = SnapshotCoderTests.snapshot(shuffled: true)
        earlier.capturedAt = "2020-01-01T00:00:00.000Z"
        try store.commit(earlier, for: "src")
        #expect(chmod(source + "/snapshot.json", 0o640) == 0)
        let journalBytes = try Data(contentsOf: URL(fileURLWithPath: pending + "/snapshot.json"))
        #expect(journalBytes == (try SnapshotCoder.encode(SnapshotCoderTests.snapshot(shuffled: false))))
        #expect(try store.committedBytes("src") != journalBytes)
        try store.recordProgress(3, for: "src")
        if crashAfterTheCommit {
            // The crash: the commit done, the journal still there.
            try AtomicFile.replace(source + "/snapshot.json", with: pending + "/snapshot.json")
        }
        #expect(try store.pending("src") != nil)
        try store.completeDelivery(for: "src")
        #expect(try store.pending("src") == nil)
        #expect(try store.committedBytes("src") == journalBytes)
        var status = stat()
        #expect(stat(source + "/snapshot.json", &status) == 0 && status.st_mode & 0o777 == 0o640)
        let entries = try FileManager.default.contentsOfDirectory(atPath: source)
        #expect(entries.contains("snapshot.json") && !entries.contains("pending"), "\(entries)")
        #expect(!entries.contains { $0.hasPrefix(".") }, "\(entries)")
    }

    /// A journal whose snapshot an earlier version wrote in another layout: made canonical
    /// when read back, so that the completion, which commits its bytes, commits canonical ones.
    @Test func aJournalSnapshotInAnotherLayoutIsCommittedCanonical() throws {
        let (folder, store, pending) = try Self.journal()
        let canonical = try SnapshotCoder.encode(SnapshotCoderTests.snapshot(shuffled: false))
        let compact = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: canonical))
        #expect(compact != canonical)
        try compact.write(to: URL(fileURLWithPath: pending + "/snapshot.json"))
        try store.recordProgress(3, for: "src")
        try store.completeDelivery(for: "src")
        #expect(try store.committedBytes("src") == canonical)
        withExtendedLifetime(folder) {}
    }

    /// A body the journal could not read back as written (empty, or spanning lines) is refused
    /// when recorded, and nothing is recorded.
    @Test(arguments: [Data(), Data("{\"a\":\n1}".utf8)])
    func aBodyThatIsNotOneLineIsRefused(body: Data) throws {
        let folder = try TemporaryFolder()
        let store = SnapshotStore(root: folder.path + "/snapshots")
        #expect(throws: SnapshotStoreError.self) {
            try store.beginDelivery(
                snapshot: SnapshotCoderTests.snapshot(shuffled: false), bodies: [Data("{}".utf8), body],
                destination: Self.destination, sentTo: "x", for: "src")
        }
        #expect(try store.pending("src") == nil)
    }

    @Test(arguments: ["target.json", "snapshot.json", "bodies.ndjson", "progress.ndjson"])
    func aMissingFileIsADamagedJournal(file: String) throws {
        let (folder, store, pending) = try Self.journal()
        try FileManager.default.removeItem(atPath: pending + "/" + file)
        let error = #expect(throws: SnapshotStoreError.self) { try store.pending("src") }
        #expect(error?.code == .damagedJournal)
        #expect(error?.description.contains(file) == true)
        #expect(error?.description.contains("--empty") == true && error?.description.contains("--baseline") == false)
        withExtendedLifetime(folder) {}
    }

    @Test(arguments: [
        "{\"a\":1}\n{\"b\":2}\n", "{\"a\":1}\n{\"b\":2}\n{\"c\"", "", "{\"a\":1}\n\n{\"b\":2}\n{\"c\":3}\n",
        "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n\n",
    ])
    func aTruncatedBodiesFileIsADamagedJournal(bodies: String) throws {
        let (folder, store, pending) = try Self.journal()
        try Data(bodies.utf8).write(to: URL(fileURLWithPath: pending + "/bodies.ndjson"))
        let error = #expect(throws: SnapshotStoreError.self) { try store.pending("src") }
        #expect(error?.code == .damagedJournal)
        #expect(error?.description.contains("bodies.ndjson") == true)
        withExtendedLifetime(folder) {}
    }

    /// A crash while a progress record is flushed can leave part of its line: the record
    /// before it counts (so at most the body in flight is sent again), and the next record
    /// cuts the part off instead of gluing itself to it.
    @Test(arguments: ["{\"acknowledged\":3}", "{\"acknowledged\":", "{\"ackn", "3"])
    func aCutLastProgressLineIsNotRead(cut: String) throws {
        let (folder, store, pending) = try Self.journal()
        try store.recordProgress(2, for: "src")
        let path = pending + "/progress.ndjson"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(cut.utf8))
        try handle.close()
        #expect(try store.pending("src")?.acknowledged == 2)
        try store.recordProgress(3, for: "src")
        let lines = try String(contentsOfFile: path, encoding: .utf8)
        #expect(lines == (0...3).map { "{\"acknowledged\":\($0)}\n" }.joined())
        #expect(try store.pending("src")?.acknowledged == 3)
        withExtendedLifetime(folder) {}
    }

    @Test(arguments: ["", "{\"acknowledged\":1}\nnonsense\n", "{\"acknowledged\":4}\n", "{\"acknowledged\":-1}\n"])
    func anUnreadableProgressRecordIsADamagedJournal(progress: String) throws {
        let (folder, store, pending) = try Self.journal()
        try Data(progress.utf8).write(to: URL(fileURLWithPath: pending + "/progress.ndjson"))
        let error = #expect(throws: SnapshotStoreError.self) { try store.pending("src") }
        #expect(error?.code == .damagedJournal)
        #expect(error?.description.contains("progress.ndjson") == true)
        withExtendedLifetime(folder) {}
    }

    /// A journal of format 2 (schemasync before progress.ndjson) keeps its `progress.json`:
    /// read, and replaced after each body as that format was.
    @Test func aFormat2JournalKeepsItsProgressFile() throws {
        let (folder, store, pending) = try Self.journal()
        let target = pending + "/target.json"
        let record = try String(contentsOfFile: target, encoding: .utf8)
        #expect(record.contains("\"format\":3"))
        try Data(record.replacingOccurrences(of: "\"format\":3", with: "\"format\":2").utf8).write(
            to: URL(fileURLWithPath: target))
        try FileManager.default.removeItem(atPath: pending + "/progress.ndjson")
        try Data("{\"acknowledged\":1}\n".utf8).write(to: URL(fileURLWithPath: pending + "/progress.json"))
        #expect(try store.pending("src")?.acknowledged == 1)
        try store.recordProgress(2, for: "src")
        #expect(try store.pending("src")?.acknowledged == 2)
        #expect(!FileManager.default.fileExists(atPath: pending + "/progress.ndjson"))
        #expect(try String(contentsOfFile: pending + "/progress.json", encoding: .utf8) == "{\"acknowledged\":2}\n")
        try FileManager.default.removeItem(atPath: pending + "/progress.json")
        let error = #expect(throws: SnapshotStoreError.self) { try store.pending("src") }
        #expect(error?.description.contains("progress.json") == true)
        withExtendedLifetime(folder) {}
    }

    @Test func aJournalOfTheEarlierFormatIsStillFinished() throws {
        let (folder, store, pending) = try Self.journal()
        try FileManager.default.removeItem(atPath: pending + "/target.json")
        // 0.1.0's progress record.
        try FileManager.default.removeItem(atPath: pending + "/progress.ndjson")
        try Data("{\"acknowledged\":1}\n".utf8).write(to: URL(fileURLWithPath: pending + "/progress.json"))
        try Data("dataarts:http://127.0.0.1:9 project=p1 engine=DWS instance_id=i project_id=".utf8).write(
            to: URL(fileURLWithPath: pending + "/target.txt"))
        let legacy = try #require(try store.pending("src"))
        #expect(legacy.destination == Self.destination && legacy.purpose == .sync && legacy.bodies.count == 3)
        try Data("retire file:/tmp/a b.ndjson engine=X instance_id= project_id=P".utf8).write(
            to: URL(fileURLWithPath: pending + "/target.txt"))
        let retirement = try #require(try store.pending("src"))
        #expect(retirement.purpose == .retirement)
        #expect(retirement.destination.sinkKind == "file" && retirement.destination.sinkCatalog == "/tmp/a b.ndjson")
        #expect(retirement.destination.projectID == "P" && retirement.destination.instanceID == nil)
        withExtendedLifetime(folder) {}
    }
}
