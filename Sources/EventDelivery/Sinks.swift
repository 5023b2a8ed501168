package import Foundation
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Where request bodies go: DataArts Studio (with the delivery), an NDJSON file, stdout.
package protocol Sink: Sendable {
    /// Delivers one request body; returns when it is acknowledged (written, for a file), with
    /// how many attempts that took.
    @discardableResult func send(_ body: Data) async throws -> Delivered
    /// Where the bodies go (`file:/path`, `stdout`, an endpoint and project), without secrets:
    /// for messages.
    var target: String { get }
    /// The catalog the bodies reach, whatever the way to it (a URL, a proxy, credentials):
    /// what an interrupted delivery is bound to.
    var destination: SinkDestination { get }
}

/// The catalog a sink's bodies reach: the sink's kind and, within it, which catalog
/// (DataArts: the project id; a file: its absolute path; stdout: nothing).
package struct SinkDestination: Sendable, Hashable {
    /// `dataarts`, `file`, `stdout`, or a test sink's name.
    package var kind: String
    /// Which catalog of that kind.
    package var catalog: String

    /// The catalog `catalog` of sink kind `kind`.
    package init(kind: String, catalog: String) {
        self.kind = kind
        self.catalog = catalog
    }
}

/// What it took to deliver one body.
package struct Delivered: Sendable, Hashable {
    /// Requests made for it: 1, or more after retries.
    package var attempts: Int

    /// Delivered after `attempts` requests.
    package init(attempts: Int = 1) {
        self.attempts = attempts
    }
}

/// An error of a local sink: which file, what failed.
package struct SinkError: Error, CustomStringConvertible, Sendable {
    /// What failed, with the file and the system's reason.
    package var description: String

    /// An error saying `description`.
    package init(description: String) {
        self.description = description
    }
}

/// Appends each request body as one line of NDJSON to a file, flushed to disk before it
/// counts as delivered (`NDJSONFile.append`): under an exclusive lock on the file, so that
/// several sources, threads or processes writing to one file never lose or tear a line; a
/// partial last line (a full disk, a crash) is cut off before the next append, and a failed
/// write is undone, so a body sent again never lands glued to a fragment.
package struct FileSink: Sink {
    /// The file's path, as given.
    package var path: String

    /// A sink appending to `path` (created if missing).
    package init(path: String) {
        self.path = path
    }

    /// `file:` and the path.
    package var target: String { "file:" + path }

    /// `file` and the file's absolute path.
    package var destination: SinkDestination {
        SinkDestination(kind: "file", catalog: URL(fileURLWithPath: path).standardizedFileURL.path)
    }

    /// Appends the body and a newline, and flushes the file to disk.
    @discardableResult package func send(_ body: Data) async throws -> Delivered {
        do {
            try NDJSONFile.append(body, to: path)
        } catch {
            throw SinkError(description: "\(error)")
        }
        return Delivered()
    }
}

/// Writes each request body as one line to standard output (or another descriptor): each
/// line whole, behind one lock, so the bodies of sources synced in parallel never interleave.
package struct StdoutSink: Sink {
    private let fileDescriptor: Int32
    /// One lock for the process: every sink writing to a descriptor writes whole lines.
    private static let lock = LineLock()

    /// A sink writing to standard output, or to `fileDescriptor`.
    package init(fileDescriptor: Int32 = STDOUT_FILENO) {
        self.fileDescriptor = fileDescriptor
    }

    /// `stdout`.
    package var target: String { "stdout" }

    /// `stdout`: what reads it is not known.
    package var destination: SinkDestination { SinkDestination(kind: "stdout", catalog: "") }

    /// Writes the body and a newline, whole.
    @discardableResult package func send(_ body: Data) async throws -> Delivered {
        var line = body
        line.append(0x0A)
        try Self.lock.withLock { () throws(SystemError) in
            try FileIO.writeAll(line, to: fileDescriptor, path: "standard output")
        }
        return Delivered()
    }
}

/// The lock the whole line is written under.
private final class LineLock: @unchecked Sendable {
    private let lock = NSLock()

    func withLock(_ body: () throws(SystemError) -> Void) throws {
        lock.lock()
        defer { lock.unlock() }
        do {
            try body()
        } catch {
            throw SinkError(description: "\(error)")
        }
    }
}
