public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where request bodies go: DataArts Studio (with the delivery), an NDJSON file, stdout.
public protocol Sink: Sendable {
    /// Delivers one request body; returns when it is acknowledged (written, for a file).
    func send(_ body: Data) async throws
}

/// An error of a local sink: which file, what failed.
public struct SinkError: Error, CustomStringConvertible, Sendable {
    /// What failed, with the file and the system's reason.
    public var description: String
}

/// Appends each request body as one line of NDJSON to a file, flushed to disk before it
/// counts as delivered.
public struct FileSink: Sink {
    /// The file's path.
    public var path: String

    /// A sink appending to `path` (created if missing).
    public init(path: String) {
        self.path = path
    }

    /// Appends the body and a newline, and flushes the file to disk.
    public func send(_ body: Data) async throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SinkError(description: "\(path): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var line = body
        line.append(0x0A)
        try line.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SinkError(description: "\(path): cannot write: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
        guard fsync(fd) == 0 else {
            throw SinkError(description: "\(path): cannot flush: \(String(cString: strerror(errno)))")
        }
    }
}

/// Writes each request body as one line to standard output.
public struct StdoutSink: Sink {
    /// A sink writing to standard output.
    public init() {}

    /// Writes the body and a newline.
    public func send(_ body: Data) async throws {
        var line = body
        line.append(0x0A)
        try FileHandle.standardOutput.write(contentsOf: line)
    }
}
