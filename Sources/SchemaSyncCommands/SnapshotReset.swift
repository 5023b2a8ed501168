import ArgumentParser
import EventDelivery
import Foundation
import SchemaCapture
import SchemaModel
import SnapshotStore
import SyncConfig
import SyncEngine

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
                --baseline and --empty discard an interrupted sync delivery and say so: after \
                --empty the next sync sends everything again; after --baseline the delivery's \
                unacknowledged requests are never sent. Neither discards a half-sent teardown. \
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
            help: ArgumentHelp(
                "With --retire and no --output: the config whose sink and envelope to use "
                    + "(default: $SCHEMASYNC_CONFIG or schemasync.yaml).")
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
                } else {
                    try await reset()
                }
            }
        }

        /// `--baseline` or `--empty`, through `SourceReset`.
        private func reset() async throws {
            let target: SourceReset.Target
            if baseline {
                let url = self.url ?? ""
                let (source, capture) = (self.source, self.capture)
                target = .baseline { current in
                    try await Capture.snapshot(url: url, name: source, capture: capture.withScope(of: current))
                }
            } else {
                target = .empty
            }
            let outcome = try await SourceReset(store: try storeArguments.snapshotStore, source: source).run(to: target)
            {
                pending in
                var what =
                    baseline
                    ? "record the live state of \(Redaction.redact(url ?? "")) as delivered for \"\(source)\""
                    : "forget the committed snapshot of \"\(source)\"; the next sync sends everything"
                if let pending { what += "; and discard " + Self.describe(pending, baseline: baseline) }
                return try confirm(what)
            }
            guard outcome.confirmed else {
                FileHandle.standardError.write(Data("schemasync: nothing changed\n".utf8))
                throw ExitCode(1)
            }
            if outcome.discardedDamagedJournal {
                FileHandle.standardError.write(
                    Data("schemasync: discarded the damaged journal of an interrupted delivery of \(source)\n".utf8))
            }
            if let discarded = outcome.discarded {
                FileHandle.standardError.write(
                    Data("schemasync: discarded \(Self.describe(discarded, baseline: baseline))\n".utf8))
            }
            if let snapshot = outcome.recorded {
                FileHandle.standardError.write(
                    Data("schemasync: recorded \(source) as of \(snapshot.capturedAt) as delivered\n".utf8))
            } else {
                FileHandle.standardError.write(Data("schemasync: forgot the snapshot of \(source)\n".utf8))
            }
        }

        /// An interrupted delivery a reset discards, and what that costs.
        static func describe(_ pending: PendingDelivery, baseline: Bool) -> String {
            let left = pending.bodies.count - pending.acknowledged
            let requests = "\(left) unacknowledged request\(left == 1 ? "" : "s")"
            let source = pending.destination.source
            return baseline
                ? "an interrupted delivery of \(source) to \(pending.destination): its \(requests) are dropped "
                    + "and will never be sent"
                : "an interrupted delivery of \(source) to \(pending.destination) (\(requests)): the next sync "
                    + "sends everything again"
        }

        /// Sends every object's drop, then the catalog's, and forgets the snapshot once all is
        /// sent, through `SourceRetirement`.
        private func retireSource() async throws {
            let settings = try retirementConfig()
            let store = try StoreLocation.open(
                storeArguments.store ?? settings?.config.snapshots ?? "snapshots",
                schema: storeArguments.storeSchema ?? settings?.config.snapshotsSchema)
            let (sink, envelope, batcher) = try retirementTarget(settings)
            let engine = DeliveryEngine(store: store, source: source, sink: sink, envelope: envelope)
            let outcome = try await SourceRetirement(engine: engine, batcher: batcher).run(
                confirm: {
                    try confirm(
                        "send the teardown of \"\(source)\" (every object dropped, then the catalog) and forget it")
                },
                resuming: {
                    FileHandle.standardError.write(
                        Data("schemasync: finishing the interrupted retirement of \(source)\n".utf8))
                })
            switch outcome {
            case .declined:
                FileHandle.standardError.write(Data("schemasync: nothing changed\n".utf8))
                throw ExitCode(1)
            case .retired(let requests, _):
                FileHandle.standardError.write(
                    Data("schemasync: retired \(source): \(requests) request(s) sent\n".utf8))
            }
        }

        /// The config to send with, when --output does not say where.
        private func retirementConfig() throws -> (config: SyncConfig, path: String)? {
            guard delivery.output == nil else { return nil }
            guard ConfigArguments.isAvailable(given: config) else {
                throw UsageError(
                    description: "--retire needs --output (an NDJSON file, or - for standard output) "
                        + "or a config (--config FILE) whose sink to send to")
            }
            return try ConfigArguments.load(given: config)
        }

        /// Where the teardown goes: --output with the envelope options, or the config's sink
        /// with the source's envelope.
        private func retirementTarget(_ settings: (config: SyncConfig, path: String)?) throws
            -> (any Sink, EnvelopeSettings, Batcher)
        {
            guard let (settings, path) = settings else {
                return (try delivery.sink(), try delivery.envelopeSettings(), delivery.batcher)
            }
            guard let settingsSource = settings.source(named: source) else {
                throw UsageError(description: "no source named \"\(source)\" in \(path): its envelope is needed")
            }
            let envelope = EnvelopeSettings(
                engine: settingsSource.engine, engineVersion: settingsSource.engineVersion,
                instanceID: settingsSource.instanceID, projectID: settingsSource.projectID)
            let sink = try SinkFactory.sink(settings.sink) {
                FileHandle.standardError.write(Data("schemasync: warning: \($0)\n".utf8))
            }
            return (sink, envelope, Batcher(maxEvents: settings.sink.maxEvents, maxBytes: settings.sink.maxBytes))
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
