import EventContract
import Foundation
import LocalReceiver
import SchemaModel
import SchemaTestSupport
import Testing

/// `--state` kept incrementally: each applied body appended to a journal and flushed before
/// its 200, compacted into the state file now and then, replayed at start.
///
/// A crash is simulated by copying the state folder while the receiver runs, after some
/// answers: every write is flushed before its answer, so the copy is what a `kill -9` (or a
/// power cut) at that moment leaves. `ReceiveCommandTests` kills a real process too.
@Suite struct StateJournalTests {
    static let journal = "receiver-journal.ndjson"
    static let stateFile = "receiver-state.json"

    /// A folder for one test, removed with it; `state` is the receiver's state folder in it.
    struct Folders {
        let root = RunningReceiver.temporaryFolder()
        var state: String { root.appendingPathComponent("state").path }
        func path(_ name: String) -> String { root.appendingPathComponent(name).path }

        /// Copies the state folder (or `folder`) as a crash would leave it now.
        func crashCopy(_ name: String, of folder: String? = nil) throws -> String {
            let copy = path(name)
            try FileManager.default.copyItem(atPath: folder ?? state, toPath: copy)
            return copy
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }

    static func append(_ text: String, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func aCrashAfterAnswersLosesNothingAcknowledged() throws {
        let (catalog, bodies) = Fixture.creation(seed: 31, maxEvents: 4, minBodies: 5)
        let folders = Folders()
        defer { folders.remove() }
        let running = try RunningReceiver(folder: folders.root) { $0.stateDirectory = folders.state }
        for body in bodies.prefix(3) { #expect(try running.postSigned(body).status == 200) }
        let crashed = try folders.crashCopy("crashed")
        let applied = running.receiver.catalogs
        // The bodies are in the journal; the state file was never written (below the floor).
        #expect(Self.size(crashed + "/" + Self.journal) > 0)
        #expect(!FileManager.default.fileExists(atPath: crashed + "/" + Self.stateFile))
        #expect(try Receiver.storedSnapshots(stateDirectory: crashed).map(\.catalog) == applied)

        let restarted = try RunningReceiver(folder: folders.root) { $0.stateDirectory = crashed }
        #expect(restarted.receiver.catalogs == applied)
        // The last body's hash came back with it: its resend is acknowledged, not applied again.
        #expect(try restarted.postSigned(bodies[2]).status == 200)
        #expect(restarted.receiver.statistics.duplicates == 1)
        for body in bodies.dropFirst(3) { #expect(try restarted.postSigned(body).status == 200) }
        #expect(restarted.receiver.catalog == catalog)
        restarted.receiver.stop()
        // Stopped cleanly: compacted into the state file, the journal empty.
        #expect(Self.size(crashed + "/" + Self.journal) == 0)
        #expect(try Receiver.storedSnapshots(stateDirectory: crashed).map(\.catalog) == [catalog])
    }

    @Test func aCutLastJournalLineIsIgnoredAndCutOff() throws {
        let (catalog, bodies) = Fixture.creation(seed: 32, maxEvents: 4, minBodies: 4)
        let folders = Folders()
        defer { folders.remove() }
        let running = try RunningReceiver(folder: folders.root) { $0.stateDirectory = folders.state }
        for body in bodies.prefix(2) { #expect(try running.postSigned(body).status == 200) }
        let applied = running.receiver.catalogs
        let crashed = try folders.crashCopy("crashed")
        // A crash while the third body's line was written (never answered): part of it is there.
        let lines = try String(contentsOfFile: crashed + "/" + Self.journal, encoding: .utf8)
        let last = try #require(lines.split(separator: "\n").last)
        try Self.append(String(last.prefix(last.count / 2)), to: crashed + "/" + Self.journal)

        let restarted = try RunningReceiver(folder: folders.root) { $0.stateDirectory = crashed }
        #expect(restarted.receiver.catalogs == applied)
        #expect(restarted.receiver.statistics.duplicates == 0)
        // The part is cut off: the next body's line starts on a line of its own.
        for body in bodies.dropFirst(2) { #expect(try restarted.postSigned(body).status == 200) }
        let journal = try String(contentsOfFile: crashed + "/" + Self.journal, encoding: .utf8)
        #expect(journal.split(separator: "\n").count == bodies.count)
        #expect(journal.split(separator: "\n").allSatisfy { (try? JSONValue.parse(Data($0.utf8))) != nil })
        let second = try folders.crashCopy("again", of: crashed)
        let again = try RunningReceiver(folder: folders.root) { $0.stateDirectory = second }
        #expect(again.receiver.catalog == catalog)
    }

    @Test func aDamagedJournalLineStopsTheReceiver() throws {
        let (_, bodies) = Fixture.creation(seed: 33, maxEvents: 4, minBodies: 2)
        let folders = Folders()
        defer { folders.remove() }
        do {
            let running = try RunningReceiver(folder: folders.root) { $0.stateDirectory = folders.state }
            #expect(try running.postSigned(bodies[0]).status == 200)
            _ = try folders.crashCopy("crashed")
        }
        let crashed = folders.path("crashed")
        try Self.append(
            "{\"sequence\":2,\"receivedAtMillis\":1,\"sha256\":\"x\",\"body\":7}\n", to: crashed + "/" + Self.journal)
        let error = #expect(throws: ReceiverError.self) {
            try Receiver(ReceiverOptions(projectID: "p", auth: .token("t"), stateDirectory: crashed))
        }
        #expect(error?.code == .corruptState)
        #expect(error?.description.contains("receiver-journal.ndjson line 2") == true, "\(error?.description ?? "")")
    }

    @Test func compactionKeepsTheCatalogEqual() throws {
        let (catalog, bodies) = Fixture.creation(seed: 34, maxEvents: 2, minBodies: 12)
        let folders = Folders()
        defer { folders.remove() }
        // No floor: the journal is compacted whenever it outgrows the state file.
        let running = try RunningReceiver(folder: folders.root) {
            $0.stateDirectory = folders.state
            $0.journalCompactionFloor = 0
        }
        let journal = folders.state + "/" + Self.journal
        let stateFile = folders.state + "/" + Self.stateFile
        var compactions = 0
        var lastSequence: Int64 = 0
        var sinceCompaction: String?
        var crashBetweenChecked = false
        for (index, body) in bodies.enumerated() {
            #expect(try running.postSigned(body).status == 200)
            let state = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: stateFile)))
            #expect(state["formatVersion"]?.int == 3)
            let sequence = try #require(state["journalSequence"]?.int)
            if sequence != lastSequence {
                compactions += 1
                lastSequence = sequence
                #expect(sequence == Int64(index + 1))
                #expect(Self.size(journal) == 0)
                // A crash between this compaction's state file and its emptying of the journal:
                // the journal still holds lines the state file holds too. Their sequence says
                // so: none is applied twice.
                if let copy = sinceCompaction, !crashBetweenChecked {
                    let torn = folders.path("torn")
                    try FileManager.default.createDirectory(atPath: torn, withIntermediateDirectories: true)
                    try FileManager.default.copyItem(atPath: stateFile, toPath: torn + "/" + Self.stateFile)
                    try FileManager.default.copyItem(
                        atPath: copy + "/" + Self.journal, toPath: torn + "/" + Self.journal)
                    try #require(Self.size(torn + "/" + Self.journal) > 0)
                    let replayed = try Receiver(
                        ReceiverOptions(projectID: "p", auth: .token("t"), stateDirectory: torn))
                    #expect(replayed.catalogs == running.receiver.catalogs)
                    replayed.stop()
                    crashBetweenChecked = true
                }
                sinceCompaction = nil
            } else if sinceCompaction == nil {
                sinceCompaction = try folders.crashCopy("copy-\(index)")
            }
            #expect(Self.size(journal) <= Self.size(stateFile))
            let stored = try Receiver.storedSnapshots(stateDirectory: folders.state).map(\.catalog)
            #expect(stored == running.receiver.catalogs)
        }
        #expect(compactions >= 2)
        #expect(crashBetweenChecked)
        #expect(running.receiver.catalog == catalog)
        running.receiver.stop()
        let restarted = try RunningReceiver(folder: folders.root) { $0.stateDirectory = folders.state }
        #expect(restarted.receiver.catalog == catalog)
        #expect(try restarted.postSigned(bodies[bodies.count - 1]).status == 200)
        #expect(restarted.receiver.statistics.duplicates == 1)
    }

    @Test func oneReceiverAtATimePerStateFolder() throws {
        let folders = Folders()
        defer { folders.remove() }
        let running = try RunningReceiver(folder: folders.root) { $0.stateDirectory = folders.state }
        let error = #expect(throws: ReceiverError.self) {
            try Receiver(ReceiverOptions(projectID: "p", auth: .token("t"), stateDirectory: folders.state))
        }
        #expect(error?.code == .io)
        #expect(error?.description.contains("another receiver uses it") == true)
        running.receiver.stop()
        let next = try Receiver(ReceiverOptions(projectID: "p", auth: .token("t"), stateDirectory: folders.state))
        next.stop()
    }
}
