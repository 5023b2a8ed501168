import ArgumentParser
import EventContract
import EventDelivery
import Foundation
import PostgresStore
import SchemaCapture
import SchemaModel
import SnapshotStore
import SyncConfig
import SyncEngine
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

extension SchemaSyncCommand {
    /// `schemasync sync`: the cron job. For each source: capture, diff against the delivered
    /// snapshot, send the events, commit (docs/delivery.md).
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send each source's schema changes since its last delivery, then record them as delivered.",
            discussion: """
                With no source named, every source of the config is synced (as --all). Safe to run from cron: a second run of the same source exits at once (75); an \
                interrupted delivery is finished first; nothing is lost or skipped. A run that \
                would drop a whole database or more than max_drop_ratio of a source's tables stops \
                before sending (77) unless --allow-drops.
                """)

        @Argument(help: "The sources to sync (names from the config); none: every source.")
        var sources: [String] = []

        @Flag(name: .long, help: "Sync every source of the config (the same as naming none).")
        var all = false

        @OptionGroup var config: ConfigArguments

        @Option(name: .long, help: "Sources to sync in parallel.")
        var jobs: Int = 1

        @Flag(name: .long, help: "Record the live state as delivered without sending (a first run).")
        var baseline = false

        @Flag(name: .long, help: "Let a run drop whole databases or more than max_drop_ratio of the tables.")
        var allowDrops = false

        @Option(name: .long, help: "Write Prometheus metrics here (for node_exporter's textfile collector).")
        var metricsFile: String?

        @Option(name: .long, help: "The per-source summary and errors: text, or json (one object per line, for cron).")
        var logFormat: String = "text"

        func run() async throws {
            let outcome = try await reportingErrors { try await syncAll() }
            if outcome != 0 { throw ExitCode(outcome) }
        }

        /// Syncs the sources; returns the worst exit code among them.
        private func syncAll() async throws -> Int32 {
            guard logFormat == "text" || logFormat == "json" else {
                throw UsageError(description: "unknown --log-format \(logFormat): use text or json")
            }
            let json = logFormat == "json"
            let (settings, path) = try config.load()
            guard !(all && !sources.isEmpty) else {
                throw UsageError(
                    description: "name the sources to sync, or give --all (or neither: every source), not both")
            }
            let chosen =
                try sources.isEmpty
                ? settings.sources
                : sources.map { name in
                    guard let source = settings.source(named: name) else {
                        throw UsageError(
                            description: "no source named \"\(name)\" in \(path); it has: "
                                + settings.sources.map(\.name).joined(separator: ", "))
                    }
                    return source
                }
            let warn: @Sendable (String) -> Void = { message in
                if json {
                    Self.log(["level": "warning", "message": .string(message)])
                } else {
                    FileHandle.standardError.write(Data("schemasync: warning: \(message)\n".utf8))
                }
            }
            let sink = try SinkFactory.sink(settings.sink, warn: warn)
            let store = try StoreLocation.open(settings.snapshots, schema: settings.snapshotsSchema)
            let millis = WallClock.nowMillis()
            // A shared store: the round starts on the store's clock, and the sources are taken
            // longest-unsynced first, so runners started together spread over them (docs/store.md).
            var roundStart: Date?
            var ordered = chosen
            if let shared = store as? PostgresSnapshotStore {
                roundStart = try shared.now()
                let order = try shared.longestUnsyncedFirst(chosen.map(\.name))
                ordered = order.compactMap { name in chosen.first { $0.name == name } }
            }
            let runs = try ordered.map { source in
                SourceSync(
                    name: source.name, reader: try SourceConnector.reader(for: source.url),
                    options: CaptureOptions(
                        sourceName: source.name, databases: source.databases,
                        filter: NameFilter(include: source.include, exclude: source.exclude), capturedAtMillis: millis),
                    envelope: EnvelopeSettings(
                        engine: source.engine, engineVersion: source.engineVersion, instanceID: source.instanceID,
                        projectID: source.projectID),
                    store: store, sink: sink,
                    batcher: Batcher(maxEvents: settings.sink.maxEvents, maxBytes: settings.sink.maxBytes),
                    baseline: baseline, allowDrops: allowDrops, maxDropRatio: source.maxDropRatio,
                    toolVersion: SchemaSyncVersion.current, roundStart: roundStart)
            }
            let progress = !json && isatty(2) == 1
            var outcomes = await withTaskGroup(of: SyncOutcome.self) { group in
                var outcomes: [SyncOutcome] = []
                var next = 0
                func start() {
                    guard next < runs.count else { return }
                    let sync = runs[next]
                    next += 1
                    group.addTask { await Self.syncOne(sync, json: json, progress: progress, lastTry: false) }
                }
                for _ in 0..<max(1, jobs) { start() }
                for await outcome in group {
                    outcomes.append(outcome)
                    start()
                }
                return outcomes
            }
            // The sources another runner held: tried once more at the end of the round (their
            // holder may have finished), one at a time; still held, they are skipped.
            for (index, outcome) in outcomes.enumerated() where outcome.heldElsewhere {
                guard let sync = runs.first(where: { $0.name == outcome.source }) else { continue }
                outcomes[index] = await Self.syncOne(sync, json: json, progress: progress, lastTry: true)
            }
            if let metricsFile {
                let skipped = try await Self.writeMetrics(outcomes, to: metricsFile)
                if !skipped.isEmpty {
                    let lines = skipped.map(String.init).joined(separator: ", ")
                    warn("\(metricsFile): skipped unreadable values (line \(lines)); those series start again")
                }
            }
            return outcomes.map(\.code).max() ?? 0
        }

        /// Adds this run's outcomes to the metrics file (locked, atomically); returns the lines
        /// of the file's values that could not be read (skipped).
        private static func writeMetrics(_ outcomes: [SyncOutcome], to path: String)
            async throws -> [Int]
        {
            let now = Date().timeIntervalSince1970
            return try await runBlocking {
                try MetricsFile.update(path) { metrics in
                    for outcome in outcomes {
                        metrics.record(
                            source: outcome.source, events: outcome.events, succeededAt: outcome.code == 0 ? now : nil)
                    }
                }
            }
        }

        /// What one source's sync came to.
        struct SyncOutcome: Sendable {
            var source: String
            var code: Int32
            var events: Int
            /// Another runner held its lock, and this was not the last try: nothing reported yet.
            var heldElsewhere = false
        }

        /// A source of a shared store skipped because another runner holds it, not synced for
        /// longer than this (on the store's clock), is warned about: its holder may hang.
        static let staleAfter: TimeInterval = 3600

        /// One source, with its summary or error on standard error (a line of text, or a JSON
        /// object); on a terminal, the requests sent as they go. Its name, exit code and events
        /// sent. A source another runner holds is reported only on the `lastTry`.
        private static func syncOne(_ sync: SourceSync, json: Bool, progress: Bool, lastTry: Bool) async
            -> SyncOutcome
        {
            do {
                let summary = try await sync.run { sent, total in
                    guard progress else { return }
                    FileHandle.standardError.write(
                        Data("\rschemasync: \(sync.name): sent \(sent) of \(total) requests".utf8))
                    if sent == total { FileHandle.standardError.write(Data("\n".utf8)) }
                }
                for warning in summary.warnings {
                    if json {
                        log(["level": "warning", "source": .string(sync.name), "message": .string(warning)])
                    } else {
                        FileHandle.standardError.write(Data("schemasync: \(sync.name): warning: \(warning)\n".utf8))
                    }
                }
                if json {
                    log([
                        "level": "info", "source": .string(sync.name), "message": "synced",
                        "changes": .int(Int64(summary.changes)), "events": .int(Int64(summary.events)),
                        "requests": .int(Int64(summary.batches)),
                        "resumedRequests": .int(Int64(summary.resumedBatches)),
                        "retries": .int(Int64(summary.retries)),
                        "baseline": .bool(sync.baseline), "seconds": .double(summary.seconds),
                    ])
                    return SyncOutcome(source: sync.name, code: 0, events: summary.events)
                }
                var line = "schemasync: \(sync.name): \(summary.changes) change\(summary.changes == 1 ? "" : "s")"
                if summary.resumedBatches > 0 {
                    line += ", finished an interrupted delivery (\(summary.resumedBatches) requests)"
                }
                line += ", \(summary.events) events in \(summary.batches) request\(summary.batches == 1 ? "" : "s")"
                if summary.retries > 0 { line += ", \(summary.retries) retr\(summary.retries == 1 ? "y" : "ies")" }
                if sync.baseline { line += ", recorded as delivered (baseline)" }
                line += String(format: ", %.2f s\n", summary.seconds)
                FileHandle.standardError.write(Data(line.utf8))
                return SyncOutcome(source: sync.name, code: 0, events: summary.events)
            } catch let skip as SourceSync.SyncedElsewhere {
                skipped(sync.name, "\(skip)", json: json)
                return SyncOutcome(source: sync.name, code: 0, events: 0)
            } catch let error as SnapshotStoreError where error.code == .locked && sync.store.isShared {
                guard lastTry else { return SyncOutcome(source: sync.name, code: 0, events: 0, heldElsewhere: true) }
                skipped(sync.name, "another runner holds it", json: json)
                if let stale = staleness(sync) {
                    if json {
                        log(["level": "warning", "source": .string(sync.name), "message": .string(stale)])
                    } else {
                        FileHandle.standardError.write(Data("schemasync: \(sync.name): warning: \(stale)\n".utf8))
                    }
                }
                return SyncOutcome(source: sync.name, code: 0, events: 0)
            } catch {
                let code = ExitStatus.code(for: error)
                if json {
                    log([
                        "level": "error", "source": .string(sync.name), "message": .string("\(error)"),
                        "exitCode": .int(Int64(code)),
                    ])
                } else {
                    FileHandle.standardError.write(Data("schemasync: \(sync.name): error: \(error)\n".utf8))
                }
                return SyncOutcome(source: sync.name, code: code, events: 0)
            }
        }

        /// For a source another runner holds: a warning when it was last synced more than
        /// `staleAfter` ago (never synced: none, its first sync may be long).
        private static func staleness(_ sync: SourceSync) -> String? {
            guard let store = sync.store as? PostgresSnapshotStore, let last = try? store.lastSynced(sync.name),
                let now = try? store.now(), now.timeIntervalSince(last) > staleAfter
            else { return nil }
            let hours = String(format: "%.1f", now.timeIntervalSince(last) / 3600)
            return "another runner has held it while it went unsynced for \(hours) h (more than "
                + "\(Int(staleAfter / 3600)) h): if no runner is busy with it, its holder may hang; the lock's "
                + "session is application_name 'schemasync \(store.schema) lock \(sync.name)' in pg_stat_activity"
        }

        /// A source of a shared store that another runner has or had this round: not an error.
        private static func skipped(_ source: String, _ why: String, json: Bool) {
            if json {
                log(["level": "info", "source": .string(source), "message": "skipped", "reason": .string(why)])
            } else {
                FileHandle.standardError.write(Data("schemasync: \(source): skipped, \(why)\n".utf8))
            }
        }

        /// One JSON object per line on standard error, with the time.
        private static func log(_ fields: [String: JSONValue]) {
            var object = fields
            object["time"] = .string(CaptureTime.iso8601(millis: WallClock.nowMillis()))
            FileHandle.standardError.write(Data(JSONValue.object(object).bytes + [0x0A]))
        }
    }
}
