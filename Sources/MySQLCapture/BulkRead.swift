import Foundation
import SchemaCapture

/// What the bulk queries returned, copied out of the client library.
struct BulkResults: Sendable {
    var tables = MySQLResultTable(columnCount: 0)
    var columns = MySQLResultTable(columnCount: 0)
    var statistics = MySQLResultTable(columnCount: 0)
    /// Foreign key columns: from the InnoDB dictionary (with the action flags in a 9th
    /// column) or, without PROCESS, from KEY_COLUMN_USAGE with REFERENTIAL_CONSTRAINTS.
    var foreignKeyColumns = MySQLResultTable(columnCount: 0)
    var referentialConstraints = MySQLResultTable(columnCount: 0)
    /// Whether `foreignKeyColumns` came from the InnoDB dictionary.
    var foreignKeysFromDictionary = false
    var checkConstraints = MySQLResultTable(columnCount: 0)
    var triggers = MySQLResultTable(columnCount: 0)
    var views = MySQLResultTable(columnCount: 0)
    var routines = MySQLResultTable(columnCount: 0)
    var parameters = MySQLResultTable(columnCount: 0)
    /// Absent when the account may not read the InnoDB dictionary (it needs PROCESS).
    var innodbTableIDs = MySQLResultTable(columnCount: 0)
    var collations = MySQLResultTable(columnCount: 0)
    var partitions = MySQLResultTable(columnCount: 0)
    /// `SHOW CREATE TABLE` text of the LIST-partitioned tables whose DEFAULT partition
    /// information_schema cannot tell from `VALUES IN (0)`, by `db\0table`.
    var createStatements: [String: String] = [:]
    /// Tables (`db\0table`) found dropped while they were read: left out of the capture.
    var goneTables = Set<String>()
    /// Seconds per query, summed over connections.
    var secondsPerStep: [String: Double] = [:]
    /// How long the queries took, wall time.
    var wallSeconds: Double = 0
    /// How many queries were sent.
    var queryCount = 0
}

/// Runs the bulk queries, spread over `parallelism` connections (each query is one pass over
/// the table definitions on the server; in parallel they overlap: docs/capture-mysql.md).
enum BulkRead {
    enum Job: Int, CaseIterable {
        // The costliest first, so that the slowest start at once.
        case columns, statistics, tables, checkConstraints, innodbForeignKeys, innodbForeignKeyColumns
        case foreignKeyColumns, referentialConstraints, triggers, views, routines, parameters, innodbTableIDs
        case collations

        var context: String {
            switch self {
            case .columns: "reading columns"
            case .statistics: "reading indexes"
            case .innodbForeignKeys: "reading foreign keys from the InnoDB dictionary"
            case .innodbForeignKeyColumns: "reading foreign key columns from the InnoDB dictionary"
            case .foreignKeyColumns: "reading foreign key columns"
            case .referentialConstraints: "reading foreign keys"
            case .tables: "reading tables"
            case .triggers: "reading triggers"
            case .checkConstraints: "reading check constraints"
            case .views: "reading views"
            case .routines: "reading routines"
            case .parameters: "reading routine parameters"
            case .innodbTableIDs: "reading InnoDB table ids"
            case .collations: "reading collations"
            }
        }

        func sql(_ names: [String], _ flavor: ServerFlavor) -> String {
            switch self {
            case .columns: CatalogQueries.columns(names)
            case .statistics: CatalogQueries.statistics(names, flavor)
            case .innodbForeignKeys: CatalogQueries.innodbForeignKeys(flavor)
            case .innodbForeignKeyColumns: CatalogQueries.innodbForeignKeyColumns(flavor)
            case .foreignKeyColumns: CatalogQueries.foreignKeyColumns(names)
            case .referentialConstraints: CatalogQueries.referentialConstraints(names)
            case .tables: CatalogQueries.tables(names)
            case .triggers: CatalogQueries.triggers(names)
            case .checkConstraints: CatalogQueries.checkConstraints(names, flavor)
            case .views: CatalogQueries.views(names)
            case .routines: CatalogQueries.routines(names)
            case .parameters: CatalogQueries.parameters(names)
            case .innodbTableIDs: CatalogQueries.innodbTableIDs(flavor)
            case .collations: CatalogQueries.collations
            }
        }
    }

