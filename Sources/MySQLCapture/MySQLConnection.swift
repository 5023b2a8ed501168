import CMySQLClient
import Foundation

/// One MariaDB Connector/C connection. Owns its `MYSQL` handle and frees it in `deinit`, on
/// every path (a failed `mysql_real_connect` included). Not `Sendable`: use it on one thread.
final class MySQLConnection {
    private let handle: UnsafeMutablePointer<MYSQL>
    /// The redacted connection target, for errors.
    let target: String
    /// How many queries this connection has sent.
    private(set) var queryCount = 0
    /// Seconds per query context (round trip and copying the result out).
    private(set) var secondsPerContext: [String: Double] = [:]

    /// Connects with `settings`; `password` (the URL's or `MYSQL_PWD`) wins over the option
    /// files; `database` is the default database, if any.
    init(
        settings: ConnectionSettings, password: String?, database: String?, connectTimeout: Int, readTimeout: Int,
        target: String
    ) throws {
        self.target = target
        guard let handle = mysql_init(nil) else {
            throw MySQLError(
                code: .connectionFailed, context: "connecting", message: "the client library could not allocate",
                target: target)
        }
        // From here `deinit` frees the handle, whatever happens.
        self.handle = handle

        var connectSeconds = UInt32(clamping: max(1, connectTimeout))
        var readSeconds = UInt32(clamping: max(1, readTimeout))
        mysql_options(handle, MYSQL_OPT_CONNECT_TIMEOUT, &connectSeconds)
        mysql_options(handle, MYSQL_OPT_READ_TIMEOUT, &readSeconds)
        mysql_options(handle, MYSQL_OPT_WRITE_TIMEOUT, &readSeconds)
        // Option files: the [client] group of the default files, or the one file given.
        if let file = settings.defaultsFile { mysql_options(handle, MYSQL_READ_DEFAULT_FILE, file) }
        mysql_options(handle, MYSQL_READ_DEFAULT_GROUP, "client")
        mysql_options(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        if settings.socket != nil {
            var protocolKind = MYSQL_PROTOCOL_SOCKET.rawValue
            if settings.host == nil || settings.host == "localhost" {
                mysql_options(handle, MYSQL_OPT_PROTOCOL, &protocolKind)
            }
        }
        try Self.configureTLS(handle, settings, target: target)

        let port = UInt32(settings.port ?? 0)
        let connected = mysql_real_connect(
            handle, settings.host, settings.user, password, database, port, settings.socket, 0)
        guard connected != nil else { throw error(context: "connecting") }
        // Connector/C 3.x falls back to plain text when the server offers no TLS unless the
        // certificate is verified: REQUIRED is checked here, on the connection itself (a unix
        // socket, local and never encrypted, is accepted as the mysql client accepts it).
        let overSocket = settings.socket != nil && (settings.host == nil || settings.host == "localhost")
        if let mode = settings.tlsMode, mode != .disabled, mode != .preferred, !overSocket,
            mysql_get_ssl_cipher(handle) == nil
        {
            throw MySQLError(
                code: .tlsFailed, context: "connecting",
                message: "ssl-mode=\(mode.rawValue), but the connection is not encrypted (the server offers no TLS)",
                target: target)
        }
        // Whatever an option file said, text comes back as utf8mb4.
        guard mysql_set_character_set(handle, "utf8mb4") == 0 else { throw error(context: "setting utf8mb4") }
    }

    deinit {
        mysql_close(handle)
    }

    private static func configureTLS(
        _ handle: UnsafeMutablePointer<MYSQL>, _ settings: ConnectionSettings, target: String
    ) throws {
        let mode = settings.tlsMode ?? .preferred
        guard mode != .disabled else { return }
        let hasFiles =
            settings.tlsCA != nil || settings.tlsCAPath != nil || settings.tlsCert != nil || settings.tlsKey != nil
        // PREFERRED without files: let the library and the option files decide, as the client does.
        if mode == .preferred && !hasFiles { return }
        mysql_ssl_set(handle, settings.tlsKey, settings.tlsCert, settings.tlsCA, settings.tlsCAPath, nil)
        if mode != .preferred {
            var enforce: my_bool = 1
            mysql_options(handle, MYSQL_OPT_SSL_ENFORCE, &enforce)
        }
        if mode == .verifyCA || mode == .verifyIdentity {
            guard settings.tlsCA != nil || settings.tlsCAPath != nil else {
                throw MySQLError(
                    code: .invalidURL, context: "reading the connection URL",
                    message: "ssl-mode=\(mode.rawValue) needs ssl-ca (or ssl-capath)", target: target)
            }
            var verify: my_bool = 1
            mysql_options(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify)
        }
    }

    /// The server's version string (`10.11.19-MariaDB-0+deb12u1`, `8.0.36`).
    var serverInfo: String { mysql_get_server_info(handle).map { String(cString: $0) } ?? "" }

    /// Runs a statement whose result (if any) is not needed.
    func execute(_ sql: String, context: String) throws {
        _ = try query(sql, context: context)
    }

    /// Runs a query and copies its rows out.
    func query(_ sql: String, context: String) throws -> MySQLResultTable {
        queryCount += 1
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            secondsPerContext[context, default: 0] += seconds
        }
        let status = sql.utf8CString.withUnsafeBufferPointer { buffer in
            mysql_real_query(handle, buffer.baseAddress, UInt(buffer.count - 1))
        }
        guard status == 0 else { throw error(context: context) }
        guard let result = mysql_store_result(handle) else {
            if mysql_field_count(handle) == 0 { return MySQLResultTable(columnCount: 0) }
            throw error(context: context)
        }
        defer { mysql_free_result(result) }
        let columnCount = Int(mysql_num_fields(result))
        var table = MySQLResultTable(columnCount: columnCount)
        table.reserve(rows: Int(mysql_num_rows(result)))
        while let row = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            for column in 0..<columnCount {
                if let value = row[column] {
                    let count = Int(lengths[column])
                    value.withMemoryRebound(to: UInt8.self, capacity: count) {
                        table.append(UnsafeBufferPointer(start: $0, count: count))
                    }
                } else {
                    table.appendNull()
                }
            }
        }
        if mysql_errno(handle) != 0 { throw error(context: context) }
        return table
    }

    /// The connection's last error as a `MySQLError`.
    func error(context: String) -> MySQLError {
        let number = Int(mysql_errno(handle))
        let message = mysql_error(handle).map { String(cString: $0) } ?? "unknown error"
        let state = mysql_sqlstate(handle).map { String(cString: $0) }
        return MySQLError(
            code: MySQLError.classify(errorNumber: number, sqlState: state), context: context,
            message: message.isEmpty ? "unknown error" : message, errorNumber: number == 0 ? nil : number,
            sqlState: state == "00000" ? nil : state, target: target)
    }
}

