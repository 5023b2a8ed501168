import ArgumentParser
import Foundation
import SyncConfig

/// `--config FILE`, for the commands that read the config: the one place that says where it
/// is when the option is not given (`$SCHEMASYNC_CONFIG`, else `schemasync.yaml`).
struct ConfigArguments: ParsableArguments {
    @Option(name: .long, help: "The config file (default: $SCHEMASYNC_CONFIG or schemasync.yaml).")
    var config: String?

    /// The config file's path.
    var path: String {
        config ?? ProcessInfo.processInfo.environment["SCHEMASYNC_CONFIG"] ?? "schemasync.yaml"
    }

    /// Whether a config is named (by `--config` or the environment) or present by default.
    var isAvailable: Bool {
        config != nil || ProcessInfo.processInfo.environment["SCHEMASYNC_CONFIG"] != nil
            || FileManager.default.fileExists(atPath: path)
    }

    /// The loaded config and its path.
    func load() throws -> (config: SyncConfig, path: String) {
        let path = self.path
        return (try SyncConfig.load(path: path, environment: ProcessInfo.processInfo.environment), path)
    }
}
