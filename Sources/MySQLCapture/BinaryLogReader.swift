import Foundation
import Logging
import SchemaModel

/// The server's binary log, read for rename hints (docs/capture-mysql.md): the position a
/// capture saw, and the names the DDL logged since an earlier position changed. Anything
/// that stops a complete read (the log off, no privilege, purged files, another server, too
/// much log) gives no hints, with a debug log line: the differ then pairs by likeness.
enum BinaryLogReader {
    static let logger = Logger(label: "schemasync.mysql.binlog")

    /// At most this many events are read between two captures (in pages of `pageSize`).
    static let maximumEvents = 2_000_000
    static let pageSize = 10_000

    /// The log's current end and the server that writes it; nil when the log is off or the
    /// account may not see it (MariaDB `BINLOG MONITOR`, MySQL `REPLICATION CLIENT`).
    static func position(_ connection: MySQLConnection, _ flavor: ServerFlavor) -> BinaryLogPosition? {
        let status: MySQLResultTable
        do {
            status = try connection.query("SHOW MASTER STATUS", context: "reading the binary log position")
        } catch let error as MySQLError where error.errorNumber == 1064 {
            // MySQL 8.4 has only the new spelling.
            guard
                let table = try? connection.query(
                    "SHOW BINARY LOG STATUS", context: "reading the binary log position")
            else { return nil }
            status = table
        } catch {
            logger.debug("no rename hints from the binary log: \(error)")
            return nil
        }
        guard let row = status.rows.first, let position = row.int(1), !row.text(0).isEmpty else {
            logger.debug("no rename hints: the binary log is off")
            return nil
        }
        let identity = flavor.isMariaDB ? "SELECT @@server_id, @@hostname" : "SELECT @@server_uuid, NULL"
        guard let server = try? connection.query(identity, context: "reading the server's identity").rows.first
        else { return nil }
        let name = flavor.isMariaDB ? "id:\(server.text(0))@\(server.text(1))" : "uuid:\(server.text(0))"
        return BinaryLogPosition(file: row.text(0), position: position, server: name)
    }

    /// The name changes logged from `since` to `until`, or nil when the whole stretch cannot be read.
    static func nameChanges(
        from since: BinaryLogPosition, to until: BinaryLogPosition, _ connection: MySQLConnection
    ) -> NameChangeLog? {
        guard since.server == until.server else {
            logger.debug("no rename hints: the binary log is another server's (\(since.server) → \(until.server))")
            return nil
        }
        let lowercase =
            (try? connection.query("SELECT @@lower_case_table_names", context: "reading lower_case_table_names"))?
            .rows.first?.int(0) ?? 0 != 0
        let files: [(name: String, size: Int64)]
        do {
            files = try connection.query("SHOW BINARY LOGS", context: "listing the binary logs").rows.map {
                ($0.text(0), $0.int(1) ?? 0)
            }
        } catch {
            logger.debug("no rename hints from the binary log: \(error)")
            return nil
        }
        guard let first = files.firstIndex(where: { $0.name == since.file }),
            let last = files.firstIndex(where: { $0.name == until.file }), first <= last,
            since.position <= files[first].size
        else {
            logger.debug("no rename hints: \(since.file) at \(since.position) is no longer in the binary log (purged)")
            return nil
        }
        var log = NameChangeLog(since: since)
        var statement = 0
        var events = 0
        for file in files[first...last] {
            var position = file.name == since.file ? since.position : 4
            let end = file.name == until.file ? until.position : Int64.max
            while position < end {
                let page: MySQLResultTable
                do {
                    page = try connection.query(
                        "SHOW BINLOG EVENTS IN '\(file.name.replacingOccurrences(of: "'", with: "''"))' FROM "
                            + "\(position) LIMIT \(pageSize)", context: "reading the binary log")
                } catch {
                    logger.debug("no rename hints: reading \(file.name) from \(position): \(error)")
                    return nil
                }
                for row in page.rows {
                    guard let start = row.int(1), start < end else {
                        position = end
                        break
                    }
                    if row.text(2).hasPrefix("Query") {
                        let changes = DDLNameParser.nameChanges(row.text(5), database: nil, statement: statement)
                        statement = (changes.last?.statement ?? statement) + 1
                        log.changes += changes
                    }
                    position = max(position + 1, row.int(4) ?? Int64.max)
                }
                events += page.rowCount
                guard events <= maximumEvents else {
                    logger.debug("no rename hints: more than \(maximumEvents) binary log events since the last capture")
                    return nil
                }
                if page.rowCount < pageSize { break }
            }
        }
        if lowercase {
            log.changes = log.changes.map { change in
                var change = change
                change.database = change.database.lowercased()
                change.table = change.table.lowercased()
                change.newDatabase = change.newDatabase?.lowercased()
                if change.object == .table { change.newName = change.newName?.lowercased() }
                return change
            }
        }
        return log
    }
}
