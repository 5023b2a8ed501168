import ArgumentParser
import ChangeReport
import EventContract
import Foundation
import SchemaCapture
import SchemaDiff
import SchemaModel
import SnapshotStore
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

extension SchemaSyncCommand {
    /// `schemasync diff`: a dry run: what changed between two snapshots, or a snapshot and a
    /// live database. Sends nothing, writes nothing.
    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what changed between two snapshots, or a snapshot and a live database (a dry run).",
            discussion: """
                Each side is a snapshot file or a live source (a postgresql:// URL, a libpq conninfo \
                string, or a mysql:// URL). Without --from, everything in --to is new. When a live source is read \
                against a snapshot, the snapshot's own scope (databases, include, exclude) is used \
                unless other options are given, so what was left out is not reported as dropped.

                With --exit-code: 0 no changes, 1 changes, 2 an error (as `git diff --exit-code`).
                """)

        @Option(name: .long, help: "The earlier side: a snapshot file or a live source. Default: nothing.")
        var from: String?

        @Option(name: .long, help: "The later side: a snapshot file or a live source.")
        var to: String

        @Option(name: .long, help: "The report: text, markdown, json, or events (the events array that would be sent).")
        var format: String = "text"

        @Flag(name: .long, help: "Exit 0 without changes, 1 with changes, 2 on an error.")
        var exitCode = false

        @Flag(name: .long, help: "No colours, even on a terminal (NO_COLOR does the same).")
        var noColor = false

        @Option(name: .long, help: "The catalog's name for a live source. Default: the --from snapshot's, or inspect.")
        var name: String?

        @Flag(
            name: .long,
            help: "MySQL: report a database of --from that the account no longer sees as dropped (not an error).")
        var allowDrops = false

        @OptionGroup var capture: CaptureArguments

        func run() async throws {
            do {
                try await report()
            } catch let exit as ExitCode {
                throw exit
            } catch {
                FileHandle.standardError.write(Data("schemasync: error: \(error)\n".utf8))
                throw ExitCode(exitCode ? 2 : ExitStatus.code(for: error))
            }
        }

        private func report() async throws {
            let report = ReportFormat(rawValue: format)
            guard report != nil || format == "events" else {
                throw UsageError(description: "unknown --format \(format): use text, markdown, json or events")
            }
            var earlier: Snapshot? = nil
            let later: Snapshot
            if let from, !Self.isLiveSource(from), !Self.isLiveSource(to) {
                // Two files: decoded side by side, one per core (decoding is most of the time).
                async let first = Self.read(from)
                async let second = Self.read(to)
                (earlier, later) = try await (first, second)
            } else {
                if let from { earlier = try await side(from, reference: nil) }
                later = try await side(to, reference: earlier)
            }
            let changes = SchemaDiffer.diff(from: earlier?.catalog, to: later.catalog)
            guard let format = report else {
                // The exact `events` array a sync would send, one event per line.
                let timestamp = CaptureTime.millis(iso8601: later.capturedAt) ?? 0
                var output = Data()
                EventEncoder.forEach(changes, from: earlier?.catalog, to: later.catalog) { event in
                    output.append(contentsOf: Array((output.isEmpty ? "[\n" : ",\n").utf8))
                    output.append(contentsOf: event.envelopeEntry(timestamp: timestamp).bytes)
                }
                output.append(contentsOf: Array((output.isEmpty ? "[]\n" : "\n]\n").utf8))
                printOut(output)
                if exitCode && !changes.isEmpty { throw ExitCode(1) }
                return
            }
            let environment = ProcessInfo.processInfo.environment
            let colour = !noColor && environment["NO_COLOR"] == nil && isatty(1) == 1 && format == .text
            // Streamed: written in chunks as the records are made, never held whole.
            try ChangeReporter.write(changes, format: format, colour: colour) { chunk in
                try FileIO.writeAll(Data(chunk), to: 1, path: "standard output")
            }
            if exitCode && !changes.isEmpty { throw ExitCode(1) }
        }

        /// A snapshot read from a file or captured from a live source.
        private func side(_ location: String, reference: Snapshot?) async throws -> Snapshot {
            if Self.isLiveSource(location) {
                return try await Capture.snapshot(
                    url: location, name: name ?? reference?.catalog.name ?? "inspect",
                    capture: capture.withScope(of: reference),
                    expected: allowDrops ? [] : reference?.catalog.databases.map(\.name) ?? [],
                    previous: reference?.catalog)
            }
            return try await Self.read(location)
        }

        /// A snapshot file, decoded.
        private static func read(_ location: String) async throws -> Snapshot {
            guard let data = FileManager.default.contents(atPath: location) else {
                throw SnapshotStoreError(code: .notFound, path: location, message: "no such snapshot file")
            }
            return try SnapshotCoder.decode(data, path: location)
        }

        /// A URL or a conninfo string, read on bytes as the connectors read them (a `://` or
        /// an `=` followed by a combining mark is still one), rather than a snapshot file.
        static func isLiveSource(_ location: String) -> Bool {
            ConnectionURL(location) != nil
                || (location.utf8.contains(UInt8(ascii: "=")) && !FileManager.default.fileExists(atPath: location))
        }
    }
}
