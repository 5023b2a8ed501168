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
        var first: SourceLock? = try store.lock("a")
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
