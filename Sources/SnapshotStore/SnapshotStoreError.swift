/// An error of the snapshot store: which file, what is wrong with it, what to do.
package struct SnapshotStoreError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. An open set.
    package struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code as messages spell it (`corrupt snapshot`).
        package var rawValue: String
        /// Creates a code from its text, whether or not this code knows it.
        package init(rawValue: String) { self.rawValue = rawValue }
        /// The code as messages spell it: the raw value.
        package var description: String { rawValue }

        /// The file is not a valid snapshot (bad JSON, truncated, missing fields).
        package static let corrupt = Code(rawValue: "corrupt snapshot")
        /// The delivery journal (`pending/`) is damaged: a file missing or unreadable, fewer
        /// bodies than it recorded, a cut line.
        package static let damagedJournal = Code(rawValue: "damaged delivery journal")
        /// The file was written by a newer schemasync.
        package static let unsupportedFormat = Code(rawValue: "unsupported snapshot format")
        /// Reading or writing failed (permissions, a full disk).
        package static let io = Code(rawValue: "I/O error")
        /// Another run holds the source's lock.
        package static let locked = Code(rawValue: "locked")
        /// The lock was lost mid-delivery (a shared store's session ended, or another runner
        /// took the source over): this run stops before its next request.
        package static let lockLost = Code(rawValue: "lock lost")
        /// A store written by a newer schemasync, or one that is not set up.
        package static let unsupportedStore = Code(rawValue: "unsupported store")
        /// A source name that cannot be a folder name.
        package static let invalidSourceName = Code(rawValue: "invalid source name")
        /// No snapshot for the source.
        package static let notFound = Code(rawValue: "not found")
    }

    /// What kind of failure this is.
    package var code: Code
    /// The file or folder concerned.
    package var path: String
    /// What went wrong, in a few words (with the system's reason for a failed call).
    package var message: String
    /// The `errno` of a failed system call.
    package var errno: Int32?

    /// Creates an error from its parts.
    package init(code: Code, path: String, message: String, errno: Int32? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.errno = errno
    }

    /// The message shown to the user: code, path, message, `errno`, and a hint where there is one.
    package var description: String {
        var text = "\(code): \(path): \(message)"
        if let errno { text += " (errno \(errno))" }
        switch code {
        case .corrupt:
            text +=
                "\nhint: the file was left as it is and not used; restore it (it is plain JSON, e.g. from git), "
                + "or record the live state again with `schemasync snapshot reset SOURCE --baseline`"
        case .damagedJournal:
            text +=
                "\nhint: it was left as it is and nothing was sent; restore the file if you can, or discard the "
                + "interrupted delivery with `schemasync snapshot reset SOURCE --empty`: the next sync then sends the "
                + "whole catalog again, so no event is lost"
        case .unsupportedFormat:
            text += "\nhint: use the schemasync version that wrote it, or a newer one"
        case .locked:
            text += "\nhint: another schemasync run is working on this source; it exits on its own, try again later"
        case .lockLost:
            text +=
                "\nhint: nothing more was sent by this run; the pending delivery is finished by whichever run holds "
                + "the source next (only the request in flight may arrive twice)"
        case .io where path.hasPrefix("postgres") || path.contains("="):
            text +=
                "\nhint: check that the store's server is reachable, the role's password (PGPASSWORD, ~/.pgpass, a "
                + "service file) and its privileges on the store's schema; nothing was recorded"
        case .io:
            text += "\nhint: check the folder's permissions and free disk space; nothing was replaced"
        default:
            break
        }
        return text
    }
}
