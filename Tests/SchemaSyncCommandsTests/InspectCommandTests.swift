import Foundation
import SchemaModel
import SnapshotStore
import Testing

/// `schemasync inspect` against the test server (scripts/pg.sh).
@Suite struct InspectCommandTests {
    static var server: String {
        get throws {
            guard let server = ProcessInfo.processInfo.environment["SCHEMASYNC_TEST_PG_SERVER"] else {
                throw CommandError(
                    description: "SCHEMASYNC_TEST_PG_SERVER is not set: run the tests with scripts/test.sh")
            }
            return server
        }
    }
    static var password: String { ProcessInfo.processInfo.environment["SCHEMASYNC_TEST_PG_PASSWORD"] ?? "" }

    @Test func printsTheCanonicalSnapshot() throws {
        // The password written in the URL is used, and appears nowhere in the output.
        let url =
            try Self.server.replacingOccurrences(of: "://schemasync@", with: "://schemasync:\(Self.password)@")
            + "/postgres"
        let result = try CommandRunner.run(["inspect", url, "--name", "local"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(!result.stdout.contains(Self.password))
        let snapshot = try SnapshotCoder.decode(Data(result.stdout.utf8), path: "stdout")
        #expect(snapshot.catalog.name == "local")
        #expect(snapshot.catalog.kind == .postgresql)
        #expect(snapshot.catalog.location.hasSuffix("/postgres"))
        #expect(snapshot.catalog.databases.map(\.name) == ["postgres"])
        #expect(CaptureTime.millis(iso8601: snapshot.capturedAt) != nil)
        // The printed bytes are the canonical encoding.
        #expect(try SnapshotCoder.encode(snapshot) == Data(result.stdout.utf8))
    }

    @Test func writesToAFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("inspect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("snap.json").path
        let result = try CommandRunner.run(
            ["inspect", try Self.server + "/postgres", "--include", "public.*", "--output", output],
            environment: ["PGPASSWORD": Self.password])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let snapshot = try SnapshotCoder.decode(try Data(contentsOf: URL(fileURLWithPath: output)), path: output)
        #expect(snapshot.scope.include == ["public.*"])
    }

    @Test func unreachableServerExits69() throws {
        let result = try CommandRunner.run([
            "inspect", "postgresql://someone:pw-not-shown@127.0.0.1:1/db", "--connect-timeout", "3",
        ])
        #expect(result.status == 69)
        #expect(result.stderr.contains("unreachable"))
        #expect(result.stderr.contains("127.0.0.1:1"))
        #expect(!result.stderr.contains("pw-not-shown"))
    }

    @Test func wrongPasswordExits69() throws {
        let result = try CommandRunner.run(
            ["inspect", try Self.server + "/postgres"], environment: ["PGPASSWORD": "wrong-pw-not-shown"])
        #expect(result.status == 69)
        #expect(result.stderr.contains("authentication failed"))
        #expect(!result.stderr.contains("wrong-pw-not-shown"))
    }

    @Test(arguments: ["mysql://u@127.0.0.1:99999/db", "just-a-word", "postgresql://127.0.0.1/x?bogus_option=1"])
    func unusableURLExits64(url: String) throws {
        let result = try CommandRunner.run(["inspect", url])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("schemasync: error: "))
    }

    @Test func invalidSourceNameExits64() throws {
        let result = try CommandRunner.run(["inspect", "postgresql://127.0.0.1:1/x", "--name", "../escape"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("invalid source name"))
    }
}
