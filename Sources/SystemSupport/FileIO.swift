public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whole writes to a file descriptor, and folder flushes: the loops every writer needs.
package enum FileIO {
    /// Writes every byte of `data` to `fd`, going on after a short write or `EINTR`.
    package static func writeAll(_ data: Data, to fd: Int32, path: String) throws(SystemError) {
        let failure: SystemError? = data.withUnsafeBytes { buffer -> SystemError? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return SystemError("cannot write", path: path)
                }
                offset += written
            }
            return nil
        }
        if let failure { throw failure }
    }

    /// Flushes a folder's entries (a created, renamed or removed name) to disk. A failure is
    /// an error: a rename that is not on disk may be undone by a crash.
    package static func syncFolder(_ path: String) throws(SystemError) {
        let folder = path.isEmpty ? "." : path
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("cannot open the folder to flush it", path: folder) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SystemError("cannot flush the folder", path: folder) }
    }

    /// The folder holding `path` (`.` for a bare name).
    package static func parent(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    /// Makes the folder and any missing parents; each folder made is flushed into its parent,
    /// so a crash cannot leave a file whose folder's name was never on disk.
    package static func makeFolder(_ path: String) throws(SystemError) {
        var missing: [String] = []
        var current = path
        var status = stat()
        while !current.isEmpty, current != "/", current != "." {
            if stat(current, &status) == 0 {
                guard (status.st_mode & S_IFMT) == S_IFDIR else {
                    throw SystemError("not a folder", path: current, errno: ENOTDIR)
                }
                break
            }
            guard errno == ENOENT else { throw SystemError("cannot look at the folder", path: current) }
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() {
            if mkdir(folder, 0o755) != 0 && errno != EEXIST {
                throw SystemError("cannot create the folder", path: folder)
            }
            try syncFolder(parent(of: folder))
        }
    }
}