    /// Shared between the worker threads: the next job, the results, the first error.
    final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var jobs: [Job]
        private var fellBack = false
        private(set) var results: [Job: MySQLResultTable] = [:]
        private(set) var seconds: [String: Double] = [:]
        private(set) var queries = 0
        private(set) var failure: (any Error)?

        init(jobs: [Job]) { self.jobs = jobs }

        func take() -> Job? {
            lock.withLock {
                guard failure == nil, next < jobs.count else { return nil }
                next += 1
                return jobs[next - 1]
            }
        }

        /// Queues the information_schema route for foreign keys, once.
        func fallBack(to more: [Job]) {
            lock.withLock {
                guard !fellBack else { return }
                fellBack = true
                jobs.append(contentsOf: more)
            }
        }

        func store(_ job: Job, _ table: MySQLResultTable) {
            lock.withLock { results[job] = table }
        }

        func fail(_ error: any Error) {
            lock.withLock { if failure == nil { failure = error } }
        }

        func account(_ connection: MySQLConnection) {
            let (perContext, count) = (connection.secondsPerContext, connection.queryCount)
            lock.withLock {
                seconds.merge(perContext, uniquingKeysWith: +)
                queries += count
            }
        }
    }

    static func run(
        names: [String], flavor: ServerFlavor, first: MySQLConnection,
        connect: @escaping @Sendable () throws -> MySQLConnection, parallelism: Int, statementTimeout: Int
    ) throws -> BulkResults {
        let start = DispatchTime.now().uptimeNanoseconds
        // Foreign keys from the InnoDB dictionary where the names there are the SQL names
        // (lower_case_table_names = 0); else, or without PROCESS, from information_schema.
        let caseSensitive =
            (try? first.query("SELECT @@lower_case_table_names", context: "reading lower_case_table_names"))?
            .rows.first?.int(0) == 0
        let dictionaryJobs: [Job] = [.innodbForeignKeys, .innodbForeignKeyColumns]
        let fallbackJobs: [Job] = [.foreignKeyColumns, .referentialConstraints]
        let jobs = Job.allCases.filter {
            !(caseSensitive ? fallbackJobs : dictionaryJobs).contains($0)
                && ($0 != .checkConstraints || flavor.hasCheckConstraints)
        }
        let shared = Shared(jobs: jobs)
        let before = first.queryCount
        let firstSeconds = first.secondsPerContext

        @Sendable func work(_ connection: MySQLConnection) {
            do {
                for statement in CatalogQueries.session(flavor, statementTimeout: statementTimeout) {
                    try connection.execute(statement, context: "starting the read-only transaction")
                }
                while let job = shared.take() {
                    do {
                        shared.store(job, try connection.query(job.sql(names, flavor), context: job.context))
                    } catch let error as MySQLError
                        where (job == .innodbTableIDs || dictionaryJobs.contains(job)) && error.code != .unreachable
                    {
                        // The InnoDB dictionary needs PROCESS (and its shape differs between
                        // servers): without it tables have no identity (renames by name only)
                        // and foreign keys come from information_schema.
                        if dictionaryJobs.contains(job) { shared.fallBack(to: fallbackJobs) }
                        continue
                    }
                }
            } catch {
                shared.fail(error)
            }
        }

        let group = DispatchGroup()
        for _ in 1..<max(1, min(parallelism, Job.allCases.count)) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                // A server that refuses more connections (max_connections) leaves the work to
                // the connections it accepted: the first one always runs.
                guard let connection = try? connect() else { return }
                work(connection)
                shared.account(connection)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        work(first)
        group.wait()
        if let failure = shared.failure { throw failure }

        var results = BulkResults()
        let r = shared.results
        let empty = MySQLResultTable(columnCount: 0)
        results.tables = r[.tables] ?? empty
        results.columns = r[.columns] ?? empty
        results.statistics = r[.statistics] ?? empty
        if let keys = r[.innodbForeignKeys], let columns = r[.innodbForeignKeyColumns] {
            results.foreignKeyColumns = Self.joinForeignKeys(keys, columns)
            results.foreignKeysFromDictionary = true
        } else if let columns = r[.foreignKeyColumns], let rules = r[.referentialConstraints] {
            results.foreignKeyColumns = columns
            results.referentialConstraints = rules
        } else {
            throw MySQLError(
                code: .queryFailed, context: "reading foreign keys", message: "neither route returned foreign keys",
                target: first.target)
        }
        results.checkConstraints = r[.checkConstraints] ?? empty
        results.triggers = r[.triggers] ?? empty
        results.views = r[.views] ?? empty
        results.routines = r[.routines] ?? empty
        results.parameters = r[.parameters] ?? empty
        results.innodbTableIDs = r[.innodbTableIDs] ?? empty
        results.collations = r[.collations] ?? empty

        // Partitions: only when some table is partitioned, and only for those tables.
        var partitioned: [String] = []
        for row in results.tables.rows where (row.string(7) ?? "").lowercased().contains("partitioned") {
            partitioned.append(row.text(1))
        }
        if !partitioned.isEmpty {
            results.partitions = try first.query(
                CatalogQueries.partitions(names, tables: Array(Set(partitioned)).sorted()),
                context: "reading partitions")
            // information_schema shows a LIST table's DEFAULT partition as `0`, like `VALUES IN (0)`.
            var ambiguous = Set<String>()
            for row in results.partitions.rows
            where (row.text(6).hasPrefix("LIST")) && (row.string(10) == "0" || row.string(10) == nil) {
                ambiguous.insert(row.text(0) + "\u{0}" + row.text(1))
            }
            (results.createStatements, results.goneTables) = try Self.createStatements(ambiguous) { database, table in
                let sql = "SHOW CREATE TABLE " + quoteIdentifier(database) + "." + quoteIdentifier(table)
                return try first.query(sql, context: "reading the DEFAULT partition of \(table)").rows.first?.string(1)
            }
        }
        first.commitQuietly()
        shared.account(first)
        var seconds = shared.seconds
        for (context, value) in firstSeconds { seconds[context, default: 0] -= value }
        results.secondsPerStep = seconds.filter { $0.value > 0 }
        results.queryCount = shared.queries - before
        results.wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return results
    }
}

