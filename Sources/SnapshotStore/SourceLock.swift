#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a lock file (one source's folder's, or the metrics file's), held
/// until this object is released.
///
/// `flock` on a lock file: the kernel releases it when the process exits, however it exits
/// (a SIGKILL included), so a crashed run never leaves a stale lock behind.
package final class SourceLock: Sendable {
    private let fd: Int32
    /// The lock file.
    package let path: String

    /// Takes the lock without waiting; throws `.locked` if another process holds it.
    convenience init(path: String) throws {
        try self.init(path: path, attempts: 1, busy: "another run holds this source's lock")
    }

    /// Takes the lock, waiting up to `seconds` for another process (or another open of the
    /// same file in this process) to release it; throws `.locked` after that. For locks held
    /// only for a moment (a read-modify-write of a small file).
    public convenience init(path: String, waitingUpTo seconds: Double) throws {
        try self.init(
            path: path, attempts: max(1, Int(seconds * 50)),
            busy: "another run held this lock for more than \(Int(seconds)) s")
    }

    /// Tries `flock` up to `attempts` times, 20 ms apart.
    private init(path: String, attempts: Int, busy: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFile.ioError(path, "cannot open the lock file") }
        var attempt = 1
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard (code == EWOULDBLOCK || code == EINTR) && attempt < attempts else {
                close(fd)
                if code == EWOULDBLOCK {
                    throw SnapshotStoreError(code: .locked, path: path, message: busy)
                }
                throw SnapshotStoreError(code: .io, path: path, message: "cannot lock", errno: code)
            }
            attempt += 1
            usleep(20_000)
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
