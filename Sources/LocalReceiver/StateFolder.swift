import EventContract
import Foundation
import SnapshotStore
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The `--state` folder, kept incrementally: the state file (`receiver-state.json`, a
/// `CatalogBook` written whole now and then) and the journal (`receiver-journal.ndjson`),
/// one line per body applied since, appended and flushed before the body's 200.
///
/// - **Apply**: each applied body is one journal line, `{"sequence":N,"receivedAtMillis":T,
///   "sha256":"…","body":{…}}`, written at the journal's end and flushed (`fsync`) before
///   the answer: an acknowledged body survives a crash of the receiver or of the machine.
/// - **Compact**: when the journal has grown larger than the state file (and past
///   `compactionFloor`), and when the receiver stops, the whole state is written atomically
///   with the last sequence it holds, then the journal is emptied. A crash between the two
///   leaves journal lines the state already holds: their sequence says so, and they are
///   skipped.
/// - **Start**: the state file, then the journal's lines of a later sequence, applied in
///   order. A cut last line (a crash during its write; its body was never acknowledged) is
///   ignored and cut off; any other line that cannot be read or applied is a damaged state.
///
/// One receiver at a time: the journal is locked (`flock`) while the folder is open.
final class StateFolder {
    static let journalFileName = "receiver-journal.ndjson"

    /// The folder.
    let folder: String
    /// Below this size the journal is never compacted while the receiver runs.
    let compactionFloor: Int64
    private var descriptor: Int32
    /// The journal's size: the end of its last whole line.
    private var journalBytes: Int64
    /// The state file's size, as last read or written.
    private var stateBytes: Int64
    /// The sequence of the last body applied (in the journal or the state file).
    private var sequence: Int64

    private var journalPath: String { folder + "/" + Self.journalFileName }
    private var statePath: String { folder + "/" + CatalogBook.fileName }

    /// Opens (making it if missing) and locks the folder, and reads the catalogs it holds:
    /// the state file and the journal's later bodies.
    static func load(_ folder: String, compactionFloor: Int64) throws(ReceiverError) -> (StateFolder, CatalogBook) {
        let journalPath = folder + "/" + journalFileName
        do {
            try AtomicFile.makeFolder(folder)
        } catch {
            throw ReceiverError(code: .io, description: "cannot make the state folder \(folder): \(error)")
        }
        let existed = access(journalPath, F_OK) == 0
        let descriptor = open(journalPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ReceiverError(
                code: .io, description: "cannot open \(journalPath): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "another receiver uses it" : String(cString: strerror(errno))
            close(descriptor)
            throw ReceiverError(code: .io, description: "cannot lock the state folder \(folder): \(reason)")
        }
        do {
            if !existed { try FileIO.syncFolder(folder) }
            let (book, journal) = try read(folder)
            guard ftruncate(descriptor, off_t(journal.wholeBytes)) == 0 else {
                throw ReceiverError(
                    code: .io, description: "cannot cut the journal's last line: \(String(cString: strerror(errno)))")
            }
            let opened = StateFolder(
                folder: folder, compactionFloor: compactionFloor, descriptor: descriptor,
                journalBytes: journal.wholeBytes, stateBytes: journal.stateBytes, sequence: book.journalSequence)
            return (opened, book)
        } catch let error as ReceiverError {
            close(descriptor)
            throw error
        } catch {
            close(descriptor)
            throw ReceiverError(code: .io, description: "cannot open the state folder \(folder): \(error)")
        }
    }

    private init(
        folder: String, compactionFloor: Int64, descriptor: Int32, journalBytes: Int64, stateBytes: Int64,
        sequence: Int64
    ) {
        self.folder = folder
        self.compactionFloor = compactionFloor
        self.descriptor = descriptor
        self.journalBytes = journalBytes
        self.stateBytes = stateBytes
        self.sequence = sequence
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// What a state folder holds, read without locking or changing it (`receive --dump`):
    /// the book with every journal body applied, the journal's whole bytes and the state
    /// file's size.
    static func read(_ folder: String) throws(ReceiverError) -> (
        book: CatalogBook, journal: (wholeBytes: Int64, stateBytes: Int64)
    ) {
        let statePath = folder + "/" + CatalogBook.fileName
        var book = try CatalogBook.load(folder: folder)
        var status = stat()
        let stateBytes = stat(statePath, &status) == 0 ? Int64(status.st_size) : 0
        let journalPath = folder + "/" + journalFileName
        let data: Data
        do {
            data = try AtomicFile.read(journalPath) ?? Data()
        } catch {
            throw ReceiverError(code: .io, description: "cannot read \(journalPath): \(error)")
        }
        // A cut last line is a body whose write a crash interrupted: never acknowledged.
        let whole = data.lastIndex(of: 0x0A).map { $0 + 1 } ?? data.startIndex
        var lineNumber = 0
        var start = data.startIndex
        while start < whole {
            let end = data[start..<whole].firstIndex(of: 0x0A) ?? whole
            lineNumber += 1
            let line = data[start..<end]
            start = end + 1
            func damaged(_ what: String) -> ReceiverError {
                ReceiverError(
                    code: .corruptState,
                    description:
                        "\(journalPath) line \(lineNumber): \(what); the folder was written by another program or "
                        + "edited: move it aside and sync again (`schemasync snapshot reset SOURCE --empty`)")
            }
            guard let record = try? JSONValue.parse(Data(line)), let sequence = record["sequence"]?.int,
                let millis = record["receivedAtMillis"]?.int, let hash = record["sha256"]?.string,
                let body = record["body"]
            else {
                throw damaged("not a journal record")
            }
            guard sequence > book.journalSequence else { continue }
            do {
                book = try book.applying(CatalogBook.check(body), bodyHash: hash, receivedAtMillis: millis)
            } catch {
                throw damaged("its body does not apply (\(error.code): \(error.message))")
            }
            book.journalSequence = sequence
        }
        return (book, (Int64(whole - data.startIndex), stateBytes))
    }

    /// Appends an applied body (its parsed JSON, its hash, when it was received) to the
    /// journal and flushes it. Returns where the journal ended before, for `undo(to:)`.
    func append(_ body: JSONValue, hash: String, receivedAtMillis: Int64) throws(ReceiverError) -> Int64 {
        let mark = journalBytes
        var line = Array("{\"sequence\":\(sequence + 1),\"receivedAtMillis\":\(receivedAtMillis),\"sha256\":\"".utf8)
        line += Array(hash.utf8) + Array("\",\"body\":".utf8) + body.bytes + Array("}\n".utf8)
        do throws(SystemError) {
            guard descriptor >= 0 else { throw SystemError("the state folder is closed", path: journalPath) }
            guard lseek(descriptor, off_t(mark), SEEK_SET) == off_t(mark) else {
                throw SystemError("cannot position", path: journalPath)
            }
            try FileIO.writeAll(Data(line), to: descriptor, path: journalPath)
            guard fsync(descriptor) == 0 else { throw SystemError("cannot flush", path: journalPath) }
        } catch {
            _ = ftruncate(descriptor, off_t(mark))
            throw ReceiverError(code: .io, description: "cannot append to the state journal: \(error)")
        }
        journalBytes = mark + Int64(line.count)
        sequence += 1
        return mark
    }

    /// Takes back the bodies appended since `mark` (a record that could not be written:
    /// nothing was applied, after a restart too).
    func undo(to mark: Int64) throws(ReceiverError) {
        guard ftruncate(descriptor, off_t(mark)) == 0, fsync(descriptor) == 0 else {
            throw ReceiverError(
                code: .io, description: "cannot take back the journal's last line: \(String(cString: strerror(errno)))")
        }
        journalBytes = mark
        sequence -= 1
    }

    /// Whether the journal has outgrown the state file (and the floor): time to compact.
    var compactionDue: Bool { journalBytes > max(stateBytes, compactionFloor) }

    /// Writes `book` (which holds every body appended) as the state file, atomically, then
    /// empties the journal. Nothing to do when the journal is empty.
    func compact(_ book: CatalogBook) throws(ReceiverError) {
        guard journalBytes > 0 else { return }
        var book = book
        book.journalSequence = sequence
        let bytes = book.encoded
        try book.save(folder: folder, bytes: bytes)
        stateBytes = Int64(bytes.count)
        guard ftruncate(descriptor, 0) == 0, fsync(descriptor) == 0 else {
            // The state holds every line: they are skipped at the next start whatever happens.
            throw ReceiverError(
                code: .io, description: "cannot empty the state journal: \(String(cString: strerror(errno)))")
        }
        journalBytes = 0
    }

    /// Releases the folder (its lock).
    func release() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }
}