extension BulkRead {
    /// `SHOW CREATE TABLE` of each `db\0table` key, through `show`. A table dropped since the
    /// bulk queries listed it (error 1146, or 1049 for its database) is gone: left out of the
    /// capture, as a dropped database is, rather than failing it or being read half.
    static func createStatements(
        _ keys: Set<String>, show: (_ database: String, _ table: String) throws -> String?
    ) throws -> (statements: [String: String], gone: Set<String>) {
        var statements: [String: String] = [:]
        var gone = Set<String>()
        for key in keys.sorted() {
            let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { continue }
            do {
                if let text = try show(parts[0], parts[1]) { statements[key] = text }
            } catch let error as MySQLError where error.errorNumber == 1146 || error.errorNumber == 1049 {
                gone.insert(key)
            }
        }
        return (statements, gone)
    }

    /// The dictionary's foreign keys and their columns, joined by id into the rows of
    /// `CatalogQueries.foreignKeyColumns`, with the action flags as a 9th column.
    static func joinForeignKeys(_ keys: MySQLResultTable, _ columns: MySQLResultTable) -> MySQLResultTable {
        var byID: [String: [MySQLRow]] = [:]
        for row in columns.rows { byID[row.text(0), default: []].append(row) }
        var joined = MySQLResultTable(columnCount: 9)
        for key in keys.rows {
            for column in byID[key.text(0)] ?? [] {
                for value in [
                    key.string(1), key.string(2), key.string(3), column.string(2), column.string(1), key.string(4),
                    key.string(5), column.string(3), key.string(6),
                ] {
                    joined.append(value)
                }
            }
        }
        return joined
    }
}

extension MySQLConnection {
    /// Ends the read-only transaction; a failure here loses nothing.
    func commitQuietly() {
        _ = try? execute("COMMIT", context: "ending the read-only transaction")
    }
}

/// `` a`b `` → `` `a``b` ``. Backticks are doubled byte by byte, as the server reads them: a
/// backtick followed by a combining mark is one `Character`, but still a backtick.
func quoteIdentifier(_ name: String) -> String {
    ASCII.delimited(name, by: UInt8(ascii: "`"))
}
