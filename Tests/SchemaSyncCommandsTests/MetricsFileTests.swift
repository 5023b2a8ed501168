import Foundation
import Testing

/// `sync --metrics-file`: a damaged file never stops a sync, runs at the same time add up, and
/// the file keeps its mode. The sources are unreachable (a closed loopback port), so each run
/// fails at once and adds one to its source's `schemasync_failures_total`; no server needed.
@Suite struct MetricsFileTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.path + "/metrics-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    var metricsPath: String { folder + "/schemasync.prom" }

    /// A config of `count` sources `s0`, `s1`, … that all fail to connect.
    func writeConfig(sources count: Int) throws -> String {
        let path = folder + "/schemasync.yaml"
        var text = """
            snapshots: \(folder)/snapshots
            sink: { kind: file, path: \(folder)/events.ndjson }
            sources:

            """
        for index in 0..<count {
            text += "  - { name: s\(index), url: 'postgresql://u@127.0.0.1:1/db', engine: x }\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func failures(_ source: String) throws -> Int? {
        let text = try String(contentsOfFile: metricsPath, encoding: .utf8)
        let prefix = "schemasync_failures_total{source=\"\(source)\"} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) }
    }

    @Test func valuesThatAreNotCountsAreSkipped() throws {
        let config = try writeConfig(sources: 2)
        try """
        # HELP schemasync_events_sent_total Events sent for the source.
        schemasync_events_sent_total{source="s0"} NaN
        schemasync_failures_total{source="s0"} +Inf
        schemasync_events_sent_total{source="s1"} 9.3e18
        schemasync_failures_total{source="s1"} 7
        schemasync_last_success_timestamp_seconds{source="s1"} -Inf
        schemasync_events_sent_total{source="s2"} -4
        schemasync_last_success_timestamp_seconds{source="s2"} 1764037800.5

        """.write(toFile: metricsPath, atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(["sync", "s0", "--config", config, "--metrics-file", metricsPath])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("skipped unreadable values (line 2, 3, 4, 6, 7)"), "\(result.stderr)")
        let text = try String(contentsOfFile: metricsPath, encoding: .utf8)
        #expect(try failures("s0") == 1)
        #expect(try failures("s1") == 7)
        #expect(text.contains("schemasync_events_sent_total{source=\"s0\"} 0\n"))
        #expect(text.contains("schemasync_events_sent_total{source=\"s1\"} 0\n"))
        #expect(text.contains("schemasync_last_success_timestamp_seconds{source=\"s2\"} 1764037800.5\n"))
        #expect(!text.contains("source=\"s1\"} -Inf") && !text.lowercased().contains("nan"))
        // The file it wrote reads back whole.
        let again = try CommandRunner.run(["sync", "s1", "--config", config, "--metrics-file", metricsPath])
        #expect(again.status == 69 && !again.stderr.contains("skipped"), "\(again.stderr)")
        #expect(try failures("s1") == 8)
    }

    /// Eight processes, each running `sync` five times on its own source, all at once: every
    /// increment is in the file (the update is locked from the read to the rename).
    @Test func concurrentRunsLoseNoIncrement() throws {
        let workers = 8
        let runs = 5
        let config = try writeConfig(sources: workers)
        let executable = try CommandRunner.executable.path
        var processes: [Process] = []
        for worker in 0..<workers {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [
                "-c",
                "for i in $(seq \(runs)); do \"$0\" sync s\(worker) --config \"$1\" --metrics-file \"$2\"; done",
                executable, config, metricsPath,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            processes.append(process)
        }
        for process in processes { try process.run() }
        let deadline = Date().addingTimeInterval(300)
        while processes.contains(where: \.isRunning) && Date() < deadline { usleep(50_000) }
        for process in processes where process.isRunning { process.terminate() }
        for process in processes { process.waitUntilExit() }
        for worker in 0..<workers {
            #expect(try failures("s\(worker)") == runs, "s\(worker)")
        }
        #expect(FileManager.default.fileExists(atPath: folder + "/.schemasync.prom.lock"))
    }

    /// node_exporter reads the file through its group: a 0640 file stays 0640.
    @Test func theFileKeepsItsMode() throws {
        let config = try writeConfig(sources: 1)
        try Data().write(to: URL(fileURLWithPath: metricsPath))
        #expect(chmod(metricsPath, 0o640) == 0)
        var before = stat()
        #expect(stat(metricsPath, &before) == 0)
        let result = try CommandRunner.run(["sync", "s0", "--config", config, "--metrics-file", metricsPath])
        #expect(result.status == 69, "\(result.stderr)")
        var after = stat()
        #expect(stat(metricsPath, &after) == 0)
        #expect(after.st_mode & 0o7777 == 0o640)
        #expect(after.st_uid == before.st_uid && after.st_gid == before.st_gid)
        #expect(after.st_ino != before.st_ino, "replaced (renamed over), not written in place")
        #expect(try failures("s0") == 1)
    }
}
