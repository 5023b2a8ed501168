import ArgumentParser
import DataArtsClient
import Foundation
import PostgresStore
import SchemaCapture
import SchemaModel
import SnapshotStore
import SyncConfig
import SystemSupport

#if canImport(Glibc)
    import Glibc
#endif

extension SchemaSyncCommand {
    /// `schemasync check`: validate the config, reach every source and the sink, report.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the config, reach every source and the sink, and report what is wrong.")

        @OptionGroup var config: ConfigArguments

        func run() async throws {
            let outcome = try await reportingErrors { () async throws -> Int32 in
                let (settings, path) = try config.load()
                say("ok    config \(path): \(settings.sources.count) source(s), sink \(settings.sink.kind.rawValue)")
                var worst: Int32 = 0
                for source in settings.sources {
                    do {
                        let reader = try SourceConnector.reader(for: source.url)
                        let options = CaptureOptions(
                            sourceName: source.name, databases: source.databases,
                            filter: NameFilter(include: source.include, exclude: source.exclude),
                            capturedAtMillis: WallClock.nowMillis())
                        let (catalog, _) = try await runBlocking { try reader.capture(options) }
                        let relations = catalog.databases.reduce(0) {
                            $0 + $1.schemas.reduce(0) { $0 + $1.relations.count }
                        }
                        say(
                            "ok    source \(source.name): \(catalog.kind) \(catalog.serverVersion), "
                                + "\(catalog.databases.count) database(s), \(relations) relation(s) in scope")
                    } catch {
                        say("FAIL  source \(source.name): \(error)")
                        worst = max(worst, ExitStatus.code(for: error))
                    }
                }
                switch await checkSink(settings.sink) {
                case .success(let text): say("ok    sink: \(text)")
                case .failure(let error):
                    say("FAIL  sink: \(error)")
                    worst = max(worst, ExitStatus.code(for: error))
                }
                let folder = settings.snapshots
                if PostgresSnapshotStore.isStoreLocation(folder) {
                    // Connects, checks the tables' version (creating them if none), and lists.
                    do {
                        let store = try StoreLocation.open(folder, schema: settings.snapshotsSchema)
                        let count = try store.sources().count
                        say("ok    store \(store.location): \(count) source\(count == 1 ? "" : "s")")
                    } catch {
                        say("FAIL  store \(Redaction.redact(folder)): \(error)")
                        worst = max(worst, ExitStatus.code(for: error))
                    }
                } else if FileManager.default.fileExists(atPath: folder) ? access(folder, W_OK) == 0 : true {
                    say("ok    store \(folder)")
                } else {
                    say("FAIL  store \(folder): not writable")
                    worst = max(worst, ExitStatus.ioError)
                }
                return worst
            }
            if outcome != 0 { throw ExitCode(outcome) }
        }

        private func say(_ line: String) {
            printOut(Data((line + "\n").utf8))
        }

        private func checkSink(_ sink: SinkConfig) async -> Result<String, any Error> {
            switch sink.kind {
            case .stdout:
                return .success("stdout")
            case .file:
                let path = sink.path ?? ""
                let folder = (path as NSString).deletingLastPathComponent
                let target = FileManager.default.fileExists(atPath: path) ? path : (folder.isEmpty ? "." : folder)
                return access(target, W_OK) == 0
                    ? .success("file \(path) is writable")
                    : .failure(UsageError(description: "file \(path): cannot write to \(target)"))
            case .dataarts:
                do {
                    let client = try SinkFactory.dataArts(sink) { say("warn  sink: \($0)") }
                    return .success(try await client.probe())
                } catch {
                    return .failure(error)
                }
            }
        }
    }
}
