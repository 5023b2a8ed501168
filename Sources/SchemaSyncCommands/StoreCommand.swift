import ArgumentParser
import Foundation
import PostgresStore
import SnapshotStore
import SyncConfig

/// Opens the store a `snapshots:` value (or `--store`) names: a PostgreSQL URL or conninfo,
/// or a folder.
enum StoreLocation {
    static func open(_ location: String, schema: String?) throws -> any DeliveryStore {
        if PostgresSnapshotStore.isStoreLocation(location) {
            let name = schema ?? StoreSchema.defaultName
            guard StoreSchema.isValidName(name) else {
                throw UsageError(
                    description: "the store schema \"\(name)\" must be lower-case letters, digits and '_' (up to 63 "
                        + "bytes), starting with a letter or '_'")
            }
            return try PostgresSnapshotStore(connection: location, schema: name)
        }
        guard schema == nil else {
            throw UsageError(description: "a store schema applies to a PostgreSQL store only, not to a folder")
        }
        return SnapshotStore(root: location)
    }
}

extension SchemaSyncCommand {
    /// `schemasync store …`: set up a PostgreSQL store, copy between stores.
    struct StoreCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store",
            abstract: "Set up a PostgreSQL snapshot store, or copy snapshots between stores (docs/store.md).",
            subcommands: [Initialize.self, Copy.self])
    }
}

extension SchemaSyncCommand.StoreCommand {
    /// `schemasync store init`: creates or upgrades the store's tables.
    struct Initialize: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create or upgrade a PostgreSQL store's tables (idempotent).",
            discussion: """
                The store is the config's snapshots: URL, or --store. A store of a newer version than this \
                schemasync is refused (65). --print-sql prints the statements without connecting.
                """)

        @Option(name: .long, help: "The store's URL or conninfo (default: the config's snapshots:).")
        var store: String?

        @Option(name: .long, help: "The store's schema (default: the config's snapshots_schema, or schemasync).")
        var storeSchema: String?

        @Flag(name: .long, help: "Print the SQL instead of running it.")
        var printSQL = false

        @OptionGroup var config: ConfigArguments

        func run() async throws {
            try await reportingErrors {
                var location = store
                var schema = storeSchema
                if location == nil || (schema == nil && !printSQL) {
                    if let settings = try? config.load().config {
                        location = location ?? settings.snapshots
                        schema = schema ?? settings.snapshotsSchema
                    }
                }
                let name = schema ?? StoreSchema.defaultName
                guard StoreSchema.isValidName(name) else {
                    throw UsageError(description: "the store schema \(name) is not lower-case letters, digits and '_'")
                }
                if printSQL {
                    printOut(Data(StoreSchema.script(schema: name, installedBy: "schemasync").utf8))
                    return
                }
                guard let location, PostgresSnapshotStore.isStoreLocation(location) else {
                    throw UsageError(
                        description: "store init sets up a PostgreSQL store: give --store postgresql://… or a config "
                            + "whose snapshots: is a PostgreSQL URL (a folder store needs no setup)")
                }
                let target = try PostgresSnapshotStore(connection: location, schema: name)
                let found = try target.initialize()
                let what =
                    found == StoreSchema.version
                    ? "is up to date" : found == 0 ? "was created" : "was upgraded from version \(found)"
                FileHandle.standardError.write(
                    Data(
                        "schemasync: the store \(target.location) schema \(name) \(what) (version \(StoreSchema.version))\n"
                            .utf8))
            }
        }
    }

    /// `schemasync store copy`: committed snapshots from one store to another.
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy committed snapshots between stores (a folder and a PostgreSQL store, either way).",
            discussion: """
                Each source is copied under both stores' locks, byte for byte (the canonical JSON). A source with a \
                pending delivery in either store is refused (finish it with sync first); a source that already has \
                a snapshot in the target is refused unless --overwrite.
                """)

        @Option(name: .long, help: "The store to copy from: a folder, or a postgresql:// URL.")
        var from: String

        @Option(name: .long, help: "The store to copy to: a folder, or a postgresql:// URL.")
        var to: String

        @Option(name: .long, help: "A PostgreSQL store's schema, on either side (default: schemasync).")
        var storeSchema: String?

        @Flag(name: .long, help: "Replace snapshots the target has already.")
        var overwrite = false

        @Argument(help: "The sources to copy (default: every source with a committed snapshot).")
        var sources: [String] = []

        func run() async throws {
            try await reportingErrors {
                let source = try StoreLocation.open(
                    from, schema: PostgresSnapshotStore.isStoreLocation(from) ? storeSchema : nil)
                let target = try StoreLocation.open(
                    to, schema: PostgresSnapshotStore.isStoreLocation(to) ? storeSchema : nil)
                let names = sources.isEmpty ? try source.sources() : sources
                var copied = 0
                for name in names {
                    if try StoreCopy.copy(name, from: source, to: target, overwrite: overwrite) { copied += 1 }
                }
                FileHandle.standardError.write(
                    Data("schemasync: copied \(copied) snapshot\(copied == 1 ? "" : "s") to \(target.location)\n".utf8))
            }
        }
    }
}

/// One source's committed snapshot from a store to another, under both locks.
enum StoreCopy {
    /// Returns whether a snapshot was copied (false: the source has none).
    static func copy(_ name: String, from source: any DeliveryStore, to target: any DeliveryStore, overwrite: Bool)
        throws -> Bool
    {
        let sourceLock = try source.lock(name)
        let targetLock = try target.lock(name)
        defer { withExtendedLifetime((sourceLock, targetLock)) {} }
        for (store, side) in [(source, "from"), (target, "to")] where try store.pending(name) != nil {
            throw UsageError(
                description: "\(name) has a pending delivery in the \(side) store \(store.location): finish it with "
                    + "`schemasync sync \(name)` first (nothing was copied)")
        }
        guard let snapshot = try source.committed(name) else { return false }
        if !overwrite, try target.committed(name) != nil {
            throw UsageError(
                description: "\(name) has a snapshot in \(target.location) already: give --overwrite to replace it")
        }
        try target.commit(snapshot, for: name)
        return true
    }
}
