#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call: what was being done, on which path, and the `errno`.
package struct SystemError: Error, CustomStringConvertible, Sendable {
    /// What was being done (`cannot write`, `cannot flush the folder`).
    package var what: String
    /// The file or folder concerned.
    package var path: String
    /// The `errno` of the failed call.
    package var errno: Int32

    /// An error for `what` on `path` with the given `errno`.
    package init(_ what: String, path: String, errno code: Int32) {
        self.what = what
        self.path = path
        self.errno = code
    }

    /// An error for `what` on `path` with the current `errno`.
    package init(_ what: String, path: String) {
        self.init(what, path: path, errno: currentErrno())
    }

    /// The system's reason for `errno` (`No space left on device`).
    package var reason: String { String(cString: strerror(errno)) }

    /// `path: what: reason`.
    package var description: String { "\(path): \(what): \(reason)" }
}

private func currentErrno() -> Int32 { errno }
