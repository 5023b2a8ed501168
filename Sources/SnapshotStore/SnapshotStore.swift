package import Foundation
package import SchemaModel

/// The default snapshot store: plain files, one folder per source.
///
/// ```
/// snapshots/
///   <source>/
///     snapshot.json   the committed snapshot: what the catalog is known to have
///     lock            the per-source lock file (flock)
/// ```
/// The delivery journal (`pending/`) of the crash-safe sync lives beside them.
package struct SnapshotStore: Sendable {
    /// The store's root folder.
    package let root: String

    /// Creates a store over the folder `root`; nothing is created on disk until a write.
    package init(root: String) {
        self.root = root
    }

    /// The file name of a source's committed snapshot.
    package static let snapshotFileName = "snapshot.json"

    /// The folder of one source.
    package func folder(of source: String) throws -> String {
        try Self.validate(source)
        return root + "/" + source
    }

    /// The committed snapshot's path.
    package func snapshotPath(of source: String) throws -> String {
        try folder(of: source) + "/" + Self.snapshotFileName
    }

    /// The sources that have a folder in the store, sorted.
    package func sources() throws -> [String] {
        guard FileManager.default.fileExists(atPath: root) else { return [] }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: root)
        } catch {
            throw SnapshotStoreError(
                code: .io, path: root, message: "cannot list the store: \(error.localizedDescription)")
        }
        return entries.filter { name in
            var isFolder: ObjCBool = false
            return (try? Self.validate(name)) != nil
                && FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
    }

    /// The committed snapshot of a source; nil when the source has none yet. A file that
    /// exists but is not a complete snapshot is an error, never "none".
    package func committed(_ source: String) throws -> Snapshot? {
        guard let data = try committedBytes(source) else { return nil }
        return try decodeCommitted(data, of: source)
    }

    /// The committed snapshot's bytes, not decoded (a sync compares them with a new capture's
    /// before decoding anything); nil when the source has none yet.
    package func committedBytes(_ source: String) throws -> Data? {
        try AtomicFile.read(try snapshotPath(of: source))
    }

    /// Makes `snapshot` the committed one, atomically.
    package func commit(_ snapshot: Snapshot, for source: String) throws {
        let folder = try folder(of: source)
        try AtomicFile.makeFolder(folder)
        try AtomicFile.write(try SnapshotCoder.encode(snapshot), to: folder + "/" + Self.snapshotFileName)
    }

    /// Removes the committed snapshot (the next sync starts from nothing).
    package func forget(_ source: String) throws {
        let path = try snapshotPath(of: source)
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard unlink(path) == 0 else { throw AtomicFile.ioError(path, "cannot remove") }
        try AtomicFile.syncFolder(try folder(of: source))
    }

    /// Takes the source's exclusive lock, without waiting.
    package func lockFile(_ source: String) throws -> SourceLock {
        let folder = try folder(of: source)
        try AtomicFile.makeFolder(folder)
        return try SourceLock(path: folder + "/lock")
    }

    /// Source names become folder names: letters, digits, `.`, `_`, `-`, not starting with `.`.
    package static func validate(_ source: String) throws {
        let allowed = source.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "." || $0 == "_"
                || $0 == "-"
        }
        guard !source.isEmpty, allowed, !source.hasPrefix("."), source.utf8.count <= 128 else {
            throw SnapshotStoreError(
                code: .invalidSourceName, path: source,
                message:
                    "a source name is 1 to 128 characters of letters, digits, '.', '_' and '-', not starting with '.'")
        }
    }
}
