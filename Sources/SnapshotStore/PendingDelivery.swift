package import Foundation
package import SchemaModel
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A delivery in progress: the request bodies to send (computed once and recorded, so a
/// resumed delivery sends the same bytes; read back from the journal one at a time), how
/// many are acknowledged, and where they go. The snapshot it commits stays in the journal.
///
/// ```
/// snapshots/<source>/pending/
///   snapshot.json   the snapshot to commit once every body is acknowledged (a sync): its
///                   canonical bytes, which become the committed `snapshot.json` as they
///                   are; or the snapshot being torn down (a retirement)
///   bodies.ndjson   the request bodies, one per line, in order, appended as they are made
///   target.json     what the delivery is and where it goes: its purpose, its destination
///                   catalog, how many bodies it holds
///   progress.ndjson {"acknowledged": N} per line: one line appended and flushed per
///                   acknowledged body (the last whole line counts; a cut last line, left by
///                   a crash, is not read and is cut off by the next append)
/// ```
///
/// A journal of format 2 (before progress.ndjson) has `progress.json`, `{"acknowledged": N}`
/// replaced atomically after each body; it is still read, and finished the same way.
package struct PendingDelivery: Sendable {
    /// What a delivery is for, which decides what its completion does.
    package enum Purpose: String, Sendable, Hashable, Codable {
        /// A sync: once every body is acknowledged, its snapshot is committed.
        case sync
        /// A retirement's teardown (`snapshot reset --retire`): once every body is
        /// acknowledged, the source's snapshot is forgotten.
        case retirement
    }

    /// The request bodies, in order, read from the journal.
    package var bodies: any RecordedBodies
    /// How many of `bodies` are acknowledged (sent and accepted), from the first.
    package var acknowledged: Int
    /// The catalog the bodies go to: a resumed delivery must reach the same one.
    package var destination: DeliveryDestination
    /// A sync's delivery or a retirement's teardown.
    package var purpose: Purpose
    /// The sink's own description when the delivery began (an endpoint's URL, a file), for
    /// messages only: a delivery is bound to its destination, not to this.
    package var sentTo: String

    /// A recorded delivery of `bodies` to `destination`.
    package init(
        bodies: any RecordedBodies, acknowledged: Int = 0, destination: DeliveryDestination, purpose: Purpose = .sync,
        sentTo: String
    ) {
        self.bodies = bodies
        self.acknowledged = acknowledged
        self.destination = destination
        self.purpose = purpose
        self.sentTo = sentTo
    }

    /// Whether every body is acknowledged.
    package var isComplete: Bool { acknowledged >= bodies.count }

    /// Whether this is a retirement's teardown (`snapshot reset --retire`).
    package var isRetirement: Bool { purpose == .retirement }
}

/// The catalog a delivery's bodies reach: the source whose catalog it is, the sink's kind and
/// catalog (DataArts: the project id; a file: its absolute path), and the envelope's fixed
/// fields. Not the URL that reaches it nor the credentials: a later run that names the same
/// catalog another way (a new port, `region:` for `endpoint:`, a proxy) finishes the delivery.
package struct DeliveryDestination: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The source (its catalog's name).
    package var source: String
    /// The sink's kind: `dataarts`, `file`, `stdout`.
    package var sinkKind: String
    /// The catalog within the sink's kind: a DataArts project id, a file's absolute path.
    package var sinkCatalog: String
    /// The envelope's `engine`.
    package var engine: String
    /// The envelope's `instance_id`.
    package var instanceID: String?
    /// The envelope's `project_id`.
    package var projectID: String?

    /// A destination from its parts.
    package init(
        source: String, sinkKind: String, sinkCatalog: String, engine: String, instanceID: String?,
        projectID: String?
    ) {
        self.source = source
        self.sinkKind = sinkKind
        self.sinkCatalog = sinkCatalog
        self.engine = engine
        self.instanceID = instanceID.flatMap { $0.isEmpty ? nil : $0 }
        self.projectID = projectID.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// For messages: `DataArts Studio project p1 (engine DWS, instance_id 4bac)`.
    package var description: String {
        let sink: String
        switch sinkKind {
        case "dataarts": sink = "DataArts Studio project \(sinkCatalog)"
        case "file": sink = "the file \(sinkCatalog)"
        case "stdout": sink = "standard output"
        default: sink = "\(sinkKind) \(sinkCatalog)"
        }
        var envelope = "engine \(engine)"
        if let instanceID { envelope += ", instance_id \(instanceID)" }
        if let projectID { envelope += ", project_id \(projectID)" }
        return "\(sink) (\(envelope))"
    }

    private enum CodingKeys: String, CodingKey {
        case source
        case sinkKind = "sink_kind"
        case sinkCatalog = "sink_catalog"
        case engine
        case instanceID = "instance_id"
        case projectID = "project_id"
    }
}

/// `target.json`: what the journal is, where it goes, and how many bodies it holds.
private struct JournalRecord: Codable {
    var format: Int
    var purpose: PendingDelivery.Purpose
    var destination: DeliveryDestination
    var bodies: Int
    var sentTo: String

    private enum CodingKeys: String, CodingKey {
        case format, purpose, destination, bodies
        case sentTo = "sent_to"
    }
}

extension SnapshotStore {
    static let pendingFolder = "pending"

    /// The source's pending delivery, if an earlier run left one. A damaged one (a file
    /// missing or unreadable, fewer bodies than the journal recorded, a cut last line) is a
    /// `damagedJournal` error: it is never dropped silently, nor taken for another destination.
    package func pending(_ source: String) throws -> PendingDelivery? {
        let folder = try self.folder(of: source) + "/" + Self.pendingFolder
        guard FileManager.default.fileExists(atPath: folder) else { return nil }
        func damaged(_ file: String, _ what: String) -> SnapshotStoreError {
            SnapshotStoreError(
                code: .damagedJournal, path: folder + "/" + file, message: "the interrupted delivery's journal: \(what)"
            )
        }
        // The snapshot is decoded to prove it whole (then let go): the completion commits its bytes.
        do {
            guard let snapshotData = try AtomicFile.read(folder + "/snapshot.json") else {
                throw damaged("snapshot.json", "the file is missing")
            }
            let snapshot = try SnapshotCoder.decode(snapshotData, path: folder + "/snapshot.json")
            // The completion commits these bytes as they are: a journal an earlier version
            // wrote in another layout is made canonical first (the same snapshot, rewritten
            // atomically), so that the committed file always is.
            let canonical = SnapshotCoder.encodeBytes(snapshot)
            let same = snapshotData.withUnsafeBytes { old in
                canonical.withUnsafeBytes { new in
                    old.count == new.count
                        && (old.count == 0 || memcmp(old.baseAddress!, new.baseAddress!, old.count) == 0)
                }
            }
            if !same { try AtomicFile.write(bytes: canonical, to: folder + "/snapshot.json") }
        } catch let error as SnapshotStoreError where error.code == .corrupt || error.code == .unsupportedFormat {
            throw damaged("snapshot.json", error.message)
        }
        let record: JournalRecord
        if let recordData = try AtomicFile.read(folder + "/" + Self.targetFile) {
            guard let decoded = try? JSONDecoder().decode(JournalRecord.self, from: recordData) else {
                throw damaged(Self.targetFile, "not a valid journal record")
            }
            guard (2...Self.journalFormat).contains(decoded.format) else {
                throw damaged(Self.targetFile, "journal format \(decoded.format) is not known to this version")
            }
            record = decoded
        } else if let legacy = try AtomicFile.read(folder + "/" + Self.legacyTargetFile),
            let parsed = Self.legacyRecord(String(decoding: legacy, as: UTF8.self), source: source)
        {
            record = parsed
        } else {
            throw damaged(Self.targetFile, "the file is missing")
        }
        guard FileManager.default.fileExists(atPath: folder + "/bodies.ndjson") else {
            throw damaged("bodies.ndjson", "the file is missing")
        }
        // Scanned for where each line starts; a body is read when it is sent.
        guard let bodies = try JournalBodiesFile.scan(folder + "/bodies.ndjson") else {
            throw damaged("bodies.ndjson", "its last line is cut")
        }
        guard record.bodies < 0 || bodies.count == record.bodies else {
            throw damaged(
                "bodies.ndjson", "it holds \(bodies.count) bodies where the journal recorded \(record.bodies)")
        }
        let progressFile = record.format >= 3 ? Self.progressFile : Self.legacyProgressFile
        guard let progressData = try AtomicFile.read(folder + "/" + progressFile) else {
            throw damaged(progressFile, "the file is missing")
        }
        guard let acknowledged = Self.acknowledged(in: progressData, appended: record.format >= 3),
            acknowledged >= 0, acknowledged <= bodies.count
        else {
            throw damaged(progressFile, "not a valid progress record")
        }
        return PendingDelivery(
            bodies: bodies, acknowledged: acknowledged, destination: record.destination, purpose: record.purpose,
            sentTo: record.sentTo)
    }

    static let targetFile = "target.json"
    static let legacyTargetFile = "target.txt"
    static let progressFile = "progress.ndjson"
    static let legacyProgressFile = "progress.json"
    /// 3: progress appended to `progress.ndjson`; 2: progress in `progress.json` (still read).
    static let journalFormat = 3

    /// The acknowledged count a progress file records: the last whole line of an appended
    /// `progress.ndjson` (a cut last line is a record whose flush a crash interrupted: the
    /// one before it counts), or the one record of a `progress.json`. Nil when unreadable.
    static func acknowledged(in data: Data, appended: Bool) -> Int? {
        var record = data[...]
        if appended {
            guard let end = data.lastIndex(of: 0x0A) else { return nil }
            let whole = data[..<end]
            let start = whole.lastIndex(of: 0x0A).map { whole.index(after: $0) } ?? whole.startIndex
            record = whole[start...]
        }
        guard let progress = try? JSONDecoder().decode([String: Int].self, from: Data(record)) else { return nil }
        return progress["acknowledged"]
    }

    /// A journal of schemasync 0.1.0 (`target.txt`: `[retire ]<sink> engine=… instance_id=…
    /// project_id=…`, no body count), so that an upgrade finishes what it left.
    static private func legacyRecord(_ text: String, source: String) -> JournalRecord? {
        let retirement = text.hasPrefix("retire ")
        var rest = Substring(retirement ? String(text.dropFirst("retire ".count)) : text)
        func field(_ key: String) -> String? {
            guard let range = rest.range(of: " \(key)=", options: .backwards) else { return nil }
            let value = String(rest[range.upperBound...])
            rest = rest[..<range.lowerBound]
            return value
        }
        guard let projectID = field("project_id"), let instanceID = field("instance_id"), let engine = field("engine")
        else { return nil }
        let sink = String(rest)
        let kind: String
        let catalog: String
        if sink == "stdout" {
            (kind, catalog) = ("stdout", "")
        } else if sink.hasPrefix("file:") {
            kind = "file"
            catalog = URL(fileURLWithPath: String(sink.dropFirst("file:".count))).standardizedFileURL.path
        } else if sink.hasPrefix("dataarts:"), let range = sink.range(of: " project=", options: .backwards) {
            (kind, catalog) = ("dataarts", String(sink[range.upperBound...]))
        } else {
            return nil
        }
        return JournalRecord(
            format: 2, purpose: retirement ? .retirement : .sync,
            destination: DeliveryDestination(
                source: source, sinkKind: kind, sinkCatalog: catalog, engine: engine, instanceID: instanceID,
                projectID: projectID),
            bodies: -1, sentTo: sink)
    }

    /// Records a delivery before its first body is sent: written in a temporary folder (the
    /// snapshot first, then each body appended as `bodies` makes it), flushed, then renamed
    /// into place, so a crash leaves all of it or none. Memory holds one body at a time.
    package func recordDelivery(
        _ purpose: PendingDelivery.Purpose, of snapshot: Snapshot, to destination: DeliveryDestination,
        sentTo: String, for source: String,
        bodies: (_ append: (_ body: Data, _ events: Int) throws -> Void) throws -> Void
    ) throws -> PendingDelivery {
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
        let written: JournalBodiesFile
        do {
            try AtomicFile.write(bytes: SnapshotCoder.encodeBytes(snapshot), to: temporary + "/snapshot.json")
            let writer = try JournalBodiesFile.Writer(path: temporary + "/bodies.ndjson")
            try bodies { body, _ in try writer.append(body) }
            written = try writer.finish(readFrom: final + "/bodies.ndjson")
            try AtomicFile.write(Self.progress(0), to: temporary + "/" + Self.progressFile)
            let record = JournalRecord(
                format: Self.journalFormat, purpose: purpose, destination: destination, bodies: written.count,
                sentTo: sentTo)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicFile.write(try encoder.encode(record) + Data([0x0A]), to: temporary + "/" + Self.targetFile)
            try AtomicFile.syncFolder(temporary)
            guard rename(temporary, final) == 0 else {
                throw AtomicFile.ioError(final, "cannot move the delivery into place")
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        try AtomicFile.syncFolder(folder)
        return PendingDelivery(bodies: written, destination: destination, purpose: purpose, sentTo: sentTo)
    }

    /// Removes a pending delivery without committing it (a reset supersedes it): moved aside
    /// atomically, then deleted. Returns whether there was one.
    @discardableResult
    package func discardPending(_ source: String) throws -> Bool {
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
        try AtomicFile.syncFolder(folder)
        try? FileManager.default.removeItem(atPath: doomed)
    }

    /// Deletes what an interrupted run left beside `pending/`: half-written or finished
    /// delivery folders (`.pending.tmp-*`, `.pending.done-*`). Call it under the lock.
    package func removeLeftovers(_ source: String) throws {
        let folder = try self.folder(of: source)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for entry in entries where entry.hasPrefix(".pending.tmp-") || entry.hasPrefix(".pending.done-") {
            try? FileManager.default.removeItem(atPath: folder + "/" + entry)
        }
    }

    /// Records that the first `acknowledged` bodies are delivered: one line appended to
    /// `progress.ndjson` and flushed (one small write and one fsync per body, no rename and
    /// no folder flush), so that once it returns a crash resends at most the next body. A
    /// journal of format 2 gets its `progress.json` replaced atomically, as that format did.
    package func recordProgress(_ acknowledged: Int, for source: String) throws {
        let folder = try self.folder(of: source) + "/" + Self.pendingFolder
        let legacy = folder + "/" + Self.legacyProgressFile
        guard access(legacy, F_OK) != 0 else {
            try AtomicFile.write(Self.progress(acknowledged), to: legacy)
            return
        }
        do {
            try NDJSONFile.append(Self.progressLine(acknowledged), to: folder + "/" + Self.progressFile)
        } catch {
            throw AtomicFile.storeError(error)
        }
    }

    /// Completes a delivery whose every body is acknowledged: a sync's snapshot is committed,
    /// a retirement's source is forgotten; then the pending delivery is removed. Safe to run
    /// again after a crash between the two steps.
    package func completeDelivery(for source: String) throws {
        guard let delivery = try pending(source) else { return }
        try completeDelivery(delivery, for: source)
    }

    /// `completeDelivery(for:)` of the delivery the caller holds (the one it recorded or
    /// read, with every body acknowledged), without reading the journal back: at 10,000
    /// tables that read (the snapshot decoded, the bodies split) took longer than sending.
    /// A sync's snapshot is committed from the journal's file, so a crash after the commit
    /// and before the journal is removed commits the same bytes again on the next run.
    package func completeDelivery(_ delivery: PendingDelivery, for source: String) throws {
        guard delivery.isComplete else {
            throw SnapshotStoreError(
                code: .io, path: try folder(of: source),
                message:
                    "the delivery is not complete (\(delivery.acknowledged) of \(delivery.bodies.count) acknowledged)")
        }
        let folder = try self.folder(of: source)
        switch delivery.purpose {
        case .sync:
            // The journal's snapshot is the canonical bytes `commit` would write: they become
            // the committed file as they are (linked, or copied), never encoded again.
            try AtomicFile.replace(
                folder + "/" + Self.snapshotFileName, with: folder + "/" + Self.pendingFolder + "/snapshot.json")
        case .retirement: try forget(source)
        }
        try removeFolderAtomically(folder + "/" + Self.pendingFolder, in: folder)
    }

    private static func progressLine(_ acknowledged: Int) -> Data {
        Data("{\"acknowledged\":\(acknowledged)}".utf8)
    }

    private static func progress(_ acknowledged: Int) -> Data {
        progressLine(acknowledged) + Data([0x0A])
    }
}
