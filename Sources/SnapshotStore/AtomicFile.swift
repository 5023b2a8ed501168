package import Foundation
import SystemSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing a file so that a reader sees the old bytes or the new ones, never a mix: write a
/// temporary file in the same folder, fsync it, rename it over the target, fsync the folder.
/// A failure (a full disk) leaves the target untouched and removes the temporary file.
/// The new file keeps the mode, owner and group of the one it replaces (as `sed -i` does),
/// so a file made readable to another account (node_exporter's, a 0640 file) stays so.
package enum AtomicFile {
    /// Replaces the file at `path` with `data` atomically; throws an `io` `SnapshotStoreError` on failure.
    ///
    /// A target that is not a regular file is never replaced: a device or a pipe
    /// (`/dev/null`, `/dev/stdout`, a FIFO) is written into as it is (a rename would put a
    /// plain file in its place, for everyone), and a folder is an error.
    package static func write(_ data: Data, to path: String) throws {
        var status = stat()
        let exists = stat(path, &status) == 0
        if exists && (status.st_mode & S_IFMT) != S_IFREG {
            guard (status.st_mode & S_IFMT) != S_IFDIR else {
                errno = EISDIR
                throw ioError(path, "cannot write a file over a folder")
            }
            try writeInPlace(data, to: path)
            return
        }
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = folder + "/." + (path as NSString).lastPathComponent + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError(temporary, "cannot create the temporary file") }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        do {
            if exists { try keepModeAndOwner(of: status, on: fd, path: temporary) }
            try writeAll(data, to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw ioError(temporary, "cannot flush to disk") }
            closed = true
            guard close(fd) == 0 else { throw ioError(temporary, "cannot close") }
            guard rename(temporary, path) == 0 else { throw ioError(path, "cannot replace") }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncFolder(folder)
    }

    /// `write(_:to:)` of bytes held in an array, without copying them into a `Data` first.
    package static func write(bytes: [UInt8], to path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return try write(Data(), to: path) }
            try write(
                Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: buffer.count, deallocator: .none),
                to: path)
        }
    }

    /// Replaces the file at `path` atomically with the content of the file at `source`, which
    /// is already flushed to disk: linked under a temporary name beside `path` (or, where the
    /// file system cannot link, copied there and flushed), given the replaced file's mode and
    /// owner, renamed over `path`, and the folder flushed. `source` is left as it is.
    package static func replace(_ path: String, with source: String) throws {
        var status = stat()
        let exists = stat(path, &status) == 0
        if exists && (status.st_mode & S_IFMT) != S_IFREG {
            guard let data = try read(source) else { throw ioError(source, "cannot read") }
            return try write(data, to: path)
        }
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = folder + "/." + (path as NSString).lastPathComponent + ".tmp-\(getpid())"
        unlink(temporary)
        if link(source, temporary) != 0 {
            try copy(source, to: temporary)
        }
        do {
            if exists {
                let fd = open(temporary, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw ioError(temporary, "cannot open") }
                defer { close(fd) }
                try keepModeAndOwner(of: status, on: fd, path: temporary)
            }
            guard rename(temporary, path) == 0 else { throw ioError(path, "cannot replace") }
        } catch {
            unlink(temporary)
            throw error
        }
        // Renaming a link over another link of the same file does nothing (POSIX): a commit
        // done again after a crash leaves the temporary name, removed here.
        unlink(temporary)
        try syncFolder(folder)
    }

    /// Copies a file block by block into a new file, flushed.
    private static func copy(_ source: String, to path: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw ioError(source, "cannot open") }
        defer { close(input) }
        let output = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw ioError(path, "cannot create the temporary file") }
        var closed = false
        defer {
            if !closed { close(output) }
        }
        do {
            var block = Data(count: 1 << 20)
            while true {
                let count = block.withUnsafeMutableBytes { readBlock(input, $0) }
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw ioError(source, "cannot read") }
                if count == 0 { break }
                try writeAll(block.prefix(count), to: output, path: path)
            }
            guard fsync(output) == 0 else { throw ioError(path, "cannot flush to disk") }
            closed = true
            guard close(output) == 0 else { throw ioError(path, "cannot close") }
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Gives the new file (before any byte is written) the replaced file's owner and group
    /// where this process may (the owner only as root; else the group, if this user is in
    /// it; else neither, as `sed -i`), then its mode.
    private static func keepModeAndOwner(of status: stat, on fd: Int32, path: String) throws {
        if fchown(fd, status.st_uid, status.st_gid) != 0 {
            _ = fchown(fd, uid_t.max, status.st_gid)
        }
        guard fchmod(fd, status.st_mode & 0o7777) == 0 else { throw ioError(path, "cannot set the mode") }
    }

    /// Writes into a device or pipe as it is.
    private static func writeInPlace(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError(path, "cannot open") }
        defer { close(fd) }
        try writeAll(data, to: fd, path: path)
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws {
        do {
            try FileIO.writeAll(data, to: fd, path: path)
        } catch {
            throw storeError(error)
        }
    }

    /// Reads a whole file; nil when it does not exist.
    package static func read(_ path: String) throws -> Data? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SnapshotStoreError(code: .io, path: path, message: "cannot read the file")
        }
        return data
    }

    /// Makes the folder (and its parents) if needed, each new one flushed into its parent.
    package static func makeFolder(_ path: String) throws {
        do {
            try FileIO.makeFolder(path)
        } catch {
            throw storeError(error)
        }
    }

    /// Flushes a folder's entries to disk; a failure is an error.
    static func syncFolder(_ folder: String) throws {
        do {
            try FileIO.syncFolder(folder)
        } catch {
            throw storeError(error)
        }
    }

    /// A failed system call as an `io` store error.
    static func storeError(_ error: SystemError) -> SnapshotStoreError {
        SnapshotStoreError(code: .io, path: error.path, message: "\(error.what): \(error.reason)", errno: error.errno)
    }

    static func ioError(_ path: String, _ what: String) -> SnapshotStoreError {
        let code = errno
        return SnapshotStoreError(
            code: .io, path: path, message: "\(what): \(String(cString: strerror(code)))", errno: code)
    }
}

/// `read(2)` into a buffer (outside `AtomicFile`, whose `read` reads a whole file); also
/// the journal's bodies file (JournalBodies.swift).
func readBlock(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(fd, buffer.baseAddress!, buffer.count)
}
