import ArgumentParser
import Foundation
import Logging
import SchemaCapture
import SchemaModel
import SnapshotStore
import SystemSupport

extension SchemaSyncCommand {
    /// `schemasync inspect URL`: prints the canonical snapshot of a live database.
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the canonical snapshot JSON of a live database.",
            discussion: """
                URL is a postgresql:// URL or a libpq conninfo string, or a mysql:// (mariadb://) \
                URL. Passwords come from the client library's own sources (PGPASSWORD, ~/.pgpass, \
                a service file; MYSQL_PWD, ~/.my.cnf); one written in the URL works but is never \
                printed.
                """)

        @Argument(
            help: "The source: postgresql://user@host:port/db, 'host=… dbname=…', or mysql://user@host:port/[db].")
        var url: String

        @Option(name: .long, help: "The catalog's name in the snapshot (a source's name in the config).")
        var name: String = "inspect"

        @OptionGroup var capture: CaptureArguments

        @Option(name: .shortAndLong, help: "Write the snapshot to this file (atomically) instead of standard output.")
        var output: String?

        @Flag(name: .long, help: "Print counts per object kind instead of the snapshot.")
        var summary = false

        func run() async throws {
            try await reportingErrors {
                let snapshot = try await Capture.snapshot(url: url, name: name, capture: capture)
                if summary {
                    printOut(Data(SnapshotSummary(snapshot).text.utf8))
                    return
                }
                let bytes = SnapshotCoder.encodeBytes(snapshot)
                if let output {
                    try AtomicFile.write(Data(bytes), to: output)
                } else {
                    try FileHandle.standardOutput.write(contentsOf: bytes)
                }
            }
        }
    }
}

/// Capturing a snapshot from a live source, off the cooperative pool.
enum Capture {
    /// `expected`: the databases of a snapshot compared with this one, which a reader must
    /// not leave out just because it cannot see them (CaptureOptions.expectedDatabases);
    /// `previous`: the catalog compared with this one (CaptureOptions.previous).
    static func snapshot(
        url: String, name: String, capture: CaptureArguments, expected: [String] = [], previous: Catalog? = nil
    ) async throws -> Snapshot {
        try SnapshotStore.validate(name)
        let millis = WallClock.nowMillis()
        var options = capture.options(sourceName: name, capturedAtMillis: millis)
        options.expectedDatabases = expected
        options.previous = previous.map { PreviousCapture($0) }
        let reader = try SourceConnector.reader(for: url)
        let (catalog, statistics) = try await runBlocking { [options] in try reader.capture(options) }
        let logger = Logger(label: "schemasync.capture")
        for warning in statistics.warnings { logger.warning("\(warning)") }
        logger.debug(
            "captured \(catalog.databases.count) database(s)",
            metadata: [
                "queries": "\(statistics.queriesPerDatabase.values.reduce(0, +))",
                "seconds": .dictionary(statistics.secondsPerStep.mapValues { .string(String(format: "%.3f", $0)) }),
            ])
        return Snapshot(
            toolVersion: SchemaSyncVersion.current, capturedAt: CaptureTime.iso8601(millis: millis),
            scope: options.scope, catalog: catalog)
    }
}
