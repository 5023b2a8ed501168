package import Foundation
import PostgresCapture
import SchemaCapture
package import SchemaModel
package import SnapshotStore

/// The snapshot store in PostgreSQL (docs/store.md): committed snapshots, the delivery
/// journal, the delivery history and per-source locks in the tables of one schema, shared by
/// every runner that names the same URL.
///
/// A source's lock is a session-level advisory lock on a connection of its own, held for the
/// source's whole sync: it dies with its holder. While a lock is held, every operation on
/// that source runs on the lock's session and under its fencing number, so a runner whose
/// session ended (or whose source another runner took over) can record nothing more.
package final class PostgresSnapshotStore: DeliveryStore, @unchecked Sendable {
    /// The URL or conninfo as given (may hold a password: never shown).
    private let connection: String
    /// The schema of the tables.
    package let schema: String
    /// The redacted URL, for messages.
    package let location: String
    /// The most bytes of hex-encoded bodies one journal statement carries (a parameter may
    /// not exceed 1 GB; the statement is held twice, here and in libpq's buffer, while it is
    /// sent): 8 MiB; settable for tests.
    package var journalChunkBytes = 8 << 20
    /// The schema as an SQL identifier, quoted: a reserved word (`user`) works too.
    private var quoted: String { StoreSchema.quoted(schema) }
    package var isShared: Bool { true }

    private let mutex = NSLock()
    private var shared: PGConnection?
    private var checked = false
    private var held: [String: WeakLock] = [:]

    private struct WeakLock {
        weak var lock: PostgresSourceLock?
    }

    /// Whether a `snapshots:` value names a PostgreSQL store: a `postgresql://` or
    /// `postgres://` URL, or a libpq conninfo: any value holding `=` (`host=… dbname=…`,
    /// `password=… host=…`, `sslmode=…`, whatever the first keyword). A folder whose name
    /// holds `=` is therefore not supported: read as conninfo, it is refused by libpq with a
    /// clear error, and it is never printed unredacted (it may hold a password).
    package static func isStoreLocation(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("postgresql://") || trimmed.hasPrefix("postgres://") || trimmed.contains("=")
    }

    /// A store at `connection` (URL or conninfo) in `schema`. Nothing is connected until used.
    package init(connection: String, schema: String = StoreSchema.defaultName) throws {
        guard StoreSchema.isValidName(schema) else {
            throw SnapshotStoreError(
                code: .io, path: schema,
                message: "the store's schema name must be lower-case letters, digits and '_', up to 63 bytes")
        }
        self.connection = connection
        self.schema = schema
        self.location = Redaction.redact(connection)
    }

    // MARK: Connections

    /// A new session. The password comes from the URL or libpq's own sources (PGPASSWORD,
    /// ~/.pgpass, a service file); keepalives make a lost peer show within about a minute.
    func connect(purpose: String) throws -> PGConnection {
        do {
            let session = try PGConnection(
                connection: connection,
                defaults: [
                    ("connect_timeout", "10"), ("keepalives", "1"), ("keepalives_idle", "30"),
                    ("keepalives_interval", "10"), ("keepalives_count", "3"), ("tcp_user_timeout", "60000"),
                    ("fallback_application_name", "schemasync store"),
                ],
                overrides: [("client_encoding", "UTF8"), ("application_name", "schemasync \(purpose)")],
                target: location)
            try session.execute("SET client_min_messages = warning", context: "setting up the session")
            try prepare(session)
            return session
        } catch let error as PostgresError {
            throw storeError(error, "connecting to the store")
        }
    }

    /// Checks the version once per process, creating or upgrading the tables if needed.
    private func prepare(_ session: PGConnection) throws {
        let done = mutex.withLock { checked }
        guard !done else { return }
        try install(on: session)
        mutex.withLock { checked = true }
    }

    /// Creates or upgrades the tables (idempotent; one runner at a time, under a
    /// transaction-level advisory lock); refuses a store of a newer version. Returns the
    /// version found before (0: none).
    @discardableResult
    func install(on session: PGConnection) throws -> Int {
        try transaction(session) {
            _ = try session.execute(
                "SELECT pg_advisory_xact_lock($1::integer, 0)", parameters: [String(lockClass)],
                context: "locking the store's setup")
            let found = try installedVersion(session)
            guard found <= StoreSchema.version else {
                throw SnapshotStoreError(
                    code: .unsupportedStore, path: "\(location) schema \(schema)",
                    message:
                        "the store is of version \(found), written by a newer schemasync; this one knows up to "
                        + "version \(StoreSchema.version): use that schemasync version or a newer one")
            }
            guard found < StoreSchema.version else { return found }
            for statement in StoreSchema.createStatements(schema: schema) {
                try session.execute(statement, context: "creating the store's tables")
            }
            _ = try session.execute(
                "INSERT INTO \(quoted).store_version (version, installed_by) VALUES ($1, $2)",
                parameters: [String(StoreSchema.version), "schemasync"], context: "recording the store's version")
            return found
        }
    }

    private func installedVersion(_ session: PGConnection) throws -> Int {
        let exists = try session.execute(
            "SELECT to_regclass($1) IS NOT NULL", parameters: ["\(quoted).store_version"],
            context: "reading the store's version")
        guard exists.bool(0, 0) else { return 0 }
        let rows = try session.execute(
            "SELECT coalesce(max(version), 0) FROM \(quoted).store_version", context: "reading the store's version")
        return Int(rows.int(0, 0) ?? 0)
    }

    /// `store init`: creates or upgrades the tables now; returns the version found before.
    package func initialize() throws -> Int {
        do {
            let session = try PGConnection(
                connection: connection, defaults: [("connect_timeout", "10")],
                overrides: [("client_encoding", "UTF8"), ("application_name", "schemasync store init")],
                target: location)
            try session.execute("SET client_min_messages = warning", context: "setting up the session")
            let found = try install(on: session)
            mutex.withLock { checked = true }
            return found
        } catch let error as PostgresError {
            throw storeError(error, "setting up the store")
        }
    }

    /// The first key of every advisory lock of this store: its schema's name, hashed (FNV-1a,
    /// 31 bits), so two stores in one database never share locks.
    var lockClass: Int32 {
        var hash: UInt32 = 2_166_136_261
        for byte in "schemasync:\(schema)".utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return Int32(bitPattern: hash & 0x7FFF_FFFF)
    }

    /// Runs `body` on the session of the source's lock when this process holds it (under its
    /// fence), else on the store's shared session.
    private func withSession<T>(_ source: String, _ body: (PGConnection, Int64?) throws -> T) throws -> T {
        try SnapshotStore.validate(source)
        let lock = mutex.withLock { held[source]?.lock }
        do {
            if let lock { return try lock.use { try body($0, lock.fence) } }
            return try withShared { try body($0, nil) }
        } catch let error as PostgresError {
            // On the lock's session, a session that no longer answers means the lock is gone.
            let dead = lock.map { lock in (try? lock.use { try $0.execute("SELECT 1", context: "a ping") }) == nil }
            throw storeError(error, "using the store for \(source)", lost: dead ?? false)
        }
    }

    private func withShared<T>(_ body: (PGConnection) throws -> T) throws -> T {
        if mutex.withLock({ shared == nil }) {
            // Connected outside the mutex (a connect can take seconds); a throw leaves it unlocked.
            let session = try connect(purpose: "store")
            mutex.withLock {
                if shared == nil { shared = session }
            }
        }
        mutex.lock()
        defer { mutex.unlock() }
        return try body(shared!)
    }

    func storeError(_ error: PostgresError, _ context: String, lost: Bool = false) -> SnapshotStoreError {
        SnapshotStoreError(
            code: lost ? .lockLost : .io, path: location,
            message: "\(context): \(error.description.split(separator: "\n").first ?? "")")
    }

    func transaction<T>(_ session: PGConnection, _ body: () throws -> T) throws -> T {
        try session.execute("BEGIN", context: "starting a transaction")
        do {
            let result = try body()
            try session.execute("COMMIT", context: "committing")
            return result
        } catch {
            _ = try? session.execute("ROLLBACK", context: "rolling back")
            throw error
        }
    }

    /// Adds the source's row if it has none. The `WHERE NOT EXISTS` keeps the `id` sequence
    /// from advancing on every lock taken (an `ON CONFLICT` insert draws a value first); the
    /// `ON CONFLICT` only settles two runners registering one new source at once.
    private var registerSQL: String {
        "INSERT INTO \(quoted).sources (source) SELECT $1 WHERE NOT EXISTS "
            + "(SELECT 1 FROM \(quoted).sources WHERE source = $1) ON CONFLICT (source) DO NOTHING"
    }

    // MARK: Locks

    package func lock(_ source: String) throws -> any StoreLock {
        try SnapshotStore.validate(source)
        let session = try connect(purpose: "\(schema) lock \(source)")
        do {
            let row = try transaction(session) { () throws -> (Int64, Int64)? in
                _ = try session.execute(
                    registerSQL,
                    parameters: [source], context: "registering \(source)")
                let id = try session.execute(
                    "SELECT id FROM \(quoted).sources WHERE source = $1", parameters: [source],
                    context: "reading \(source)")
                guard let key = id.int(0, 0) else { return nil }
                return (key, 0)
            }
            guard let (key, _) = row else {
                throw SnapshotStoreError(code: .io, path: location, message: "\(source) could not be registered")
            }
            let taken = try session.execute(
                "SELECT pg_try_advisory_lock($1::integer, $2::integer)", parameters: [String(lockClass), String(key)],
                context: "locking \(source)")
            guard taken.bool(0, 0) else {
                throw SnapshotStoreError(
                    code: .locked, path: "\(location) source \(source)", message: "another run holds this source's lock"
                )
            }
            let fence = try session.execute(
                "UPDATE \(quoted).sources SET fence = fence + 1 WHERE source = $1 RETURNING fence",
                parameters: [source], context: "fencing \(source)")
            let lock = PostgresSourceLock(
                store: self, source: source, session: session, key: key, fence: fence.int(0, 0) ?? 0)
            mutex.withLock { held[source] = WeakLock(lock: lock) }
            return lock
        } catch let error as PostgresError {
            throw storeError(error, "locking \(source)")
        }
    }

    func released(_ source: String) {
        mutex.withLock {
            if held[source]?.lock == nil { held[source] = nil }
        }
    }

    /// Throws `.lockLost` unless `fence` is still the source's (none: not locked here).
    private func checkFence(_ session: PGConnection, _ source: String, _ fence: Int64?, forUpdate: Bool) throws {
        guard let fence else { return }
        let rows = try session.execute(
            "SELECT fence FROM \(quoted).sources WHERE source = $1" + (forUpdate ? " FOR UPDATE" : ""),
            parameters: [source], context: "checking \(source)'s fence")
        guard rows.int(0, 0) == fence else {
            throw SnapshotStoreError(
                code: .lockLost, path: "\(location) source \(source)",
                message: "another run took this source over (fence \(rows.int(0, 0) ?? 0), ours \(fence))")
        }
    }

    // MARK: Committed snapshots

    package func snapshotLocation(of source: String) throws -> String {
        try SnapshotStore.validate(source)
        return "\(location) \(schema).sources \(source)"
    }

    package func sources() throws -> [String] {
        do {
            return try withShared { session in
                let rows = try session.execute(
                    "SELECT source FROM \(quoted).sources ORDER BY source COLLATE \"C\"", context: "listing sources")
                return (0..<rows.rowCount).compactMap { rows.string($0, 0) }
            }
        } catch let error as PostgresError {
            throw storeError(error, "listing the store's sources")
        }
    }

    package func committed(_ source: String) throws -> Snapshot? {
        guard let data = try committedBytes(source) else { return nil }
        return try SnapshotCoder.decode(data, path: try snapshotLocation(of: source))
    }

    /// The committed snapshot's canonical JSON, as the folder store's `snapshot.json` holds it.
    package func committedBytes(_ source: String) throws -> Data? {
        try withSession(source) { session, _ in
            let rows = try session.execute(
                "SELECT snapshot, snapshot_size FROM \(quoted).sources WHERE source = $1 AND snapshot IS NOT NULL",
                parameters: [source], context: "reading \(source)'s snapshot")
            guard rows.rowCount == 1 else { return nil }
            return try unpack(rows, 0, source: source, what: "snapshot")
        }
    }

    private func unpack(_ rows: PGResultTable, _ column: Int, source: String, what: String) throws -> Data {
        guard let compressed = rows.string(0, column).flatMap(Bytea.bytes),
            let data = try? Compression.decompress(compressed, size: Int(rows.int(0, column + 1) ?? -1))
        else {
            throw SnapshotStoreError(
                code: what == "snapshot" ? .corrupt : .damagedJournal, path: try snapshotLocation(of: source),
                message: "the stored \(what) cannot be decompressed")
        }
        return data
    }

    package func commit(_ snapshot: Snapshot, for source: String) throws {
        let data = try SnapshotCoder.encode(snapshot)
        let compressed = try Compression.compress(data)
        try withSession(source) { session, fence in
            try transaction(session) {
                _ = try session.execute(
                    registerSQL,
                    parameters: [source], context: "registering \(source)")
                try checkFence(session, source, fence, forUpdate: true)
                _ = try session.execute(
                    "UPDATE \(quoted).sources SET snapshot = $2::bytea, snapshot_size = $3::integer, "
                        + "committed_at = now() WHERE source = $1",
                    parameters: [source, Bytea.hex(compressed), String(data.count)],
                    context: "committing \(source)'s snapshot")
            }
        }
    }

    package func forget(_ source: String) throws {
        try withSession(source) { session, fence in
            try transaction(session) {
                try checkFence(session, source, fence, forUpdate: true)
                _ = try session.execute(
                    "UPDATE \(quoted).sources SET snapshot = NULL, snapshot_size = NULL, committed_at = now() "
                        + "WHERE source = $1", parameters: [source], context: "forgetting \(source)'s snapshot")
            }
        }
    }

    // MARK: The delivery journal

    /// Nothing is ever left half-written: every journal write is one transaction.
    package func removeLeftovers(_ source: String) throws {}

    package func pending(_ source: String) throws -> PendingDelivery? {
        try withSession(source) { session, _ in
            try transaction(session) { () throws -> PendingDelivery? in
                let rows = try session.execute(
                    "SELECT snapshot, snapshot_size, purpose, destination::text, sent_to, body_count, acknowledged "
                        + "FROM \(quoted).pending WHERE source = $1", parameters: [source],
                    context: "reading \(source)'s pending delivery")
                guard rows.rowCount == 1 else { return nil }
                let path = "\(location) \(schema).pending \(source)"
                func damaged(_ what: String) -> SnapshotStoreError {
                    SnapshotStoreError(
                        code: .damagedJournal, path: path, message: "the interrupted delivery's journal: \(what)")
                }
                let snapshotData = try unpack(rows, 0, source: source, what: "journal snapshot")
                // Decoded to prove it whole, then let go: the completion commits it in the server.
                do {
                    _ = try SnapshotCoder.decode(snapshotData, path: path)
                } catch let error as SnapshotStoreError where error.code == .corrupt || error.code == .unsupportedFormat
                {
                    throw damaged(error.message)
                }
                guard let purpose = rows.string(0, 2).flatMap(PendingDelivery.Purpose.init(rawValue:)),
                    let destination = try? JSONDecoder().decode(
                        DeliveryDestination.self, from: Data((rows.string(0, 3) ?? "").utf8)),
                    let count = rows.int(0, 5), let acknowledged = rows.int(0, 6),
                    acknowledged >= 0, acknowledged <= count
                else { throw damaged("not a valid journal record") }
                // Counted here; each body is read when it is sent (`PostgresJournalBodies`).
                let bodyRows = try session.execute(
                    "SELECT count(*), coalesce(min(seq), 1), coalesce(max(seq), 0) FROM \(quoted).pending_bodies "
                        + "WHERE source = $1", parameters: [source], context: "counting \(source)'s request bodies")
                let found = bodyRows.int(0, 0) ?? -1
                guard found == count else {
                    throw damaged("it holds \(found) bodies where the journal recorded \(count)")
                }
                guard bodyRows.int(0, 1) == 1 && bodyRows.int(0, 2) == count else {
                    throw damaged("its request bodies are not numbered 1 to \(count)")
                }
                return PendingDelivery(
                    bodies: PostgresJournalBodies(store: self, source: source, count: Int(count)),
                    acknowledged: Int(acknowledged), destination: destination, purpose: purpose,
                    sentTo: rows.string(0, 4) ?? "")
            }
        }
    }

    /// The journal, the bodies and the progress, in one transaction under the lock's fence:
    /// the `pending` row first, then the bodies as `bodies` makes them, in statements of at
    /// most `journalChunkBytes`, then the row's body and event counts. A failure or a crash
    /// rolls all of it back.
    package func recordDelivery(
        _ purpose: PendingDelivery.Purpose, of snapshot: Snapshot, to destination: DeliveryDestination,
        sentTo: String, for source: String,
        bodies make: (_ append: (_ body: Data, _ events: Int) throws -> Void) throws -> Void
    ) throws -> PendingDelivery {
        let (compressed, size) = try Self.compressed(snapshot)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let destinationJSON = String(decoding: try encoder.encode(destination), as: UTF8.self)
        let count = try withSession(source) { session, fence in
            try transaction(session) { () throws -> Int in
                _ = try session.execute(
                    registerSQL,
                    parameters: [source], context: "registering \(source)")
                try checkFence(session, source, fence, forUpdate: true)
                let existing = try session.execute(
                    "SELECT 1 FROM \(quoted).pending WHERE source = $1", parameters: [source],
                    context: "checking \(source)'s journal")
                guard existing.rowCount == 0 else {
                    throw SnapshotStoreError(
                        code: .io, path: "\(location) \(schema).pending \(source)",
                        message: "a pending delivery exists already; finish it first")
                }
                _ = try session.execute(
                    "INSERT INTO \(quoted).pending (source, purpose, destination, sent_to, body_count, acknowledged, "
                        + "fence, snapshot, snapshot_size, events) SELECT $1, $2, $3::jsonb, $4, 0, 0, s.fence, "
                        + "$5::bytea, $6::integer, 0 FROM \(quoted).sources s WHERE s.source = $1",
                    parameters: [
                        source, purpose.rawValue, destinationJSON, sentTo, Bytea.hex(compressed), String(size),
                    ], context: "recording \(source)'s delivery")
                // Array literals of the bodies, `{"\\x…","\\x…"}`, each at most `journalChunkBytes`
                // (or one body): a statement parameter is limited to 1 GB, and memory holds one.
                // Each with the seq its first body takes. Events are counted by the tool, not
                // the server: jsonb refuses some valid JSON (`\u0000`).
                var array = ""
                var arrayBytes = 0
                var first = 1
                var written = 0
                var events = 0
                func flush() throws {
                    guard !array.isEmpty else { return }
                    _ = try session.execute(
                        "INSERT INTO \(quoted).pending_bodies (source, seq, body) SELECT $1, "
                            + "($3::integer - 1 + ordinality)::integer, body FROM unnest($2::bytea[]) "
                            + "WITH ORDINALITY AS b (body)",
                        parameters: [source, "{" + array + "}", String(first)],
                        context: "recording \(source)'s request bodies")
                    array = ""
                    arrayBytes = 0
                    first = written + 1
                }
                try make { body, count in
                    let element = "\"\\" + Bytea.hex(body) + "\""
                    if arrayBytes > 0 && arrayBytes + element.utf8.count + 3 > journalChunkBytes { try flush() }
                    array += (array.isEmpty ? "" : ",") + element
                    arrayBytes += element.utf8.count + 1
                    written += 1
                    events += count
                }
                try flush()
                _ = try session.execute(
                    "UPDATE \(quoted).pending SET body_count = $2::integer, events = $3::integer WHERE source = $1",
                    parameters: [source, String(written), String(events)], context: "recording \(source)'s delivery")
                return written
            }
        }
        return PendingDelivery(
            bodies: PostgresJournalBodies(store: self, source: source, count: count), destination: destination,
            purpose: purpose, sentTo: sentTo)
    }

    /// The snapshot's canonical JSON, compressed, and its size; the JSON is let go at once.
    private static func compressed(_ snapshot: Snapshot) throws -> (Data, Int) {
        let bytes = SnapshotCoder.encodeBytes(snapshot)
        return try bytes.withUnsafeBytes { buffer in
            let data = Data(
                bytesNoCopy: UnsafeMutableRawPointer(mutating: buffer.baseAddress!), count: buffer.count,
                deallocator: .none)
            return (try Compression.compress(data), buffer.count)
        }
    }

    /// Body `index` (from 0) of the source's journal.
    func journalBody(_ index: Int, of source: String) throws -> Data {
        try withSession(source) { session, _ in
            let rows = try session.execute(
                "SELECT body FROM \(quoted).pending_bodies WHERE source = $1 AND seq = $2::integer",
                parameters: [source, String(index + 1)], context: "reading \(source)'s request body \(index + 1)")
            guard rows.rowCount == 1, let body = rows.string(0, 0).flatMap(Bytea.bytes) else {
                throw SnapshotStoreError(
                    code: .damagedJournal, path: "\(location) \(schema).pending_bodies \(source)",
                    message: "the interrupted delivery's journal: request body \(index + 1) cannot be read")
            }
            return body
        }
    }

    /// One statement, refused (`lockLost`) unless the lock's fence is still the source's.
    package func recordProgress(_ acknowledged: Int, for source: String) throws {
        try withSession(source) { session, fence in
            let rows = try session.execute(
                "UPDATE \(quoted).pending p SET acknowledged = $2::integer, progressed_at = now() "
                    + "FROM \(quoted).sources s WHERE p.source = $1 AND s.source = $1 "
                    + "AND $2::integer <= p.body_count" + (fence == nil ? "" : " AND s.fence = $3::bigint")
                    + " RETURNING 1",
                parameters: [source, String(acknowledged)] + (fence.map { [String($0)] } ?? []),
                context: "recording \(source)'s progress")
            guard rows.rowCount == 1 else {
                throw SnapshotStoreError(
                    code: fence == nil ? .io : .lockLost, path: "\(location) \(schema).pending \(source)",
                    message: "the progress could not be recorded: another run took this source over, or its "
                        + "delivery is gone")
            }
        }
    }

    /// Commits (or forgets) and removes the journal in one transaction, with a row of history.
    package func completeDelivery(for source: String) throws {
        try withSession(source) { session, fence in
            try transaction(session) {
                try checkFence(session, source, fence, forUpdate: true)
                let rows = try session.execute(
                    "SELECT purpose, acknowledged, body_count FROM \(quoted).pending WHERE source = $1 FOR UPDATE",
                    parameters: [source], context: "reading \(source)'s pending delivery")
                guard rows.rowCount == 1 else { return }
                let acknowledged = rows.int(0, 1) ?? 0
                let count = rows.int(0, 2) ?? 0
                guard acknowledged >= count else {
                    throw SnapshotStoreError(
                        code: .io, path: "\(location) \(schema).pending \(source)",
                        message: "the delivery is not complete (\(acknowledged) of \(count) acknowledged)")
                }
                if rows.string(0, 0) == PendingDelivery.Purpose.sync.rawValue {
                    _ = try session.execute(
                        "UPDATE \(quoted).sources s SET snapshot = p.snapshot, snapshot_size = p.snapshot_size, "
                            + "committed_at = now() FROM \(quoted).pending p WHERE s.source = $1 AND p.source = $1",
                        parameters: [source], context: "committing \(source)'s snapshot")
                } else {
                    _ = try session.execute(
                        "UPDATE \(quoted).sources SET snapshot = NULL, snapshot_size = NULL, committed_at = now() "
                            + "WHERE source = $1", parameters: [source], context: "forgetting \(source)'s snapshot")
                }
                _ = try session.execute(
                    """
                    INSERT INTO \(quoted).deliveries
                        (source, purpose, destination, sent_to, requests, events, bytes, began_at)
                    SELECT p.source, p.purpose, p.destination, p.sent_to, p.body_count, p.events,
                           coalesce((SELECT sum(octet_length(body)) FROM \(quoted).pending_bodies WHERE source = $1), 0),
                           p.began_at
                    FROM \(quoted).pending p WHERE p.source = $1
                    """, parameters: [source], context: "recording \(source)'s delivery in the history")
                _ = try session.execute(
                    "DELETE FROM \(quoted).pending WHERE source = $1", parameters: [source],
                    context: "removing \(source)'s journal")
            }
        }
    }

    @discardableResult
    package func discardPending(_ source: String) throws -> Bool {
        try withSession(source) { session, fence in
            try transaction(session) {
                try checkFence(session, source, fence, forUpdate: true)
                let rows = try session.execute(
                    "DELETE FROM \(quoted).pending WHERE source = $1 RETURNING 1", parameters: [source],
                    context: "discarding \(source)'s pending delivery")
                return rows.rowCount > 0
            }
        }
    }

    // MARK: Rounds

    package func lastSynced(_ source: String) throws -> Date? {
        try withSession(source) { session, _ in
            let rows = try session.execute(
                "SELECT extract(epoch FROM last_synced_at)::float8 FROM \(quoted).sources WHERE source = $1",
                parameters: [source], context: "reading when \(source) was synced")
            return rows.string(0, 0).flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        }
    }

    package func recordSynced(_ source: String) throws {
        try withSession(source) { session, fence in
            try transaction(session) {
                try checkFence(session, source, fence, forUpdate: true)
                _ = try session.execute(
                    "UPDATE \(quoted).sources SET last_synced_at = clock_timestamp() WHERE source = $1",
                    parameters: [source], context: "recording when \(source) was synced")
            }
        }
    }

    /// The store server's clock (every runner's rounds are measured on it).
    package func now() throws -> Date {
        do {
            return try withShared { session in
                let rows = try session.execute(
                    "SELECT extract(epoch FROM clock_timestamp())::float8", context: "reading the store's clock")
                return Date(timeIntervalSince1970: rows.string(0, 0).flatMap(Double.init) ?? 0)
            }
        } catch let error as PostgresError {
            throw storeError(error, "reading the store's clock")
        }
    }

    /// The sources in the order a round takes them: never synced first, then the longest unsynced.
    package func longestUnsyncedFirst(_ names: [String]) throws -> [String] {
        let rows: [String: Double]
        do {
            rows = try withShared { session in
                let table = try session.execute(
                    "SELECT source, extract(epoch FROM last_synced_at)::float8 FROM \(quoted).sources "
                        + "WHERE last_synced_at IS NOT NULL", context: "reading when the sources were synced")
                var map: [String: Double] = [:]
                for row in 0..<table.rowCount {
                    if let name = table.string(row, 0), let value = table.string(row, 1).flatMap(Double.init) {
                        map[name] = value
                    }
                }
                return map
            }
        } catch let error as PostgresError {
            throw storeError(error, "reading when the sources were synced")
        }
        return names.enumerated().sorted { a, b in
            let (x, y) = (rows[a.element] ?? -.infinity, rows[b.element] ?? -.infinity)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }
}

/// A source's advisory lock, on a session of its own; released when the object goes (the
/// session closes) or when the process dies (the server ends the session).
final class PostgresSourceLock: StoreLock, @unchecked Sendable {
    private let mutex = NSLock()
    private let session: PGConnection
    private weak var store: PostgresSnapshotStore?
    let source: String
    let key: Int64
    let fence: Int64
    private let lockClass: Int32
    private let schema: String
    private let location: String

    init(store: PostgresSnapshotStore, source: String, session: PGConnection, key: Int64, fence: Int64) {
        self.store = store
        self.source = source
        self.session = session
        self.key = key
        self.fence = fence
        self.lockClass = store.lockClass
        self.schema = store.schema
        self.location = store.location
    }

    deinit {
        // Unlocked explicitly: closing the session frees the lock only once the server's
        // backend has exited, a moment later, and the next lock taken (by this process too)
        // would find it still held. A session already gone has nothing to unlock.
        _ = try? session.execute(
            "SELECT pg_advisory_unlock($1::integer, $2::integer)", parameters: [String(lockClass), String(key)],
            context: "unlocking \(source)")
        store?.released(source)
    }

    /// Runs `body` on the lock's session, one caller at a time.
    func use<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try mutex.withLock { try body(session) }
    }

    /// The session answers, it holds the advisory lock, and the fence is still ours.
    func stillHeld() throws {
        let lost = { (why: String) in
            SnapshotStoreError(
                code: .lockLost, path: "\(self.location) source \(self.source)",
                message: "this run no longer holds the source's lock (\(why)); it stops here")
        }
        let rows: PGResultTable
        do {
            rows = try use { session in
                try session.execute(
                    "SELECT (SELECT fence FROM \(StoreSchema.quoted(schema)).sources WHERE source = $1), EXISTS (SELECT 1 FROM "
                        + "pg_catalog.pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted "
                        + "AND classid = $2::integer::oid AND objid = $3::integer::oid AND objsubid = 2)",
                    parameters: [source, String(lockClass), String(key)], context: "checking \(source)'s lock")
            }
        } catch let error as PostgresError {
            throw lost("its store session failed: \(error.message)")
        }
        guard rows.bool(0, 1) else { throw lost("the session no longer holds the advisory lock") }
        guard rows.int(0, 0) == fence else { throw lost("another run took the source over") }
    }
}

/// The request bodies of a journal in `pending_bodies`, read one statement per body when it
/// is sent (on the lock's session when this process holds the source).
struct PostgresJournalBodies: RecordedBodies {
    let store: PostgresSnapshotStore
    let source: String
    let count: Int

    func body(_ index: Int) throws -> Data {
        try store.journalBody(index, of: source)
    }
}
