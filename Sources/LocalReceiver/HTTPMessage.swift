import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP/1.1 request as the server read it (NIO's decoder parsed the head): the body whole.
struct HTTPRequest: Sendable {
    /// The method, as sent (`POST`).
    var method: String
    /// The request target as sent: path and query (`/v1/p/metadata/async-bulk?x=1`).
    var target: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    var version: String
    /// The header fields, in order, names as sent, values without surrounding spaces.
    var headers: [(name: String, value: String)]
    /// The body (empty when there is none).
    var body: Data

    /// The path part of the target, still percent-encoded.
    var path: String {
        target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }

    /// The query part of the target (after `?`), still percent-encoded; empty when none.
    var query: String {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count > 1 ? String(parts[1]) : ""
    }

    /// The value of the first field named `name`, compared case-insensitively.
    func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// Every value of the fields named `name`, compared case-insensitively.
    func headerValues(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return headers.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    /// Whether the client wants the connection kept after this request: HTTP/1.1 unless
    /// `Connection: close`, HTTP/1.0 only with `Connection: keep-alive`.
    var keepAlive: Bool {
        let tokens = headerValues("Connection").flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        if tokens.contains("close") { return false }
        if version == "HTTP/1.0" { return tokens.contains("keep-alive") }
        return true
    }
}

/// One HTTP response: status, extra headers, body. `Content-Length`, `Date` and
/// `Connection` are added by `parts(close:allocator:)`.
struct HTTPResponse: Sendable {
    /// The status code.
    var status: Int
    /// Header fields besides the ones the server writes.
    var headers: [(name: String, value: String)]
    /// The body.
    var body: Data

    init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response.
    static func json(_ status: Int, _ body: Data, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [("Content-Type", "application/json;charset=UTF-8")] + headers, body: body)
    }

    /// The parts NIO's `HTTPResponseEncoder` writes: head (with `Content-Length`, `Date` and
    /// `Connection: close` or `keep-alive`), the body if any, and the end.
    func parts(close: Bool, allocator: ByteBufferAllocator) -> [HTTPServerResponsePart] {
        var fields = HTTPHeaders(headers.map { ($0.name, $0.value) })
        fields.add(name: "Content-Length", value: String(body.count))
        fields.add(name: "Date", value: Self.httpDate(Date()))
        fields.add(name: "Connection", value: close ? "close" : "keep-alive")
        let status = HTTPResponseStatus(statusCode: status, reasonPhrase: Self.reason(status))
        var parts: [HTTPServerResponsePart] = [
            .head(HTTPResponseHead(version: .http1_1, status: status, headers: fields))
        ]
        if !body.isEmpty {
            parts.append(.body(.byteBuffer(allocator.buffer(bytes: body))))
        }
        parts.append(.end(nil))
        return parts
    }

    /// The reason phrase of a status code.
    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: status < 500 ? "Client Error" : "Server Error"
        }
    }

    /// An IMF-fixdate (`Wed, 25 Nov 2026 06:00:00 GMT`).
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}

/// What the server does with a request: answer it, or one of the faults a test asks for.
enum HTTPReply: Sendable {
    /// Write the response, after waiting `delayMilliseconds`; `close` ends the connection after it.
    case respond(HTTPResponse, delayMilliseconds: Int = 0, close: Bool = false)
    /// Never answer: keep the connection open until the client goes away, the server stops,
    /// or the server's hang limit passes; then close it.
    case hang
    /// Close the connection without a word.
    case drop
    /// Write these bytes (a piece of a status line), then reset the connection (SO_LINGER 0).
    case reset(partial: [UInt8])
}
