public import ArgumentParser

/// The root command: `schemasync <subcommand>`.
public struct SchemaSyncCommand: AsyncParsableCommand {
    /// The command's name, help text, version and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "schemasync",
        abstract: "Keep a metadata catalog in step with live PostgreSQL and MySQL/MariaDB databases.",
        discussion: "Exit codes: "
            + ExitStatus.documented.map { "\($0.code) \($0.meaning)" }.joined(separator: "; ")
            + ". See docs/exit-codes.md.",
        version: SchemaSyncVersion.current,
        subcommands: [
            Sync.self, Check.self, Inspect.self, Diff.self, SnapshotCommand.self, StoreCommand.self, Receive.self,
        ]
    )

    /// Creates the root command, as ArgumentParser requires.
    public init() {}

    /// Parses the process's arguments and runs the chosen command, then exits.
    public static func runFromCommandLine() async {
        await main()
    }
}

/// This build's version.
public enum SchemaSyncVersion {
    /// The version `--version` prints and snapshots record as their `toolVersion`.
    public static let current = "0.1.0"
}
