#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on one source's folder, held until this object is released.
///
/// `flock` on a lock file: the kernel releases it when the process exits, however it exits
/// (a SIGKILL included), so a crashed run never leaves a stale lock behind.
package final class SourceLock {
    private let fd: Int32
    /// The lock file.
    package let path: String

    /// Takes the lock without waiting; throws `.locked` if another process holds it.
    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFile.ioError(path, "cannot open the lock file") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw SnapshotStoreError(code: .locked, path: path, message: "another run holds this source's lock")
            }
            throw SnapshotStoreError(code: .io, path: path, message: "cannot lock", errno: code)
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
