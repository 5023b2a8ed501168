import Foundation
import Logging
import SchemaModel

/// The server's binary log, read for rename hints (docs/capture-mysql.md): the position a
/// capture saw, and the names the DDL logged since an earlier position changed. Anything
/// that stops a complete read (the log off, no privilege, purged files, another server, too
/// much log) gives no hints, with a debug log line: the differ then pairs by likeness.
enum BinaryLogReader {
    static let logger = Logger(label: "schemasync.mysql.binlog")

    /// How much log one run reads at most (docs/capture-mysql.md): more than that between two
    /// captures gives no hints rather than unbounded memory and time.
    struct Limits: Sendable {
        /// Events per `SHOW BINLOG EVENTS` page.
        var pageSize = 1_000
        /// Events read in all.
        var events = 1_000_000
        /// Bytes of event text (`Info`) read in all.
        var bytes = 256 << 20

        static let standard = Limits()
    }

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

    /// The changes as a capture of `inScope` tables sees them: a change of a table outside
    /// the scope (another database, an excluded name) is left out; a table renamed out of the
    /// scope leaves its name to a new object, and one renamed into it takes a name as a new
    /// object (the capture never saw what it was).
    static func scoped(_ log: NameChangeLog?, inScope: (_ database: String, _ table: String) -> Bool)
        -> NameChangeLog?
    {
        guard var log else { return nil }
        log.changes = log.changes.compactMap { change in
            let source = inScope(change.database, change.table)
            guard change.object == .table, change.action == .rename, let newName = change.newName else {
                return source ? change : nil
            }
            let newDatabase = change.newDatabase ?? change.database
            switch (source, inScope(newDatabase, newName)) {
            case (true, true):
                return change
            case (true, false):
                return NameChange(
                    object: .table, action: .replace, database: change.database, table: change.table,
                    statement: change.statement)
            case (false, true):
                return NameChange(
                    object: .table, action: .replace, database: newDatabase, table: newName,
                    statement: change.statement)
            case (false, false):
                return nil
            }
        }
        return log
    }

    /// The position to record and the hints to keep, given the log's position read before
    /// (`before`) and after (`after`) the catalog, and the hints read up to `before`. The
    /// catalog shows each table as it was at some moment between the two positions, so:
    /// - a name changed between them (or a stretch that cannot be read, or compared: another
    ///   file set, another server) makes the hints unreliable for this catalog: none are kept
    ///   (a later name given to an earlier object could pair the wrong tables), and no position
    ///   is recorded either: this catalog may show some tables by their names from before those
    ///   changes and others from after, so no position matches it, and the next run's hints
    ///   would pair the wrong tables (`a`, `b` read; `DROP TABLE b; RENAME TABLE a TO b` during
    ///   the read; then `RENAME TABLE b TO c`: the old `b` paired with `c`, which was `a`). The
    ///   next run then has no hints and pairs by identity and likeness;
    /// - with nothing in scope changed between them, the position recorded is `after`.
    static func settle(
        before: BinaryLogPosition?, after: BinaryLogPosition?, hints: NameChangeLog?, _ connection: MySQLConnection,
        flavor: ServerFlavor, inScope: (_ database: String, _ table: String) -> Bool
    ) -> (position: BinaryLogPosition?, hints: NameChangeLog?) {
        guard let after else {
            if before != nil { logger.debug("no rename hints: the binary log position is gone after the catalog read") }
            return (nil, nil)
        }
        guard let before else { return (after, nil) }
        if before == after { return (before, hints) }
        guard let between = scoped(nameChanges(from: before, to: after, connection, flavor: flavor), inScope: inScope)
        else {
            logger.debug("no rename hints, now or next run: the log written while the catalog was read cannot be read")
            return (nil, nil)
        }
        guard between.changes.isEmpty else {
            logger.debug("no rename hints, now or next run: DDL changed names while the catalog was read")
            return (nil, nil)
        }
        return (after, hints)
    }

    /// The name changes logged from `since` to `until`, or nil when the whole stretch cannot be read.
    /// `flavor` says which version comments the server ran. Only Query events whose first word
    /// is RENAME, ALTER, CREATE or DROP are parsed; the limits are checked at every event.
    static func nameChanges(
        from since: BinaryLogPosition, to until: BinaryLogPosition, _ connection: MySQLConnection,
        flavor: ServerFlavor, limits: Limits = .standard
    ) -> NameChangeLog? {
        guard since.server == until.server else {
            logger.debug("no rename hints: the binary log is another server's (\(since.server) → \(until.server))")
            return nil
        }
        // lower_case_table_names: 0 (Linux' default) stores and compares names as given; 1
        // stores them lower-cased (the statements' names are lower-cased too); 2 (macOS) stores
        // them as given and compares them lower-cased: the hints keep the statements' spelling,
        // so a statement spelling a name in another case than it was created with gives a hint
        // that pairs nothing (a drop and a create, never a false rename).
        let lowercase =
            (try? connection.query("SELECT @@lower_case_table_names", context: "reading lower_case_table_names"))?
            .rows.first?.int(0) ?? 0 == 1
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
            since.position <= files[first].size, until.position <= files[last].size
        else {
            logger.debug("no rename hints: \(since.file) at \(since.position) is no longer in the binary log (purged)")
            return nil
        }
        var log = NameChangeLog(since: since)
        var statement = 0
        var events = 0
        var bytes = 0
        for file in files[first...last] {
            var position = file.name == since.file ? since.position : 4
            let end = file.name == until.file ? until.position : Int64.max
            while position < end {
                let page: MySQLResultTable
                do {
                    page = try connection.query(
                        "SHOW BINLOG EVENTS IN '\(file.name.replacingOccurrences(of: "'", with: "''"))' FROM "
                            + "\(position) LIMIT \(limits.pageSize)", context: "reading the binary log")
                } catch {
                    logger.debug("no rename hints: reading \(file.name) from \(position): \(error)")
                    return nil
                }
                for row in page.rows {
                    guard let start = row.int(1), start < end else {
                        position = end
                        break
                    }
                    events += 1
                    if row.text(2).hasPrefix("Query") { bytes += row.text(5).utf8.count }
                    guard events <= limits.events, bytes <= limits.bytes else {
                        let limit = "\(limits.events) events or \(limits.bytes) bytes"
                        logger.debug("no rename hints: more than \(limit) of binary log since the last capture")
                        return nil
                    }
                    if row.text(2).hasPrefix("Query"), DDLNameParser.mayChangeNames(row.text(5), server: flavor) {
                        let changes = DDLNameParser.nameChanges(
                            row.text(5), database: nil, statement: statement, server: flavor)
                        statement = (changes.last?.statement ?? statement) + 1
                        log.changes += changes
                    }
                    position = max(position + 1, row.int(4) ?? Int64.max)
                }
                if page.rowCount < limits.pageSize { break }
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
