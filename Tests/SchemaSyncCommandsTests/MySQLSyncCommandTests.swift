import EventContract
import Foundation
import LocalReceiver
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import SnapshotStore
import Testing

/// `schemasync sync` and `inspect` of a MariaDB source, end to end: the file sink, the store,
/// a change between two runs; replaying everything the sink received gives the snapshot.
@Suite(.serialized) struct MySQLSyncCommandTests {
    let folder: String
    let database: String
    let server: String
    let password: String
    let admin: [String]

    init() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let server = environment["SCHEMASYNC_TEST_MARIADB_SERVER"],
            let admin = environment["SCHEMASYNC_TEST_MARIADB_ADMIN"]
        else {
            throw CommandError(
                description: "SCHEMASYNC_TEST_MARIADB_SERVER is not set: run the tests with scripts/test.sh")
        }
        self.server = server
        self.admin = admin.split(separator: " ").map(String.init)
        password = environment["SCHEMASYNC_TEST_MARIADB_PASSWORD"] ?? ""
        folder = FileManager.default.temporaryDirectory.path + "/mysql-sync-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        database = "mysync_\(UInt32.random(in: 0...UInt32.max))"
        try sql("CREATE DATABASE \(database) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")
        try sql(
            """
            CREATE TABLE \(database).customers (id int PRIMARY KEY, email varchar(100) NOT NULL UNIQUE);
            CREATE TABLE \(database).orders (id int PRIMARY KEY, customer int, total decimal(12,2),
              CONSTRAINT fk_orders_customer FOREIGN KEY (customer) REFERENCES \(database).customers (id));
            CREATE TABLE \(database).items (id int PRIMARY KEY, name varchar(50));
            """)
    }

    /// Runs SQL as the server's administrator, through the mariadb client.
    func sql(_ text: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = admin + ["-e", text]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandError(description: "mariadb failed: \(text)") }
    }

    var sinkPath: String { folder + "/events.ndjson" }
    var storePath: String { folder + "/snapshots" }

    /// A config with the file sink, or `sink` (YAML).
    func writeConfig(sink: String? = nil) throws -> String {
        let path = folder + "/schemasync.yaml"
        let url = SyncSupport.url(server) + "/\(database)"
        try """
        snapshots: \(storePath)
        sink: \(sink ?? "{ kind: file, path: \(sinkPath) }")
        sources:
          - name: shop
            url: \(url)
            engine: RDS
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func sync(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
        try SyncSupport.run(arguments, databasePassword: password, environment: environment)
    }

    func events() throws -> [Event] {
        guard FileManager.default.fileExists(atPath: sinkPath) else { return [] }
        return try SyncSupport.events(
            inBodies: String(contentsOfFile: sinkPath, encoding: .utf8).split(separator: "\n"))
    }

    @Test func syncTwiceWithAChangeBetween() throws {
        defer { try? sql("DROP DATABASE IF EXISTS \(database)") }
        let config = try writeConfig()
        let first = try sync(["--all", "--config", config])
        #expect(first.status == 0, "\(first.stderr)")
        let initial = try events()
        #expect(initial.first?.type == .createCatalog)
        #expect(initial.contains { $0.type == .createDatabase })
        #expect(initial.contains { $0.type == .addForeignKey })
        #expect(!initial.contains { $0.type == .createSchema })
        let committed = try #require(try SnapshotStore(root: storePath).committed("shop"))
        #expect(committed.catalog.kind == .mariadb)
        // Everything but the binary log position, which is what the capture saw, not content.
        var content = committed.catalog
        #expect(content.binaryLog != nil)
        content.binaryLog = nil
        #expect(try EventApplier.apply(initial, to: nil) == content)

        try sql(
            "ALTER TABLE \(database).orders ADD COLUMN note varchar(20); "
                + "ALTER TABLE \(database).orders RENAME COLUMN total TO amount; "
                + "RENAME TABLE \(database).items TO \(database).products")
        let second = try sync(["shop", "--config", config])
        #expect(second.status == 0, "\(second.stderr)")
        let all = try events()
        let delivered = all.dropFirst(initial.count).map(\.type)
        #expect(delivered.sorted { $0.rawValue < $1.rawValue } == [.addColumn, .alterColumn, .alterTable])
        let now = try #require(try SnapshotStore(root: storePath).committed("shop"))
        #expect(SchemaDiffer.comparable(try EventApplier.apply(all, to: nil)) == SchemaDiffer.comparable(now.catalog))
        let snapshotText = try String(contentsOfFile: storePath + "/shop/snapshot.json", encoding: .utf8)
        #expect(!snapshotText.contains(password))
        #expect(snapshotText.contains("\"location\""))

        // Nothing changed: nothing sent.
        let quiet = try sync(["shop", "--config", config])
        #expect(quiet.status == 0)
        #expect(quiet.stderr.contains("0 changes"))
        #expect(try events().count == all.count)

        // TRUNCATE gives the table a new InnoDB id and sends nothing; the snapshot keeps the
        // new id, so a later rename is still one alter, never a drop and a create.
        try sql("TRUNCATE TABLE \(database).orders")
        let truncated = try sync(["shop", "--config", config])
        #expect(truncated.status == 0 && truncated.stderr.contains("0 changes"))
        #expect(try events().count == all.count)
        try sql("RENAME TABLE \(database).orders TO \(database).purchases")
        #expect(try sync(["shop", "--config", config]).status == 0)
        #expect(try events().dropFirst(all.count).map(\.type) == [.alterTable])
    }

    /// A view the server reports invalid keeps its last known columns: the one capture that
    /// asks a sync for the committed snapshot's whole catalog (decoded then, not before).
    /// Broken, the view is altered (invalid) with its columns; still broken, nothing changed.
    @Test func aViewBrokenBetweenSyncsKeepsItsColumns() throws {
        defer { try? sql("DROP DATABASE IF EXISTS \(database)") }
        try sql("CREATE VIEW \(database).v AS SELECT id, name FROM \(database).items")
        let config = try writeConfig()
        #expect(try sync(["--all", "--config", config]).status == 0)
        let sent = try events().count
        try sql("ALTER TABLE \(database).items RENAME COLUMN name TO title")
        let broken = try sync(["shop", "--config", config])
        #expect(broken.status == 0, "\(broken.stderr)")
        let committed = try #require(try SnapshotStore(root: storePath).committed("shop"))
        let view = committed.catalog.databases.first?.schemas.first?.relations.first { $0.name == "v" }
        #expect(view?.options["invalid"] == "true")
        #expect(view?.columns.map(\.name) == ["id", "name"])
        let delivered = try events().count
        #expect(delivered > sent)
        let quiet = try sync(["shop", "--config", config])
        #expect(quiet.status == 0 && quiet.stderr.contains("0 changes"), "\(quiet.stderr)")
        #expect(try events().count == delivered)
    }

    @Test func aTableRenamedAndRebuiltBetweenSyncsIsARenameByTheBinaryLog() throws {
        defer { try? sql("DROP DATABASE IF EXISTS \(database)") }
        try BinaryLogLock.shared { try renameAndRebuildBetweenSyncs() }
    }

    func renameAndRebuildBetweenSyncs() throws {
        let config = try writeConfig()
        #expect(try sync(["shop", "--config", config]).status == 0)
        let sent = try events().count
        let first = try String(contentsOfFile: storePath + "/shop/snapshot.json", encoding: .utf8)
        #expect(first.contains("\"binaryLog\""))
        // Renamed, a column renamed and one added, and rebuilt (a new InnoDB id): neither the id
        // nor likeness links items and products; the binary log does.
        try sql(
            "RENAME TABLE \(database).items TO \(database).products; "
                + "ALTER TABLE \(database).products RENAME COLUMN name TO title, ADD COLUMN price int, FORCE")
        let second = try sync(["shop", "--config", config])
        #expect(second.status == 0, "\(second.stderr)")
        let delivered = try events().dropFirst(sent).map(\.type)
        #expect(delivered == [.alterTable, .alterColumn, .addColumn])
        let now = try String(contentsOfFile: storePath + "/shop/snapshot.json", encoding: .utf8)
        #expect(now.contains("\"nameChanges\""))
    }

    @Test func syncIntoTheReceiver() throws {
        defer { try? sql("DROP DATABASE IF EXISTS \(database)") }
        let secret = "mariadb-receiver-sk-never-shown"
        let receiver = try Receiver(
            ReceiverOptions(projectID: "p1", auth: .accessKey(ak: "AKMARIADB0000001", sk: secret), log: { _ in }))
        let port = try receiver.start()
        defer { receiver.stop() }
        let config = try writeConfig(
            sink: "{ kind: dataarts, endpoint: 'http://127.0.0.1:\(port)', project_id: p1, "
                + "auth: { ak: AKMARIADB0000001, sk: ${TEST_SK} }, batch: { max_events: 4 } }")
        func expectReceiverEqualsCommitted() throws {
            let committed = try #require(try SnapshotStore(root: storePath).committed("shop"))
            // InnoDB table ids are hints, renewed by rebuilds without events: set aside.
            #expect(SchemaDiffer.comparable(receiver.catalog) == SchemaDiffer.comparable(committed.catalog))
        }
        let first = try sync(["shop", "--config", config], environment: ["TEST_SK": secret])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(receiver.statistics.applied > 1)
        try expectReceiverEqualsCommitted()

        for change in [
            "RENAME TABLE \(database).items TO \(database).products",
            "ALTER TABLE \(database).orders RENAME COLUMN total TO amount",
            "CREATE INDEX by_name ON \(database).products (name(10))",
            "ALTER TABLE \(database).products RENAME INDEX by_name TO products_by_name",
            "ALTER TABLE \(database).customers ADD COLUMN born date AFTER id",
            "TRUNCATE TABLE \(database).orders",
            "ALTER TABLE \(database).orders MODIFY COLUMN amount decimal(14,2)",
            "DROP TABLE \(database).products",
        ] {
            try sql(change)
            let run = try sync(["shop", "--config", config, "--allow-drops"], environment: ["TEST_SK": secret])
            #expect(run.status == 0, "\(change): \(run.stderr)")
            try expectReceiverEqualsCommitted()
        }
        let leaked = try String(contentsOfFile: storePath + "/shop/snapshot.json", encoding: .utf8).contains(secret)
        #expect(!leaked)
    }

    @Test func aDatabaseHiddenByRevokedPrivilegesIsAnErrorNeverADrop() throws {
        let other = database + "_b"
        let user = "limited_\(UInt32.random(in: 0...UInt32.max))"
        let userPassword = "limited-pw-never-shown"
        defer {
            try? sql(
                "DROP DATABASE IF EXISTS \(database); DROP DATABASE IF EXISTS \(other); DROP USER IF EXISTS '\(user)'@'127.0.0.1'"
            )
        }
        try sql(
            "CREATE DATABASE \(other); CREATE TABLE \(other).t (id int PRIMARY KEY); "
                + "CREATE USER '\(user)'@'127.0.0.1' IDENTIFIED BY '\(userPassword)'; "
                + "GRANT SELECT, SHOW VIEW ON \(database).* TO '\(user)'@'127.0.0.1'; "
                + "GRANT SELECT, SHOW VIEW ON \(other).* TO '\(user)'@'127.0.0.1'")
        let url = SyncSupport.url(server, user: user) + "/"
        let config = folder + "/limited.yaml"
        try """
        snapshots: \(storePath)
        sink: { kind: file, path: \(sinkPath) }
        sources:
          - name: shop
            url: \(url)
            databases: all
            engine: RDS
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let run = { try SyncSupport.run(["shop", "--config", config], databasePassword: userPassword) }
        let first = try run()
        #expect(first.status == 0, "\(first.stderr)")
        let delivered = try #require(try SnapshotStore(root: storePath).committed("shop"))
        #expect(delivered.catalog.databases.map(\.name).contains(other))
        let sent = try events().count

        try sql("REVOKE SELECT, SHOW VIEW ON \(other).* FROM '\(user)'@'127.0.0.1'")
        let hidden = try run()
        #expect(hidden.status == 69, "\(hidden.stderr)")
        #expect(hidden.stderr.contains("database \(other), delivered before"))
        #expect(hidden.stderr.contains("nothing was reported as dropped"))
        #expect(try events().count == sent)
        #expect(try SnapshotStore(root: storePath).committed("shop")?.catalog == delivered.catalog)
        let leaked = hidden.stderr.contains(userPassword)
        #expect(!leaked)
        // The dry run says the same instead of reporting a drop.
        let liveURL = server.replacingOccurrences(of: "://schemasync@", with: "://\(user)@") + "/"
        let dryRun = try CommandRunner.run(
            [
                "diff", "--from", storePath + "/shop/snapshot.json", "--to", liveURL, "--databases", "all",
                "--exit-code",
            ],
            environment: ["MYSQL_PWD": userPassword])
        #expect(dryRun.status == 2, "\(dryRun.stdout)\(dryRun.stderr)")
        #expect(dryRun.stderr.contains("delivered before"))
        let dropReported = try CommandRunner.run(
            [
                "diff", "--from", storePath + "/shop/snapshot.json", "--to", liveURL, "--databases", "all",
                "--exit-code", "--allow-drops",
            ], environment: ["MYSQL_PWD": userPassword])
        #expect(dropReported.status == 1, "\(dropReported.stdout)\(dropReported.stderr)")
        #expect(dropReported.stdout.contains(other))

        // Really dropped: this account cannot tell, so it takes --allow-drops, as the drop guard
        // asks for a whole database anyway.
        try sql("DROP DATABASE \(other)")
        #expect(try run().status == 69)
        let allowed = try SyncSupport.run(
            ["shop", "--config", config, "--allow-drops"], databasePassword: userPassword)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try events().dropFirst(sent).contains { $0.type == .dropDatabase })
    }

    @Test func inspectAndBadURLs() throws {
        defer { try? sql("DROP DATABASE IF EXISTS \(database)") }
        let result = try CommandRunner.run(
            ["inspect", server + "/\(database)", "--summary"], environment: ["MYSQL_PWD": password])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("relations:   3"))
        let wrong = try CommandRunner.run(
            ["inspect", server + "/\(database)?ssl-mode=DISABLED"], environment: ["MYSQL_PWD": "wrong-pw-not-shown"])
        #expect(wrong.status == 69)
        #expect(wrong.stderr.contains("1045"))
        #expect(!wrong.stderr.contains("wrong-pw-not-shown"))
        let malformed = try CommandRunner.run(["inspect", "mysql://u:secret-pw@127.0.0.1/db?ssl-mode=SOMETIMES"])
        #expect(malformed.status == 64)
        #expect(!malformed.stderr.contains("secret-pw"))
    }
}
