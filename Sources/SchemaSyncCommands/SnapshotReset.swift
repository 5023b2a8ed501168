import ArgumentParser
import Foundation
import SchemaCapture
import SchemaModel
import SnapshotStore

#if canImport(Glibc)
    import Glibc
#endif

extension SchemaSyncCommand.SnapshotCommand {
    /// `schemasync snapshot reset SOURCE --baseline | --empty`: change what the store says
    /// the catalog has, without sending anything.
    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reset a source's committed snapshot (sends nothing).",
            discussion: """
                --baseline records the live state as delivered: the next sync sends only what \
                changes after it. --empty forgets the snapshot: the next sync sends everything, \
                from CreateCatalogEvent down. Asks for confirmation on a terminal unless --yes. \
                Takes the source's lock: it waits for no one and fails if a sync runs.
                """)

        @Argument(help: "The source's name.")
        var source: String

        @Flag(name: .long, help: "Record the live state (read from --url) as delivered.")
        var baseline = false

        @Flag(name: .long, help: "Forget the committed snapshot.")
        var empty = false

        @Option(name: .long, help: "With --baseline: the live source (a postgresql:// URL or conninfo).")
        var url: String?

        @Flag(name: .long, help: "Do not ask for confirmation.")
        var yes = false

        @OptionGroup var capture: CaptureArguments
        @OptionGroup var storeArguments: StoreArguments

        func run() async throws {
            try await reportingErrors {
                guard baseline != empty else {
                    throw UsageError(description: "give exactly one of --baseline and --empty")
                }
                if baseline && url == nil {
                    throw UsageError(description: "--baseline needs --url: the live source to record")
                }
                let store = storeArguments.snapshotStore
                let lock = try store.lock(source)
                defer { withExtendedLifetime(lock) {} }
                let current = try Self.committedOrNil(store, source)
                let what =
                    baseline
                    ? "record the live state of \(Redaction.redact(url ?? "")) as delivered for \"\(source)\""
                    : "forget the committed snapshot of \"\(source)\"; the next sync sends everything"
                guard try confirm(what) else {
                    FileHandle.standardError.write(Data("schemasync: nothing changed\n".utf8))
                    throw ExitCode(1)
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
