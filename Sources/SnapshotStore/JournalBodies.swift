package import Foundation
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The request bodies of a recorded delivery, read back from the journal one at a time when
/// they are sent: memory holds the body in flight, never the whole delivery.
package protocol RecordedBodies: Sendable {
    /// How many bodies the delivery holds.
    var count: Int { get }
    /// Body `index` (from 0), byte for byte as recorded. A body that cannot be read back is a
    /// `damagedJournal` (or `io`) error.
    func body(_ index: Int) throws -> Data
}

extension RecordedBodies {
    /// Every body, in order (for tests and small deliveries).
    package func all() throws -> [Data] {
        try (0..<count).map { try body($0) }
    }
}

/// The folder store's `bodies.ndjson`: one body per line. Written by `JournalBodiesFile.Writer`
/// (appended as the bodies are made, then flushed); read by line offsets, found by one pass
/// over the file in blocks when an interrupted delivery is read back.
struct JournalBodiesFile: RecordedBodies {
    /// The file.
    let path: String
    /// Where each line starts, and one more: where the last one ends (after its newline).
    let starts: [Int]

    var count: Int { max(0, starts.count - 1) }

    func body(_ index: Int) throws -> Data {
        precondition(index >= 0 && index < count, "body \(index) of \(count)")
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AtomicFile.ioError(path, "cannot open the journal's bodies") }
        defer { close(fd) }
        let length = starts[index + 1] - starts[index] - 1
        var data = Data(count: length)
        var done = 0
        var error: Int32 = 0
        let failed = data.withUnsafeMutableBytes { buffer -> Bool in
            while done < length {
                let read = pread(fd, buffer.baseAddress! + done, length - done, off_t(starts[index] + done))
                if read < 0 && errno == EINTR { continue }
                if read < 0 { error = errno }
                guard read > 0 else { return true }
                done += read
            }
            return false
        }
        // A read that fails is an I/O error (it may pass: the journal is kept); a file
        // shorter than recorded is damage.
        if failed && error != 0 {
            errno = error
            throw AtomicFile.ioError(path, "cannot read body \(index + 1) of the journal")
        }
        guard !failed else {
            throw SnapshotStoreError(
                code: .damagedJournal, path: path,
                message: "the interrupted delivery's journal: body \(index + 1) cannot be read back (the file is short)"
            )
        }
        return data
    }

    /// The lines of an existing file: nil when its last line is cut (no newline at the end).
    static func scan(_ path: String) throws -> JournalBodiesFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw AtomicFile.ioError(path, "cannot open the journal's bodies") }
        defer { close(fd) }
        var starts = [0]
        var offset = 0
        var block = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let read = block.withUnsafeMutableBytes { readBlock(fd, $0) }
            if read < 0 && errno == EINTR { continue }
            guard read >= 0 else { throw AtomicFile.ioError(path, "cannot read the journal's bodies") }
            if read == 0 { break }
            for index in 0..<read where block[index] == 0x0A {
                starts.append(offset + index + 1)
            }
            offset += read
        }
        guard starts.last == offset else { return nil }
        // The writer never writes an empty line: one is damage, never a body read short.
        for (start, end) in zip(starts, starts.dropFirst()) where end - start < 2 {
            throw SnapshotStoreError(
                code: .damagedJournal, path: path,
                message:
                    "the interrupted delivery's journal: an empty line where body \(starts.firstIndex(of: start)! + 1) was"
            )
        }
        return JournalBodiesFile(path: path, starts: starts)
    }

    /// Appends bodies to a new `bodies.ndjson`, each as one line, as they are made; `finish`
    /// flushes the file to disk and gives the offsets to read them back by.
    final class Writer {
        private let path: String
        private let fd: Int32
        private var starts = [0]
        private var closed = false

        init(path: String) throws {
            self.path = path
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw AtomicFile.ioError(path, "cannot create the journal's bodies") }
        }

        deinit {
            if !closed { close(fd) }
        }

        /// Writes `body` and its newline. A body holds no raw newline (JSON text on one line)
        /// and is never empty: anything else could not be read back as it was written.
        func append(_ body: Data) throws {
            let oneLine = body.withUnsafeBytes { raw in
                raw.count > 0 && memchr(raw.baseAddress!, 0x0A, raw.count) == nil
            }
            guard oneLine else {
                throw SnapshotStoreError(
                    code: .io, path: path, message: "a request body to record is empty or spans lines (a bug)")
            }
            do {
                var line = body
                line.append(0x0A)
                try FileIO.writeAll(line, to: fd, path: path)
            } catch {
                throw AtomicFile.storeError(error)
            }
            starts.append(starts[starts.count - 1] + body.count + 1)
        }

        /// Flushes and closes the file; the bodies are then read back from `path` (the file
        /// as it will be named once the journal is in place).
        func finish(readFrom path: String) throws -> JournalBodiesFile {
            guard fsync(fd) == 0 else { throw AtomicFile.ioError(self.path, "cannot flush to disk") }
            closed = true
            guard close(fd) == 0 else { throw AtomicFile.ioError(self.path, "cannot close") }
            return JournalBodiesFile(path: path, starts: starts)
        }
    }
}
