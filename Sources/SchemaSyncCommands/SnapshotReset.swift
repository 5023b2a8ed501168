import ArgumentParser
import EventContract
import EventDelivery
import Foundation
import SchemaCapture
import SchemaDiff
import SchemaModel
import SnapshotStore
import SyncConfig

#if canImport(Glibc)
    import Glibc
#endif

extension SchemaSyncCommand.SnapshotCommand {
    /// `schemasync snapshot reset SOURCE --baseline | --empty`: change what the store says
    /// the catalog has, without sending anything.
    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reset a source's committed snapshot, or retire the source.",
            discussion: """
                --baseline records the live state as delivered: the next sync sends only what \
                changes after it. --empty forgets the snapshot: the next sync sends everything, \
                from CreateCatalogEvent down. Neither sends anything. --retire sends the full \
                teardown (every object dropped, then the catalog) to --output (an NDJSON file, one \
                request body per line, or - for standard output) or, without --output, to the \
                config's sink with the source's envelope (and the config's store), then forgets the \
                snapshot. The teardown is recorded before the first request as a sync's delivery \
                is: if sending fails midway, running it again sends only what was not acknowledged. \
                Asks for confirmation on a terminal unless --yes. Takes the source's lock: it \
                waits for no one and fails if a sync runs.
                """)

        @Argument(help: "The source's name.")
        var source: String

        @Flag(name: .long, help: "Record the live state (read from --url) as delivered.")
        var baseline = false

        @Flag(name: .long, help: "Forget the committed snapshot.")
        var empty = false

        @Flag(name: .long, help: "Send the full teardown of the committed snapshot, then forget it.")
        var retire = false

        @OptionGroup var delivery: DeliveryArguments

        @Option(
            name: .long,
            help: "With --retire and no --output: the config whose sink and envelope to use (default: schemasync.yaml)."
        )
        var config: String?

        @Option(name: .long, help: "With --baseline: the live source (a postgresql:// or mysql:// URL, or a conninfo).")
        var url: String?

        @Flag(name: .long, help: "Do not ask for confirmation.")
        var yes = false

        @OptionGroup var capture: CaptureArguments
        @OptionGroup var storeArguments: StoreArguments

        func run() async throws {
            try await reportingErrors {
                guard [baseline, empty, retire].filter({ $0 }).count == 1 else {
                    throw UsageError(description: "give exactly one of --baseline, --empty and --retire")
                }
                if baseline && url == nil {
                    throw UsageError(description: "--baseline needs --url: the live source to record")
                }
                if retire {
                    try await retireSource()
                    return
                }
                let store = storeArguments.snapshotStore
                let lock = try store.lock(source)
                defer { withExtendedLifetime(lock) {} }
                try store.removeLeftovers(source)
                let current = try Self.committedOrNil(store, source)
                let what =
                    baseline
                    ? "record the live state of \(Redaction.redact(url ?? "")) as delivered for \"\(source)\""
                    : "forget the committed snapshot of \"\(source)\"; the next sync sends everything"
                guard try confirm(what) else {
                    FileHandle.standardError.write(Data("schemasync: nothing changed\n".utf8))
                    throw ExitCode(1)
                }
                // A half-sent teardown cannot be superseded: what it dropped would never be sent again.
                if let pending = try store.pending(source), pending.isRetirement {
                    throw UsageError(
                        description: "\(source) is being retired and part of the teardown was sent: finish it with "
                            + "`snapshot reset \(source) --retire` (the same --config or --output) first")
                }
                // A reset supersedes an interrupted delivery: the next sync must not finish it.
                if try store.discardPending(source) {
                    FileHandle.standardError.write(
                        Data("schemasync: discarded an interrupted delivery of \(source)\n".utf8))
                }
                if empty {
                    try store.forget(source)
                    FileHandle.standardError.write(Data("schemasync: forgot the snapshot of \(source)\n".utf8))
                    return
                }
                var arguments = capture
                if let scope = current?.scope, capture.isDefaultScope {
                    arguments.databases = scope.databases
                    arguments.include = scope.include
                    arguments.exclude = scope.exclude
                }
                let snapshot = try await Capture.snapshot(url: url ?? "", name: source, capture: arguments)
                try store.commit(snapshot, for: source)
                FileHandle.standardError.write(
                    Data("schemasync: recorded \(source) as of \(snapshot.capturedAt) as delivered\n".utf8))
            }
        }

        /// Sends every object's drop, then the catalog's, and forgets the snapshot once all is
        /// sent. The teardown is a delivery like a sync's: recorded before the first request,
        /// progress after each, resumed by the next `--retire` to the same place.
        private func retireSource() async throws {
            let settings = try retirementConfig()
            let store = SnapshotStore(root: storeArguments.store ?? settings?.config.snapshots ?? "snapshots")
            let lock = try store.lock(source)
            defer { withExtendedLifetime(lock) {} }
            try store.removeLeftovers(source)

            let delivery: PendingDelivery
            let sink: any Sink
            if let pending = try store.pending(source) {
                // An interrupted retirement is finished where it stopped; an interrupted sync
                // may be partly received, so retiring from the committed snapshot could leave
                // its objects behind: it must be finished first.
                let serverVersion = pending.snapshot.catalog.serverVersion
                let (pendingSink, envelope, _) = try retirementTarget(settings, serverVersion: serverVersion)
                guard pending.target == Self.target(pendingSink, envelope) else {
                    throw UsageError(
                        description: "\(source) has an interrupted delivery to \(pending.target): finish it with "
                            + "`schemasync sync \(source)` (or the earlier `--retire`) first, or discard it with "
                            + "`snapshot reset \(source) --empty`")
                }
                delivery = pending
                sink = pendingSink
                FileHandle.standardError.write(
                    Data("schemasync: finishing the interrupted retirement of \(source)\n".utf8))
            } else {
                guard let committed = try store.committed(source) else {
                    throw SnapshotStoreError(
                        code: .notFound, path: try store.snapshotPath(of: source),
                        message: "no committed snapshot for source \"\(source)\": nothing to retire")
                }
                let (newSink, envelope, batcher) = try retirementTarget(
                    settings, serverVersion: committed.catalog.serverVersion)
                guard
                    try confirm(
                        "send the teardown of \"\(source)\" (every object dropped, then the catalog) and forget it")
                else {
                    FileHandle.standardError.write(Data("schemasync: nothing changed\n".utf8))
                    throw ExitCode(1)
                }
                let changes = SchemaDiffer.diff(from: committed.catalog, to: nil)
                let millis = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
                var builder = BodyBuilder(batcher: batcher, timestamp: millis, envelope: envelope)
                EventEncoder.forEach(changes, from: committed.catalog, to: nil) { builder.add($0) }
                delivery = PendingDelivery(
                    snapshot: committed, bodies: builder.finish(), target: Self.target(newSink, envelope))
                try store.beginDelivery(delivery, for: source)
                sink = newSink
            }
            for index in delivery.acknowledged..<delivery.bodies.count {
                try await sink.send(delivery.bodies[index])
                try store.recordProgress(index + 1, for: source)
            }
            // Forgotten first: a crash before the journal is removed leaves a complete
            // retirement, which the next --retire only clears.
            try store.forget(source)
            try store.discardPending(source)
            FileHandle.standardError.write(
                Data("schemasync: retired \(source): \(delivery.bodies.count) request(s) sent\n".utf8))
        }

        /// What a retirement journal is bound to: `retire`, the sink and the envelope.
        static func target(_ sink: any Sink, _ envelope: RequestEnvelope) -> String {
            PendingDelivery.target(
                sink: sink.target, engine: envelope.engine, instanceID: envelope.instanceID,
                projectID: envelope.projectID, retirement: true)
        }

        /// The config to send with, when --output does not say where.
        private func retirementConfig() throws -> (config: SyncConfig, path: String)? {
            guard delivery.output == nil else { return nil }
            let environment = ProcessInfo.processInfo.environment
            let path = config ?? environment["SCHEMASYNC_CONFIG"] ?? "schemasync.yaml"
            guard FileManager.default.fileExists(atPath: path) || config != nil else {
                throw UsageError(
                    description: "--retire needs --output (an NDJSON file, or - for standard output) "
                        + "or a config (--config FILE) whose sink to send to")
            }
            return (try SyncConfig.load(path: path, environment: environment), path)
        }

        /// Where the teardown goes: --output with the envelope options, or the config's sink
        /// with the source's envelope.
        private func retirementTarget(_ settings: (config: SyncConfig, path: String)?, serverVersion: String) throws
            -> (any Sink, RequestEnvelope, Batcher)
        {
            guard let (settings, path) = settings else {
                return (try delivery.sink(), try delivery.envelope(serverVersion: serverVersion), delivery.batcher)
            }
            guard let settingsSource = settings.source(named: source) else {
                throw UsageError(description: "no source named \"\(source)\" in \(path): its envelope is needed")
            }
            let envelope = RequestEnvelope(
                engine: settingsSource.engine,
                engineVersion: settingsSource.engineVersion == "auto" ? serverVersion : settingsSource.engineVersion,
                instanceID: settingsSource.instanceID, projectID: settingsSource.projectID)
            try envelope.validate()
            let sink = try SinkFactory.sink(settings.sink) {
                FileHandle.standardError.write(Data("schemasync: warning: \($0)\n".utf8))
            }
            return (sink, envelope, Batcher(maxEvents: settings.sink.maxEvents, maxBytes: settings.sink.maxBytes))
        }

        /// The committed snapshot, or nil; a corrupt one is no reason to refuse a reset.
        static func committedOrNil(_ store: SnapshotStore, _ source: String) throws -> Snapshot? {
            do {
                return try store.committed(source)
            } catch let error as SnapshotStoreError where error.code == .corrupt || error.code == .unsupportedFormat {
                return nil
            }
        }

        /// Asks on a terminal; elsewhere (cron, scripts) goes on, as does --yes.
        private func confirm(_ what: String) throws -> Bool {
            guard !yes, isatty(0) == 1 else { return true }
            FileHandle.standardError.write(Data("This will \(what). Go on? [y/N] ".utf8))
            let answer = readLine()?.trimmed.lowercased() ?? ""
            return answer == "y" || answer == "yes"
        }
    }
}
