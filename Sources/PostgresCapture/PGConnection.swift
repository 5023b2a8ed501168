import CLibPQ
import Foundation

/// One libpq connection. Owns its `PGconn` and frees it in `deinit`, on every path
/// (including a failed connect). Not `Sendable`: use it on one thread.
package final class PGConnection {
    private let handle: OpaquePointer
    /// The redacted connection target, for errors.
    package let target: String
    /// How many queries this connection has sent.
    private(set) var queryCount = 0
    /// Seconds per query context (round trip and copying the result out).
    private(set) var secondsPerContext: [String: Double] = [:]

    /// Connects. `connection` is a URL or conninfo; `overrides` are libpq keywords applied
    /// after it (a later keyword wins), `defaults` before it (the connection string wins).
    package init(connection: String, defaults: [(String, String)], overrides: [(String, String)], target: String) throws
    {
        self.target = target
        try Self.validate(connection, target: target)
        var pairs = defaults
        pairs.append(("dbname", connection))
        pairs.append(contentsOf: overrides)
        let conn = Self.connect(pairs)
        guard let conn else {
            throw PostgresError(
                code: .connectionFailed, context: "connecting", message: "libpq could not allocate a connection",
                target: target)
        }
        // From here `deinit` frees the handle, including when the connect failed.
        handle = conn
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = Self.firstLines(Self.withoutQuotedOptionValues(String(cString: PQerrorMessage(conn))))
            throw PostgresError(
                code: Self.classifyConnectFailure(message), context: "connecting", message: message, target: target)
        }
    }

    deinit {
        PQfinish(handle)
    }

    /// The server version as `PQserverVersion` reports it (150018 for 15.18).
    package var serverVersionNumber: Int { Int(PQserverVersion(handle)) }

    /// Runs a statement without parameters and copies its result out.
    @discardableResult
    package func execute(_ sql: String, context: String) throws -> PGResultTable {
        try timed(context) { PQexec(handle, sql) }
    }

    /// Runs a statement with text parameters (`$1`, `$2`, …) and copies its result out.
    package func execute(_ sql: String, parameters: [String], context: String) throws -> PGResultTable {
        let cStrings = parameters.map { strdup($0) }
        defer {
            for cString in cStrings { free(cString) }
        }
        return try timed(context) {
            cStrings.withUnsafeBufferPointer { buffer -> OpaquePointer? in
                buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { values in
                    PQexecParams(handle, sql, Int32(parameters.count), nil, values.baseAddress, nil, nil, 0)
                }
            }
        }
    }

    private func timed(_ context: String, _ send: () -> OpaquePointer?) throws -> PGResultTable {
        queryCount += 1
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            secondsPerContext[context, default: 0] += seconds
        }
        return try consume(send(), context: context)
    }

    private func consume(_ result: OpaquePointer?, context: String) throws -> PGResultTable {
        guard let result else {
            throw PostgresError(
                code: .queryFailed, context: context, message: Self.firstLines(String(cString: PQerrorMessage(handle))),
                target: target)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            throw error(from: result, context: context)
        }
        return PGResultTable(copying: result)
    }

    private func error(from result: OpaquePointer, context: String) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let sqlState = field("C")
        let message = field("M") ?? Self.firstLines(String(cString: PQresultErrorMessage(result)))
        let code: PostgresError.Code =
            switch sqlState {
            case "42501": .insufficientPrivilege
            case "3D000": .databaseNotFound
            case let state? where state.hasPrefix("08"): .unreachable
            default: .queryFailed
            }
        return PostgresError(
            code: code, context: context, message: message, sqlState: sqlState, detail: field("D"), hint: field("H"),
            target: target)
    }

    private static func connect(_ pairs: [(String, String)]) -> OpaquePointer? {
        let keys = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            for key in keys { free(key) }
            for value in values { free(value) }
        }
        var keyPointers: [UnsafePointer<CChar>?] = keys.map { UnsafePointer($0) } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        return keyPointers.withUnsafeMutableBufferPointer { k in
            valuePointers.withUnsafeMutableBufferPointer { v in
                PQconnectdbParams(k.baseAddress, v.baseAddress, 1)
            }
        }
    }

    /// Parses the connection string with libpq itself, so a malformed one is reported as such
    /// before any connection attempt.
    private static func validate(_ connection: String, target: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let options = PQconninfoParse(connection, &errorMessage)
        defer {
            if let options { PQconninfoFree(options) }
            if let errorMessage { PQfreemem(errorMessage) }
        }
        if options == nil {
            // libpq quotes the offending token, which may hold a password: leave it out.
            let message = errorMessage.map { withoutQuotedParts(firstLines(String(cString: $0))) } ?? "cannot be parsed"
            throw PostgresError(
                code: .invalidConnectionString, context: "reading the connection string", message: message,
                target: target)
        }
    }

    private static func classifyConnectFailure(_ message: String) -> PostgresError.Code {
        let lowered = message.lowercased()
        // An option's value libpq checks only when connecting (`invalid integer value … "port"`).
        if lowered.hasPrefix("invalid ") { return .invalidConnectionString }
        if lowered.contains("password authentication failed") || lowered.contains("no password supplied")
            || lowered.contains("authentication failed")
        {
            return .authenticationFailed
        }
        if lowered.contains("database") && lowered.contains("does not exist") { return .databaseNotFound }
        if lowered.contains("permission denied") { return .insufficientPrivilege }
        if lowered.contains("connection refused") || lowered.contains("could not translate host name")
            || lowered.contains("timeout expired") || lowered.contains("no route to host")
            || lowered.contains("could not connect") || lowered.contains("network is unreachable")
        {
            return .unreachable
        }
        return .connectionFailed
    }

    /// `invalid percent-encoded token: "p%zzsecret"` → `invalid percent-encoded token: "…"`.
    static func withoutQuotedParts(_ message: String) -> String {
        var result = ""
        var inQuotes = false
        for character in message {
            if character == "\"" {
                inQuotes.toggle()
                result += inQuotes ? "\"…" : "\""
            } else if !inQuotes {
                result.append(character)
            }
        }
        return result
    }

    /// libpq's complaints about an option's value (`invalid integer value "S3" for connection
    /// option "port"`) quote the value, which may be part of a password (one holding an
    /// unencoded `/` is read as host and port): those lines lose their quoted parts.
    static func withoutQuotedOptionValues(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("invalid ") || line.hasPrefix("could not translate host name ")
                ? withoutQuotedParts(String(line)) : String(line)
        }.joined(separator: "\n")
    }

    /// libpq messages end with a newline and may repeat per address tried; keep them short.
    static func firstLines(_ message: String) -> String {
        let lines = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        return lines.filter { !$0.isEmpty && seen.insert($0).inserted }.prefix(3).joined(separator: "; ")
    }
}
