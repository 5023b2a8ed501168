import EventContract
import Foundation
import SchemaModel
import SnapshotStore
import Testing

/// Passwords that hold what a `Character`-based reader misses: a `:` or `=` followed by a
/// combining mark (one `Character` with it), a non-ASCII space, a `'` followed by a combining
/// mark. Against the real servers: the password works (the connector reads it as the
/// password), and appears nowhere: not in `inspect`'s snapshot (`catalog.location`), not in
/// an error, not in the events (`CreateCatalogEvent.locationUri`) or the stored snapshot.
@Suite(.serialized) struct UnicodePasswordTests {
    /// Every test's password holds this, and no output may.
    static let marker = "S3cr3t"
    static let password = "\u{301}Uni:\u{301}S3cr3t\u{a0}pw'\u{301}x"
    static let user = "ss_unicode"

    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.path + "/unicode-pw-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    static func environment(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name] else {
            throw CommandError(description: "\(name) is not set: run the tests with scripts/test.sh")
        }
        return value
    }

    /// Runs `tool arguments…`; throws when it fails.
    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandError(description: "\(tool) failed: \(message)") }
    }

    /// A SQL string literal, its quotes doubled on bytes (`replacingOccurrences` works on
    /// `Character`s, and misses the `'` that a combining mark follows).
    static func sqlLiteral(_ text: String) -> String {
        var bytes: [UInt8] = [0x27]
        for byte in text.utf8 {
            if byte == 0x27 { bytes.append(0x27) }
            bytes.append(byte)
        }
        return String(decoding: bytes + [0x27], as: UTF8.self)
    }

    /// `host:port` of a test server URL (`…://schemasync@127.0.0.1:54329`).
    static func hostAndPort(_ server: String) -> String {
        String(server.split(separator: "@").last ?? "")
    }

    /// Runs schemasync; nothing it prints may hold the password.
    func schemasync(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        let result = try CommandRunner.run(arguments, environment: environment)
        let leaked = result.stdout.contains(Self.marker) || result.stderr.contains(Self.marker)
        #expect(!leaked, "the password is in the output: \(result.stderr)")
        return result
    }

    /// `sync` of `url` into the file sink; the events and the stored snapshot must not hold
    /// the password, and the catalog's `locationUri` is `location`.
    func syncHidesThePassword(url: String, location: String) throws {
        let config = folder + "/schemasync.yaml"
        try """
        snapshots: \(folder)/snapshots
        sink: { kind: file, path: \(folder)/events.ndjson }
        sources:
          - name: uni
            url: ${UNI_URL}
            engine: x
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try schemasync(["sync", "--all", "--config", config], environment: ["UNI_URL": url])
        #expect(result.status == 0, "\(result.stderr)")
        let bodies = try String(contentsOfFile: folder + "/events.ndjson", encoding: .utf8)
        #expect(!bodies.contains(Self.marker))
        let events = try SyncSupport.events(inBodies: bodies.split(separator: "\n"))
        let create = try #require(events.first { $0.type == .createCatalog })
        #expect(create.message["catalog"]?["locationUri"]?.string == location)
        let stored = try #require(try SnapshotStore(root: folder + "/snapshots").committed("uni"))
        #expect(stored.catalog.location == location)
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder + "/snapshots")
        for file in files {
            let data = FileManager.default.contents(atPath: folder + "/snapshots/" + file) ?? Data()
            #expect(!String(decoding: data, as: UTF8.self).contains(Self.marker), "\(file)")
        }
    }

    // MARK: PostgreSQL

    func postgresRole() throws -> String {
        let admin = try Self.environment("SCHEMASYNC_TEST_PG_ADMIN")
        let literal = Self.sqlLiteral(Self.password)
        try Self.run(
            "psql",
            [
                "-X", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c",
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(Self.user)') THEN "
                    + "CREATE ROLE \(Self.user) LOGIN; END IF; END $$",
                "-c", "ALTER ROLE \(Self.user) PASSWORD \(literal)",
            ])
        return Self.hostAndPort(try Self.environment("SCHEMASYNC_TEST_PG_SERVER"))
    }

    @Test func postgresURL() throws {
        let server = try postgresRole()
        let url = "postgresql://\(Self.user):\(Self.password)@\(server)/postgres"
        let location = "postgresql://\(Self.user)@\(server)/postgres"
        let result = try schemasync(["inspect", url, "--include", "public.*"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try SnapshotCoder.decode(Data(result.stdout.utf8), path: "stdout").catalog.location == location)
        let wrong = try schemasync(["inspect", url.replacingOccurrences(of: "Uni", with: "UNi")])
        #expect(wrong.status == 69 && wrong.stderr.contains("authentication failed"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains(location), "\(wrong.stderr)")
        try syncHidesThePassword(
            url: url + "?application_name=unicode", location: location + "?application_name=unicode")
    }

    @Test func postgresConninfo() throws {
        let server = try postgresRole()
        let parts = server.split(separator: ":")
        let conninfo = { (password: String) in
            "host=\(parts[0]) port=\(parts[1]) user=\(Self.user) password=\(password) dbname=postgres"
        }
        let location = "host=\(parts[0]) port=\(parts[1]) user=\(Self.user) dbname=postgres"
        let result = try schemasync(["inspect", conninfo(Self.password), "--include", "public.*"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try SnapshotCoder.decode(Data(result.stdout.utf8), path: "stdout").catalog.location == location)
        let wrong = try schemasync(["inspect", conninfo("UNi" + Self.password)])
        #expect(wrong.status == 69 && wrong.stderr.contains("authentication failed"), "\(wrong.stderr)")
        // Quoted, with `\'` for the quote: the same password.
        var escaped: [UInt8] = []
        for byte in Self.password.utf8 {
            if byte == 0x27 { escaped.append(0x5C) }
            escaped.append(byte)
        }
        let quoted = "'" + String(decoding: escaped, as: UTF8.self) + "'"
        let second = try schemasync(["inspect", conninfo(quoted), "--include", "public.*"])
        #expect(second.status == 0, "\(second.stderr)")
        try syncHidesThePassword(url: conninfo(Self.password), location: location)
    }

    /// libpq ends a URL's user part at the first `/`: a password holding one is read as host
    /// and port, and the error quotes the "port". Neither the target nor the message shows it.
    @Test func aSlashInAPostgresURLPassword() throws {
        let server = Self.hostAndPort(try Self.environment("SCHEMASYNC_TEST_PG_SERVER"))
        let result = try schemasync(["inspect", "postgresql://\(Self.user):\(Self.marker)/x@\(server)/postgres"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("invalid integer value"), "\(result.stderr)")
        #expect(result.stderr.contains("postgresql://\(Self.user)@\(server)/postgres"), "\(result.stderr)")
    }

    // MARK: MariaDB

    @Test func mariadbURL() throws {
        let admin = try Self.environment("SCHEMASYNC_TEST_MARIADB_ADMIN").split(separator: " ").map(String.init)
        let literal = Self.sqlLiteral(Self.password)
        let database = "ss_unicode_db"
        try Self.run(
            admin[0],
            Array(admin.dropFirst()) + [
                "-e",
                """
                CREATE DATABASE IF NOT EXISTS \(database);
                CREATE TABLE IF NOT EXISTS \(database).t (id int PRIMARY KEY);
                CREATE USER IF NOT EXISTS '\(Self.user)'@'127.0.0.1' IDENTIFIED BY \(literal);
                ALTER USER '\(Self.user)'@'127.0.0.1' IDENTIFIED BY \(literal);
                GRANT SELECT, SHOW VIEW, TRIGGER, EXECUTE ON \(database).* TO '\(Self.user)'@'127.0.0.1';
                """,
            ])
        let server = Self.hostAndPort(try Self.environment("SCHEMASYNC_TEST_MARIADB_SERVER"))
        // The MySQL rule lets a password hold `@`, `/`, `?` and `#` too.
        let url = "mysql://\(Self.user):\(Self.password)@\(server)/\(database)"
        let location = "mysql://\(Self.user)@\(server)/\(database)"
        let result = try schemasync(["inspect", url])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try SnapshotCoder.decode(Data(result.stdout.utf8), path: "stdout").catalog.location == location)
        let wrong = try schemasync(["inspect", url.replacingOccurrences(of: "Uni", with: "UNi")])
        #expect(wrong.status == 69 && wrong.stderr.contains("Access denied"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains(location), "\(wrong.stderr)")
        try syncHidesThePassword(url: url, location: location)
    }
}
