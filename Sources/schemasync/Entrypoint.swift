import Foundation
import Logging
import SchemaSyncCommands

/// The executable: bootstraps logging to standard error, then runs the root command.
@main
enum Entrypoint {
    static func main() async {
        let level =
            ProcessInfo.processInfo.environment["SCHEMASYNC_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        await SchemaSyncCommand.runFromCommandLine()
    }
}
