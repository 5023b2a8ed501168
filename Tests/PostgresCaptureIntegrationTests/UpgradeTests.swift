import EventContract
import Foundation
import SchemaCapture
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

@testable import PostgresCapture

/// What a user sees after `pg_upgrade`: the main fixture loaded on PostgreSQL 14, captured,
/// then upgraded with the real `pg_upgrade` to 15, 16, 17 and 18 in turn, captured after each
/// upgrade. Each upgrade must send the catalog's new server version and only what the newer
/// server really describes differently: the list below, which docs/capture-postgresql.md
/// repeats. The servers' bin folders come from SCHEMASYNC_TEST_PG_UPGRADE_BINDIRS
/// (`14=/path 15=/path …`), which scripts/test.sh sets once every major is installed.
@Suite(.serialized) struct UpgradeTests {
    static let bindirs: [Int: String] = {
        var result: [Int: String] = [:]
        let text = ProcessInfo.processInfo.environment["SCHEMASYNC_TEST_PG_UPGRADE_BINDIRS"] ?? ""
        for item in text.split(separator: " ") {
            let parts = item.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let major = Int(parts[0]) { result[major] = String(parts[1]) }
        }
        return result
    }()

    /// What each upgrade reports besides the catalog's server version, from the major it
    /// upgrades to. 16 prints a single-table view's columns without the table's name.
    static let expectedDifferences: [Int: [String]] = [
        15: [],
        16: [
            "alter relation upg.app.mv_customer_totals -> upg.app.mv_customer_totals",
            "alter relation upg.app.v_big_orders -> upg.app.v_big_orders",
            "alter relation upg.app.v_open_orders -> upg.app.v_open_orders",
        ],
        17: [],
        18: [],
    ]

    @Test(.enabled(if: Set(bindirs.keys).isSuperset(of: 14...18)))
    func upgradingFrom14To18SendsTheServerVersionAndWhatTheServerPrintsDifferently() throws {
        let cluster = try UpgradeCluster(bindirs: Self.bindirs)
        defer { cluster.remove() }
        try cluster.initialize(major: 14)
        try cluster.start(major: 14)
        let admin = try PGConnection(
            connection: cluster.conninfo(database: "postgres"), defaults: [], overrides: [], target: "upgrade admin")
        try admin.execute("CREATE DATABASE upg ENCODING 'UTF8' TEMPLATE template0", context: "creating upg")
        let setup = try PGConnection(
            connection: cluster.conninfo(database: "upg"), defaults: [], overrides: [], target: "upgrade setup")
        try setup.execute(try TestServer.fixtureSQL("pg-fixture.sql"), context: "loading the fixture")
        var previous = try cluster.capture()
        try cluster.stop(major: 14)
        #expect(previous.serverVersion.hasPrefix("14."))

        for major in 15...18 {
            try cluster.upgrade(from: major - 1, to: major)
            try cluster.start(major: major)
            let next = try cluster.capture()
            try cluster.stop(major: major)
            #expect(next.serverVersion.hasPrefix("\(major)."))
            let (changes, events) = try checkedStep(from: previous, to: next, label: "upgrade to \(major)")
            let summaries = changes.map(\.summary)
            #expect(summaries.first == "alter catalog", "upgrade to \(major)")
            #expect(
                Array(summaries.dropFirst()).sorted() == Self.expectedDifferences[major],
                "upgrade to \(major): \(summaries)")
            #expect(events.first?.type == .alterCatalog)
            // The upgrade renewed identities (schemas, constraints, functions) the differ kept.
            let target = try #require(SchemaDiffer.replayTarget(from: previous, to: next))
            #expect(
                target.databases.first?.schemas.map(\.objectId) == previous.databases.first?.schemas.map(\.objectId))
            if major == 18 {
                // 18 records NOT NULL constraints of its own, with the names the derived ones had.
                let tables = next.databases.flatMap { $0.schemas.flatMap { $0.relations.filter(\.kind.isTable) } }
                let notNull = tables.flatMap { table in table.columns.filter { !$0.nullable }.map { (table, $0) } }
                #expect(!notNull.isEmpty)
                for (table, column) in notNull {
                    #expect(
                        column.notNullConstraint?.name
                            == NotNullConstraintInfo.derivedName(table: table.name, column: column.name),
                        "\(table.name).\(column.name)")
                }
            }
            previous = next
        }
    }
}