/// A query result copied out of the client library: every value's bytes in one buffer.
struct MySQLResultTable {
    let columnCount: Int
    private var bytes: [UInt8] = []
    /// Per value: start offset in `bytes`, and length (-1 for NULL).
    private var starts: [Int] = []
    private var lengths: [Int] = []

    init(columnCount: Int) {
        self.columnCount = columnCount
    }

    mutating func reserve(rows: Int) {
        starts.reserveCapacity(rows * columnCount)
        lengths.reserveCapacity(rows * columnCount)
    }

    mutating func append(_ value: UnsafeBufferPointer<UInt8>) {
        starts.append(bytes.count)
        lengths.append(value.count)
        bytes.append(contentsOf: value)
    }

    mutating func append(_ value: String?) {
        guard let value else { return appendNull() }
        var copy = value
        copy.withUTF8 { append($0) }
    }

    mutating func appendNull() {
        starts.append(0)
        lengths.append(-1)
    }

    /// How many rows there are.
    var rowCount: Int { columnCount == 0 ? 0 : lengths.count / columnCount }

    /// The rows, each read through a `MySQLRow`.
    var rows: [MySQLRow] { (0..<rowCount).map { MySQLRow(table: self, row: $0) } }

    func string(_ row: Int, _ column: Int) -> String? {
        let index = row * columnCount + column
        let length = lengths[index]
        guard length >= 0 else { return nil }
        let start = starts[index]
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start..<start + length]), as: UTF8.self)
        }
    }
}

/// One row of a `MySQLResultTable`.
struct MySQLRow {
    let table: MySQLResultTable
    let row: Int

    /// The value, nil for SQL NULL.
    func string(_ column: Int) -> String? { table.string(row, column) }
    /// The value, empty for SQL NULL.
    func text(_ column: Int) -> String { table.string(row, column) ?? "" }
    /// The value as an integer, nil for NULL or not a number.
    func int(_ column: Int) -> Int64? { table.string(row, column).flatMap { Int64($0) } }
}
