import ArgumentParser
import Foundation
import SchemaModel
import SnapshotStore

/// Where the snapshot store is.
struct StoreArguments: ParsableArguments {
    @Option(
        name: .long,
        help: "The snapshot store: a folder (default: snapshots), or a postgresql:// URL or libpq conninfo.")
    var store: String?

    @Option(name: .long, help: "A PostgreSQL store's schema (default: schemasync).")
    var storeSchema: String?

    var snapshotStore: any DeliveryStore {
        get throws { try StoreLocation.open(store ?? "snapshots", schema: storeSchema) }
    }
}

extension SchemaSyncCommand {
    /// `schemasync snapshot …`: inspect the snapshot store.
    struct SnapshotCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot",
            abstract: "Inspect or reset the snapshot store.",
            subcommands: [List.self, Show.self, Reset.self])
    }
}

extension SchemaSyncCommand.SnapshotCommand {
    /// `schemasync snapshot list`: one line per source.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the sources in the store and their committed snapshots.")

        @OptionGroup var storeArguments: StoreArguments

        func run() async throws {
            try await reportingErrors {
                let store = try storeArguments.snapshotStore
                var lines = [["SOURCE", "CAPTURED AT", "ENGINE", "SERVER", "DATABASES", "RELATIONS"]]
                for source in try store.sources() {
                    guard let snapshot = try store.committed(source) else {
                        lines.append([source, "(no snapshot)", "", "", "", ""])
                        continue
                    }
                    let summary = SnapshotSummary(snapshot)
                    lines.append([
                        source, snapshot.capturedAt, snapshot.catalog.kind.rawValue, snapshot.catalog.serverVersion,
                        String(summary.databases), String(summary.relations),
                    ])
                }
                printOut(Data(TextTable.render(lines).utf8))
            }
        }
    }

    /// `schemasync snapshot show SOURCE`: the committed snapshot.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a source's committed snapshot.")

        @Argument(help: "The source's name.")
        var source: String

        @Flag(name: .long, help: "Print counts per object kind instead of the JSON.")
        var summary = false

        @OptionGroup var storeArguments: StoreArguments

        func run() async throws {
            try await reportingErrors {
                let store = try storeArguments.snapshotStore
                guard let snapshot = try store.committed(source) else {
                    throw SnapshotStoreError(
                        code: .notFound, path: try store.snapshotLocation(of: source),
                        message: "no committed snapshot for source \"\(source)\"")
                }
                if summary {
                    printOut(Data(SnapshotSummary(snapshot).text.utf8))
                } else {
                    printOut(try SnapshotCoder.encode(snapshot))
                }
            }
        }
    }
}

/// Counts of a snapshot's objects by kind.
struct SnapshotSummary {
    var header: String
    var databases = 0
    var schemas = 0
    var relations = 0
    var partitions = 0
    var columns = 0
    var indexes = 0
    var constraints = 0
    var triggers = 0
    var routines = 0

    init(_ snapshot: Snapshot) {
        let catalog = snapshot.catalog
        header = """
            source:      \(catalog.name) (\(catalog.kind) \(catalog.serverVersion))
            location:    \(catalog.location)
            captured at: \(snapshot.capturedAt)
            """
        func countPartitions(_ partitions: [Partition]) -> Int {
            partitions.reduce(partitions.count) { $0 + countPartitions($1.subpartitions) }
        }
        databases = catalog.databases.count
        for database in catalog.databases {
            schemas += database.schemas.count
            for schema in database.schemas {
                routines += schema.routines.count
                for relation in schema.relations {
                    relations += 1
                    partitions += countPartitions(relation.partitions)
                    columns += relation.columns.count
                    indexes += relation.indexes.count
                    triggers += relation.triggers.count
                    constraints +=
                        (relation.primaryKey == nil ? 0 : 1) + relation.uniqueConstraints.count
                        + relation.foreignKeys.count + relation.checkConstraints.count
                        + relation.exclusionConstraints.count
                }
            }
        }
    }

    var text: String {
        """
        \(header)
        databases:   \(databases)
        schemas:     \(schemas)
        relations:   \(relations)
        partitions:  \(partitions)
        columns:     \(columns)
        indexes:     \(indexes)
        constraints: \(constraints)
        triggers:    \(triggers)
        routines:    \(routines)

        """
    }
}

/// Left-aligned columns separated by two spaces.
enum TextTable {
    static func render(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
