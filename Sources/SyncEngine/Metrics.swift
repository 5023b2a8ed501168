import Foundation
import SnapshotStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Prometheus text file `sync --metrics-file` writes for node_exporter's textfile
/// collector: per source, the last success time, events sent and failed runs. Counters go
/// on from the previous file's values.
public struct SyncMetrics: Sendable, Equatable {
    /// Per source: when it last synced without error (seconds since the epoch).
    public var lastSuccess: [String: Double] = [:]
    /// Per source: events sent, over every run.
    public var eventsSent: [String: Int] = [:]
    /// Per source: runs that ended in an error.
    public var failures: [String: Int] = [:]

    /// The lines (numbered from 1) of the text this was parsed from whose value could not be
    /// read (`NaN`, `+Inf`, a negative count, a count above 2^53): skipped, so that counter
    /// starts again from 0 (Prometheus reads that as a counter reset).
    public var unreadableLines: [Int] = []

    /// The largest count read back: 2^53, up to which a Prometheus value (a float64) holds
    /// every whole number. Anything above is no count this tool wrote.
    static let largestCount = 9_007_199_254_740_992.0

    /// Empty metrics.
    public init() {}

    /// The metrics of an earlier file's text. Unknown lines are ignored; a value that is not a
    /// finite number (or, for a counter, not a count) is skipped and its line noted in
    /// `unreadableLines`: a damaged file never stops a sync.
    public init(parsing text: String) {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let open = parts[0].firstIndex(of: "{") else { continue }
            let name = String(parts[0][..<open])
            let labels = parts[0][open...]
            guard let start = labels.range(of: "source=\""), let end = labels[start.upperBound...].firstIndex(of: "\"")
            else {
                continue
            }
            let source = String(labels[start.upperBound..<end])
            let value = Double(parts[1]).flatMap { $0.isFinite ? $0 : nil }
            let count = value.flatMap { $0 >= 0 && $0 <= Self.largestCount ? Int($0.rounded(.down)) : nil }
            switch name {
            case "schemasync_last_success_timestamp_seconds":
                guard let value else {
                    unreadableLines.append(number + 1)
                    continue
                }
                lastSuccess[source] = value
            case "schemasync_events_sent_total", "schemasync_failures_total":
                guard let count else {
                    unreadableLines.append(number + 1)
                    continue
                }
                if name == "schemasync_events_sent_total" {
                    eventsSent[source] = count
                } else {
                    failures[source] = count
                }
            default: break
            }
        }
    }

    /// Adds a run's outcome: its events and success time, or a failure.
    public mutating func record(source: String, events: Int, succeededAt time: Double?) {
        eventsSent[source, default: 0] += events
        if let time {
            lastSuccess[source] = time
        } else {
            failures[source, default: 0] += 1
        }
        failures[source] = failures[source] ?? 0
    }

    /// The Prometheus text exposition.
    public var text: String {
        let sources = Set(lastSuccess.keys).union(eventsSent.keys).union(failures.keys).sorted()
        var lines = [
            "# HELP schemasync_last_success_timestamp_seconds When the source last synced without error.",
            "# TYPE schemasync_last_success_timestamp_seconds gauge",
        ]
        for source in sources {
            if let time = lastSuccess[source] {
                lines.append("schemasync_last_success_timestamp_seconds{source=\"\(source)\"} \(time)")
            }
        }
        lines += [
            "# HELP schemasync_events_sent_total Events sent for the source.",
            "# TYPE schemasync_events_sent_total counter",
        ]
        for source in sources {
            lines.append("schemasync_events_sent_total{source=\"\(source)\"} \(eventsSent[source] ?? 0)")
        }
        lines += [
            "# HELP schemasync_failures_total Sync runs of the source that failed.",
            "# TYPE schemasync_failures_total counter",
        ]
        for source in sources {
            lines.append("schemasync_failures_total{source=\"\(source)\"} \(failures[source] ?? 0)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The metrics file on disk: read, changed and replaced under a lock, so that runs at the
/// same time (cron overlapping a manual run, `--jobs`) add up and lose no increment.
public enum MetricsFile {
    /// How long a run waits for another to finish updating the file.
    static let lockTimeout = 30.0

    /// The lock file beside `path` (`.schemasync.prom.lock` for `schemasync.prom`), which
    /// node_exporter's textfile collector ignores (it reads `*.prom` only).
    public static func lockPath(for path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let name = "." + (path as NSString).lastPathComponent + ".lock"
        return folder.isEmpty ? name : folder + "/" + name
    }

    /// Reads the file at `path` (none yet is empty metrics), applies `change`, and replaces
    /// the file atomically, keeping its mode and owner; all under an exclusive `flock` on
    /// `lockPath(for:)`, held from the read to the rename. Blocking: from async code, call
    /// it through `runBlocking`. Returns the lines whose values could not be read (skipped).
    ///
    /// A path that is not a regular file (a pipe, `/dev/stdout`) is neither read nor locked:
    /// this run's values are written into it as they are.
    @discardableResult
    public static func update(_ path: String, _ change: (inout SyncMetrics) -> Void) throws -> [Int] {
        var status = stat()
        if stat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG && (status.st_mode & S_IFMT) != S_IFDIR {
            var metrics = SyncMetrics()
            change(&metrics)
            try AtomicFile.write(Data(metrics.text.utf8), to: path)
            return []
        }
        let lock = try SourceLock(path: lockPath(for: path), waitingUpTo: lockTimeout)
        return try withExtendedLifetime(lock) {
            let previous = try AtomicFile.read(path).map { String(decoding: $0, as: UTF8.self) } ?? ""
            var metrics = SyncMetrics(parsing: previous)
            change(&metrics)
            try AtomicFile.write(Data(metrics.text.utf8), to: path)
            return metrics.unreadableLines
        }
    }
}
