public import Foundation
public import SchemaModel

#if canImport(Glibc)
    import Glibc
#endif

/// A delivery in progress: the snapshot it will commit, the request bodies to send (computed
/// once, so a resumed delivery sends the same bytes), and how many are acknowledged.
///
/// ```
/// snapshots/<source>/pending/
///   snapshot.json   the snapshot to commit once every body is acknowledged
///   bodies.ndjson   the request bodies, one per line, in order
///   progress.json   {"acknowledged": N}
///   target.txt      where the bodies go (sink, engine, instance, project)
/// ```
public struct PendingDelivery: Sendable {
    /// The snapshot to commit when every body is acknowledged.
    public var snapshot: Snapshot
    /// The request bodies, in order.
    public var bodies: [Data]
    /// How many of `bodies` are acknowledged (sent and accepted), from the first.
    public var acknowledged: Int
    /// Where the bodies go: a resumed delivery must go to the same sink and envelope.
    public var target: String

    /// A delivery of `bodies` to `target`, then `snapshot`.
    public init(snapshot: Snapshot, bodies: [Data], acknowledged: Int = 0, target: String) {
        self.snapshot = snapshot
        self.bodies = bodies
        self.acknowledged = acknowledged
        self.target = target
    }

    /// Whether every body is acknowledged.
    public var isComplete: Bool { acknowledged >= bodies.count }

    /// The target of a delivery to the sink `sink` (its own target, without secrets) with
    /// the envelope's fixed fields; a retirement's teardown is marked as such, so that only
    /// `snapshot reset --retire` ever finishes it.
    public static func target(
        sink: String, engine: String, instanceID: String?, projectID: String?, retirement: Bool = false
    ) -> String {
        (retirement ? retirementMark : "")
            + "\(sink) engine=\(engine) instance_id=\(instanceID ?? "") project_id=\(projectID ?? "")"
    }

    /// Whether this is a retirement's teardown (`snapshot reset --retire`).
    public var isRetirement: Bool { target.hasPrefix(Self.retirementMark) }

    private static let retirementMark = "retire "
}

extension SnapshotStore {
    static let pendingFolder = "pending"

    /// The source's pending delivery, if an earlier run left one. A damaged one is an error:
    /// it is never dropped silently (that could lose events).
    public func pending(_ source: String) throws -> PendingDelivery? {
        let folder = try self.folder(of: source) + "/" + Self.pendingFolder
        guard FileManager.default.fileExists(atPath: folder) else { return nil }
        guard let snapshotData = try AtomicFile.read(folder + "/snapshot.json") else {
            throw SnapshotStoreError(code: .corrupt, path: folder, message: "the pending delivery has no snapshot.json")
        }
        let snapshot = try SnapshotCoder.decode(snapshotData, path: folder + "/snapshot.json")
        guard let bodiesData = try AtomicFile.read(folder + "/bodies.ndjson") else {
            throw SnapshotStoreError(code: .corrupt, path: folder, message: "the pending delivery has no bodies.ndjson")
        }
        let bodies = bodiesData.split(separator: 0x0A, omittingEmptySubsequences: true).map { Data($0) }
        let progressPath = folder + "/progress.json"
        guard let progressData = try AtomicFile.read(progressPath),
            let progress = try? JSONDecoder().decode([String: Int].self, from: progressData),
            let acknowledged = progress["acknowledged"], acknowledged >= 0, acknowledged <= bodies.count
        else {
            throw SnapshotStoreError(code: .corrupt, path: progressPath, message: "not a valid progress record")
        }
        let target = try AtomicFile.read(folder + "/target.txt").map { String(decoding: $0, as: UTF8.self) } ?? ""
        return PendingDelivery(snapshot: snapshot, bodies: bodies, acknowledged: acknowledged, target: target)
    }

    /// Records a delivery before its first body is sent: written whole in a temporary
    /// folder, flushed, then renamed into place, so a crash leaves all of it or none.
    public func beginDelivery(_ delivery: PendingDelivery, for source: String) throws {
        let folder = try self.folder(of: source)
        try AtomicFile.makeFolder(folder)
        let final = folder + "/" + Self.pendingFolder
        guard !FileManager.default.fileExists(atPath: final) else {
            throw SnapshotStoreError(
                code: .io, path: final, message: "a pending delivery exists already; finish it first")
        }
        let temporary = folder + "/.pending.tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        try AtomicFile.makeFolder(temporary)
        do {
            try AtomicFile.write(try SnapshotCoder.encode(delivery.snapshot), to: temporary + "/snapshot.json")
            var lines = Data()
            for body in delivery.bodies {
                lines.append(body)
                lines.append(0x0A)
            }
            try AtomicFile.write(lines, to: temporary + "/bodies.ndjson")
            try AtomicFile.write(Self.progress(delivery.acknowledged), to: temporary + "/progress.json")
            try AtomicFile.write(Data(delivery.target.utf8), to: temporary + "/target.txt")
            guard rename(temporary, final) == 0 else {
                throw AtomicFile.ioError(final, "cannot move the delivery into place")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        AtomicFile.syncFolder(folder)
    }

    /// Removes a pending delivery without committing it (a reset supersedes it): moved aside
    /// atomically, then deleted. Returns whether there was one.
    @discardableResult
    public func discardPending(_ source: String) throws -> Bool {
        let folder = try self.folder(of: source)
        let path = folder + "/" + Self.pendingFolder
        guard FileManager.default.fileExists(atPath: path) else { return false }
        try removeFolderAtomically(path, in: folder)
        return true
    }

    /// Renames a folder out of the way (a crash leaves it gone or whole, never half-deleted),
    /// flushes the parent, then deletes it.
    func removeFolderAtomically(_ path: String, in folder: String) throws {
        let doomed = folder + "/.pending.done-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard rename(path, doomed) == 0 else { throw AtomicFile.ioError(path, "cannot move aside") }
        AtomicFile.syncFolder(folder)
        try? FileManager.default.removeItem(atPath: doomed)
    }

    /// Deletes what an interrupted run left beside `pending/`: half-written or finished
    /// delivery folders (`.pending.tmp-*`, `.pending.done-*`). Call it under the lock.
    public func removeLeftovers(_ source: String) throws {
        let folder = try self.folder(of: source)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(".pending.tmp-") || entry.hasPrefix(".pending.done-") {
            try? FileManager.default.removeItem(atPath: folder + "/" + entry)
        }
    }

    /// Records that the first `acknowledged` bodies are delivered (atomically).
    public func recordProgress(_ acknowledged: Int, for source: String) throws {
        let path = try self.folder(of: source) + "/" + Self.pendingFolder + "/progress.json"
        try AtomicFile.write(Self.progress(acknowledged), to: path)
    }

    /// Commits the delivered snapshot and removes the pending delivery. Safe to run again
    /// after a crash between the two steps.
    public func completeDelivery(for source: String) throws {
        guard let delivery = try pending(source) else { return }
        guard delivery.isComplete else {
            throw SnapshotStoreError(
                code: .io, path: try folder(of: source),
                message:
                    "the delivery is not complete (\(delivery.acknowledged) of \(delivery.bodies.count) acknowledged)")
        }
        try commit(delivery.snapshot, for: source)
        let folder = try self.folder(of: source)
        try removeFolderAtomically(folder + "/" + Self.pendingFolder, in: folder)
    }

    private static func progress(_ acknowledged: Int) -> Data {
        Data("{\"acknowledged\":\(acknowledged)}\n".utf8)
    }
}