/// Clusters of successive majors in one folder, upgraded one into the next with `pg_upgrade`,
/// run as the `postgres` user on one unused loopback-only socket port.
final class UpgradeCluster {
    let bindirs: [Int: String]
    let folder: String
    let port: Int

    init(bindirs: [Int: String]) throws {
        self.bindirs = bindirs
        folder = "/tmp/schemasync-upgrade-\(UInt32.random(in: 0...UInt32.max))"
        port = 55400 + Int.random(in: 0...99)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.run(["/bin/chown", "postgres", folder], in: "/")
    }

    func dataDirectory(_ major: Int) -> String { "\(folder)/data\(major)" }

    func bin(_ major: Int, _ tool: String) throws -> String {
        guard let folder = bindirs[major] else { throw SetupError(description: "no PostgreSQL \(major) bin folder") }
        return folder + "/" + tool
    }

    func conninfo(database: String) -> String { "host=\(folder) port=\(port) user=postgres dbname=\(database)" }

    func initialize(major: Int) throws {
        // The wheels' 18 turns data checksums on by default; the older clusters have none.
        let checksums = major >= 18 ? ["--no-data-checksums"] : []
        try Self.asPostgres(
            [
                try bin(major, "initdb"), "-D", dataDirectory(major), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ] + checksums, in: folder)
    }

    func start(major: Int) throws {
        try Self.asPostgres(
            [
                try bin(major, "pg_ctl"), "-D", dataDirectory(major), "-l", "\(folder)/server\(major).log", "-w", "-t",
                "60",
                "-o", "-p \(port) -c listen_addresses='' -c unix_socket_directories=\(folder) -c fsync=off", "start",
            ],
            in: folder)
    }

    func stop(major: Int) throws {
        try Self.asPostgres(
            [try bin(major, "pg_ctl"), "-D", dataDirectory(major), "-m", "fast", "-w", "stop"], in: folder)
    }

    func upgrade(from old: Int, to new: Int) throws {
        try initialize(major: new)
        try Self.asPostgres(
            [
                try bin(new, "pg_upgrade"), "-b", bindirs[old] ?? "", "-B", bindirs[new] ?? "", "-d",
                dataDirectory(old),
                "-D", dataDirectory(new), "-U", "postgres", "-s", folder, "-p", "\(port)", "-P", "\(port)",
            ], in: folder)
    }

    func capture() throws -> Catalog {
        try PostgresCatalogReader(connection: conninfo(database: "upg")).capture(TestCapture.options()).0
    }

    func remove() {
        for major in bindirs.keys.sorted()
        where FileManager.default.fileExists(atPath: dataDirectory(major) + "/postmaster.pid") {
            try? stop(major: major)
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Runs a command as the `postgres` user (initdb and pg_upgrade refuse root).
    static func asPostgres(_ arguments: [String], in directory: String) throws {
        if getuid() == 0 {
            try run(["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments, in: directory)
        } else if String(cString: getpwuid(getuid()).pointee.pw_name) == "postgres" {
            try run(arguments, in: directory)
        } else {
            try run(["/usr/bin/sudo", "-n", "-u", "postgres"] + arguments, in: directory)
        }
    }

    /// Runs a command to its end (bounded by pg_ctl's and pg_upgrade's own limits), failing
    /// with its output. posix_spawn and waitpid, not Foundation's Process: the server that
    /// `pg_ctl start` leaves running would inherit what Process watches for the end.
    static func run(_ arguments: [String], in directory: String) throws {
        let log = "/tmp/schemasync-upgrade-\(UInt32.random(in: 0...UInt32.max)).log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // In `directory` (pg_upgrade writes its files where it runs).
        let command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw SetupError(description: "cannot start \(arguments[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let output = FileManager.default.contents(atPath: log) ?? Data()
            throw SetupError(
                description: "\(arguments.prefix(2).joined(separator: " ")) failed (status \(status)): "
                    + String(decoding: output.suffix(2000), as: UTF8.self))
        }
    }
}
