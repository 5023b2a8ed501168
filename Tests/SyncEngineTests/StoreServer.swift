import Foundation
import PostgresCapture
import PostgresStore
import SnapshotStore
import Testing

/// The stores the protocol suite runs on: the folder store, and a PostgreSQL store in the test
/// server (`scripts/pg.sh start`), one schema per test in the database `schemasync_store`.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case folder
    case postgres

    var testDescription: String { rawValue }
}

enum StoreServer {
    static let database = "schemasync_store"

    /// The superuser conninfo of the test server (its socket), for the store's database.
    static func conninfo() throws -> String {
        guard let admin = ProcessInfo.processInfo.environment["SCHEMASYNC_TEST_PG_ADMIN"] else {
            throw StoreSetupError(
                description: "SCHEMASYNC_TEST_PG_ADMIN is not set: run the tests with scripts/test.sh, "
                    + "or `scripts/pg.sh start && eval \"$(scripts/pg.sh env)\"` first")
        }
        try ensureDatabase(admin)
        return admin + " dbname=\(database)"
    }

    private static let created = Mutex(false)

    /// Creates the store's database once (another test process may have made it).
    private static func ensureDatabase(_ admin: String) throws {
        try created.withLock { done in
            guard !done else { return }
            let session = try PGConnection(connection: admin, defaults: [], overrides: [], target: "test admin")
            let exists = try session.execute(
                "SELECT 1 FROM pg_database WHERE datname = $1", parameters: [database], context: "test setup")
            if exists.rowCount == 0 {
                do {
                    try session.execute("CREATE DATABASE \(database)", context: "test setup")
                } catch let error as PostgresError where error.sqlState == "42P04" {}
            }
            done = true
        }
    }

    /// A session on the store's database, as the test's own hand.
    static func session() throws -> PGConnection {
        let session = try PGConnection(
            connection: try conninfo(), defaults: [], overrides: [], target: "test store")
        try session.execute("SET client_min_messages = warning", context: "test setup")
        return session
    }

    /// A new store in a schema of its own.
    static func store() throws -> PostgresSnapshotStore {
        let schema = "t_" + UUID().uuidString.prefix(8).lowercased()
        return try PostgresSnapshotStore(connection: try conninfo(), schema: schema)
    }

    static func drop(_ schema: String) {
        _ = try? session().execute("DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE", context: "test cleanup")
    }
}

struct StoreSetupError: Error, CustomStringConvertible {
    var description: String
}

/// A value behind a lock (the tests' own, without Synchronization's availability limits).
final class Mutex<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        try lock.withLock { try body(&value) }
    }
}
