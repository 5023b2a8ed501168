public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where request bodies go: DataArts Studio (with the delivery), an NDJSON file, stdout.
public protocol Sink: Sendable {
    /// Delivers one request body; returns when it is acknowledged (written, for a file), with
    /// how many attempts that took.
    @discardableResult func send(_ body: Data) async throws -> Delivered
    /// Where the bodies go (`file:/path`, `stdout`, an endpoint and project), without secrets.
    var target: String { get }
}

/// What it took to deliver one body.
public struct Delivered: Sendable, Hashable {
    /// Requests made for it: 1, or more after retries.
    public var attempts: Int

    /// Delivered after `attempts` requests.
    public init(attempts: Int = 1) {
        self.attempts = attempts
    }
}

/// An error of a local sink: which file, what failed.
public struct SinkError: Error, CustomStringConvertible, Sendable {
    /// What failed, with the file and the system's reason.
    public var description: String
}

/// Appends each request body as one line of NDJSON to a file, flushed to disk before it
/// counts as delivered. A line is written whole or not at all: a partial last line (a full
/// disk, a crash, a file size limit) is cut off before the next append, and a failed write
/// is undone, so a body sent again never lands glued to a fragment.
public struct FileSink: Sink {
    /// The file's path.
    public var path: String

    /// A sink appending to `path` (created if missing).
    public init(path: String) {
        self.path = path
    }

    /// `file:` and the path.
    public var target: String { "file:" + path }

    /// Appends the body and a newline, and flushes the file to disk.
    @discardableResult public func send(_ body: Data) async throws -> Delivered {
        let existed = FileManager.default.fileExists(atPath: path)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot open") }
        defer { close(fd) }
        if !existed { syncFolder() }
        let start = try endOfLastLine(fd)
        guard ftruncate(fd, start) == 0, lseek(fd, start, SEEK_SET) == start else { throw failure("cannot position") }
        var line = body
        line.append(0x0A)
        do {
            try line.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw failure("cannot write")
                    }
                    offset += written
                }
            }
            guard fsync(fd) == 0 else { throw failure("cannot flush") }
        } catch {
            _ = ftruncate(fd, start)
            _ = fsync(fd)
            throw error
        }
        return Delivered()
    }

    /// The size of the file up to and including its last newline.
    private func endOfLastLine(_ fd: Int32) throws -> off_t {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw failure("cannot stat") }
        var end = status.st_size
        var byte: UInt8 = 0
        while end > 0 {
            guard pread(fd, &byte, 1, end - 1) == 1 else { throw failure("cannot read") }
            if byte == 0x0A { break }
            end -= 1
        }
        return end
    }

    private func syncFolder() {
        let folder = (path as NSString).deletingLastPathComponent
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    private func failure(_ what: String) -> SinkError {
        SinkError(description: "\(path): \(what): \(String(cString: strerror(errno)))")
    }
}

/// Writes each request body as one line to standard output.
public struct StdoutSink: Sink {
    /// A sink writing to standard output.
    public init() {}

    /// `stdout`.
    public var target: String { "stdout" }

    /// Writes the body and a newline.
    @discardableResult public func send(_ body: Data) async throws -> Delivered {
        var line = body
        line.append(0x0A)
        try FileHandle.standardOutput.write(contentsOf: line)
        return Delivered()
    }
}
