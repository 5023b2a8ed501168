public import ArgumentParser

/// The root command: `schemasync <subcommand>`.
public struct SchemaSyncCommand: AsyncParsableCommand {
    /// The command's name, help text, version and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "schemasync",
        abstract: "Keep a metadata catalog in step with live PostgreSQL and MySQL/MariaDB databases.",
        discussion: """
            Exit codes: 0 success; 64 usage or configuration error; 65 a corrupt snapshot file; \
            66 no such snapshot; 69 a source could not be read; 70 internal error; 74 the store or a \
            sink could not be written; 75 another run holds the source's lock; 77 the drop guard \
            stopped a sync. See docs/exit-codes.md.
            """,
        version: SchemaSyncVersion.current,
        subcommands: [Sync.self, Check.self, Inspect.self, Diff.self, SnapshotCommand.self, Receive.self]
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
