/// An error of the snapshot store: which file, what is wrong with it, what to do.
public struct SnapshotStoreError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. An open set.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code as messages spell it (`corrupt snapshot`).
        public var rawValue: String
        /// Creates a code from its text, whether or not this code knows it.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code as messages spell it: the raw value.
        public var description: String { rawValue }

        /// The file is not a valid snapshot (bad JSON, truncated, missing fields).
        public static let corrupt = Code(rawValue: "corrupt snapshot")
        /// The file was written by a newer schemasync.
        public static let unsupportedFormat = Code(rawValue: "unsupported snapshot format")
        /// Reading or writing failed (permissions, a full disk).
        public static let io = Code(rawValue: "I/O error")
        /// Another run holds the source's lock.
        public static let locked = Code(rawValue: "locked")
        /// A source name that cannot be a folder name.
        public static let invalidSourceName = Code(rawValue: "invalid source name")
        /// No snapshot for the source.
        public static let notFound = Code(rawValue: "not found")
    }

    /// What kind of failure this is.
    public var code: Code
    /// The file or folder concerned.
    public var path: String
    /// What went wrong, in a few words (with the system's reason for a failed call).
    public var message: String
    /// The `errno` of a failed system call.
    public var errno: Int32?

    /// Creates an error from its parts.
    public init(code: Code, path: String, message: String, errno: Int32? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.errno = errno
    }

    /// The message shown to the user: code, path, message, `errno`, and a hint where there is one.
    public var description: String {
        var text = "\(code): \(path): \(message)"
        if let errno { text += " (errno \(errno))" }
        switch code {
        case .corrupt:
            text +=
                "\nhint: the file was left as it is and not used; restore it (it is plain JSON, e.g. from git), "
                + "or record the live state again with `schemasync snapshot reset SOURCE --baseline`"
        case .unsupportedFormat:
            text += "\nhint: use the schemasync version that wrote it, or a newer one"
        case .locked:
            text += "\nhint: another schemasync run is working on this source; it exits on its own, try again later"
        case .io:
            text += "\nhint: check the folder's permissions and free disk space; nothing was replaced"
        default:
            break
        }
        return text
    }
}
