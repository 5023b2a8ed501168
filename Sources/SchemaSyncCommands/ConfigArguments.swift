import ArgumentParser
import Foundation
import SyncConfig

/// `--config FILE`, for the commands that read the config: the one place that says where it
/// is when the option is not given (`$SCHEMASYNC_CONFIG`, else `schemasync.yaml`).
struct ConfigArguments: ParsableArguments {
    @Option(name: .long, help: "The config file (default: $SCHEMASYNC_CONFIG or schemasync.yaml).")
    var config: String?

    /// The config file's path.
    var path: String { Self.path(given: config) }

    /// The loaded config and its path.
    func load() throws -> (config: SyncConfig, path: String) { try Self.load(given: config) }

    /// The config file's path when `--config` is `given` (or not).
    static func path(given: String?) -> String {
        given ?? ProcessInfo.processInfo.environment["SCHEMASYNC_CONFIG"] ?? "schemasync.yaml"
    }

    /// Whether a config is named (by `--config` or the environment) or present by default.
    static func isAvailable(given: String?) -> Bool {
        given != nil || ProcessInfo.processInfo.environment["SCHEMASYNC_CONFIG"] != nil
            || FileManager.default.fileExists(atPath: path(given: nil))
    }

    /// The config that `--config` (`given`, or not) names, and its path.
    static func load(given: String?) throws -> (config: SyncConfig, path: String) {
        let path = path(given: given)
        return (try SyncConfig.load(path: path, environment: ProcessInfo.processInfo.environment), path)
    }
}
