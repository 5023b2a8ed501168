public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appending lines to an NDJSON file with one crash guarantee everywhere: a line is on disk
/// whole (flushed) when `append` returns, or not at all.
///
/// Each append takes an exclusive `flock` on the file (threads of one process and other
/// processes alike wait for it), cuts off a partial last line an earlier crash or full disk
/// left, writes the line, and flushes it, all under the lock; a failed write is undone. So
/// writers that share the file never cut off or tear each other's lines.
package enum NDJSONFile {
    /// Appends `line` and a newline to the file at `path` (created if missing, mode 0644).
    package static func append(_ line: Data, to path: String) throws(SystemError) {
        var bytes = line
        bytes.append(0x0A)
        let existed = access(path, F_OK) == 0
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError("cannot open", path: path) }
        defer { close(fd) }
        if !existed { try FileIO.syncFolder(FileIO.parent(of: path)) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw SystemError("cannot lock", path: path) }
        }
        defer { flock(fd, LOCK_UN) }
        let start = try endOfLastLine(fd, path: path)
        guard ftruncate(fd, start) == 0, lseek(fd, start, SEEK_SET) == start else {
            throw SystemError("cannot position", path: path)
        }
        do throws(SystemError) {
            try FileIO.writeAll(bytes, to: fd, path: path)
            guard fsync(fd) == 0 else { throw SystemError("cannot flush", path: path) }
        } catch {
            let failure = error
            _ = ftruncate(fd, start)
            _ = fsync(fd)
            throw failure
        }
    }

    /// The size of the file up to and including its last newline.
    private static func endOfLastLine(_ fd: Int32, path: String) throws(SystemError) -> off_t {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw SystemError("cannot stat", path: path) }
        var end = status.st_size
        var chunk = [UInt8](repeating: 0, count: 4096)
        while end > 0 {
            let size = Int(min(off_t(chunk.count), end))
            let read = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, size, end - off_t(size)) }
            guard read == size else { throw SystemError("cannot read", path: path) }
            if let last = chunk[0..<size].lastIndex(of: 0x0A) { return end - off_t(size) + off_t(last) + 1 }
            end -= off_t(size)
        }
        return 0
    }
}
