import Foundation

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

    /// Empty metrics.
    public init() {}

    /// The metrics of an earlier file's text (unknown lines are ignored).
    public init(parsing text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let open = parts[0].firstIndex(of: "{"), let value = Double(parts[1]) else {
                continue
            }
            let name = String(parts[0][..<open])
            let labels = parts[0][open...]
            guard let start = labels.range(of: "source=\""), let end = labels[start.upperBound...].firstIndex(of: "\"")
            else {
                continue
            }
            let source = String(labels[start.upperBound..<end])
            switch name {
            case "schemasync_last_success_timestamp_seconds": lastSuccess[source] = value
            case "schemasync_events_sent_total": eventsSent[source] = Int(value)
            case "schemasync_failures_total": failures[source] = Int(value)
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
