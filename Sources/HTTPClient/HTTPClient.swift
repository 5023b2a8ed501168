import CCurl
import Foundation

/// Sends HTTP requests through libcurl: certificate verification on (unless `insecure`),
/// connect and request timeouts, the proxy from the environment, and connections kept open
/// and reused across requests. Safe to use from several tasks at once: each request takes an
/// idle libcurl handle (with its open connections) or makes one, and gives it back after.
package final class HTTPClient: @unchecked Sendable {
    /// How this client connects.
    package let options: HTTPClientOptions
    private let lock = NSLock()
    private var idle: [OpaquePointer] = []
    private let maxIdle = 8

    /// A client with these options. libcurl is initialised once per process.
    package init(options: HTTPClientOptions = HTTPClientOptions()) {
        _ = CurlLibrary.initialised
        self.options = options
    }

    deinit {
        for handle in idle { curl_easy_cleanup(UnsafeMutableRawPointer(handle)) }
    }

    /// The libcurl version, for `check` and bug reports.
    package static var libraryVersion: String {
        String(cString: curl_version())
    }

    /// Sends `request` and returns the server's answer, whatever its status. Throws
    /// `HTTPClientError` when there is no answer. libcurl blocks, so the transfer runs on a
    /// thread of its own: never on Swift's cooperative pool, nor on Dispatch's CPU-wide
    /// queues, where blocked transfers would hold up each other and everything else.
    package func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let result: Result<HTTPResponse, HTTPClientError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Result { () throws(HTTPClientError) in try self.perform(request) })
            }
        }
        return try result.get()
    }

    /// Sends `request` on the calling thread (blocking).
    package func perform(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        try Endpoint.check(request.url, insecure: options.insecure)
        let handle = try takeHandle(origin: Endpoint.origin(of: request.url))
        var healthy = true
        defer { giveBack(handle, healthy: healthy) }
        do {
            return try Transfer(handle: handle, request: request, options: options).run()
        } catch {
            // A handle whose transfer failed may hold a half-used connection: start afresh.
            healthy = false
            throw error
        }
    }

    private func takeHandle(origin: String) throws(HTTPClientError) -> OpaquePointer {
        lock.lock()
        let reused = idle.popLast()
        lock.unlock()
        if let reused { return reused }
        guard let raw = curl_easy_init() else {
            throw HTTPClientError(kind: .other, origin: origin, message: "libcurl could not create a handle")
        }
        return OpaquePointer(raw)
    }

    private func giveBack(_ handle: OpaquePointer, healthy: Bool) {
        lock.lock()
        let keep = healthy && idle.count < maxIdle
        if keep { idle.append(handle) }
        lock.unlock()
        if !keep { curl_easy_cleanup(UnsafeMutableRawPointer(handle)) }
    }
}

/// The fields of a POST without a body.
private let emptyBody: StaticString = ""

/// `curl_global_init`, once, before any handle.
private enum CurlLibrary {
    static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

/// One request on one libcurl handle: options set, body lent for the whole transfer,
/// answer collected.
private struct Transfer {
    let handle: OpaquePointer
    let request: HTTPRequest
    let options: HTTPClientOptions

    private var raw: UnsafeMutableRawPointer { UnsafeMutableRawPointer(handle) }
    private var origin: String { Endpoint.origin(of: request.url) }

    func run() throws(HTTPClientError) -> HTTPResponse {
        // Forget the previous request's options; the connection cache stays. Reset again
        // after: the handle must not keep pointers to this transfer's buffers.
        curl_easy_reset(raw)
        defer { curl_easy_reset(raw) }
        let collector = Collector(limit: options.maxResponseBytes)
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        // Without a value, libcurl drops its own header; `Expect:` stops the 100-continue wait.
        for (name, value) in request.headers + [(name: "Expect", value: "")] {
            let line = value.isEmpty ? "\(name):" : "\(name): \(value)"
            guard let appended = curl_slist_append(headerList, line) else {
                throw HTTPClientError(kind: .other, origin: origin, message: "out of memory for headers")
            }
            headerList = appended
        }
        let code: CURLcode = request.url.withCString { url in
            options.userAgent.withCString { agent in
                request.method.withCString { method in
                    errorBuffer.withUnsafeMutableBufferPointer { errors in
                        request.body.withUnsafeBytes { body in
                            withExtendedLifetime(collector) {
                                let context = Unmanaged.passUnretained(collector).toOpaque()
                                var setup = [
                                    schemasync_curl_set_string(raw, CURLOPT_URL, url),
                                    schemasync_curl_set_pointer(raw, CURLOPT_ERRORBUFFER, errors.baseAddress),
                                    schemasync_curl_set_long(raw, CURLOPT_NOSIGNAL, 1),
                                    schemasync_curl_set_string(raw, CURLOPT_PROTOCOLS_STR, "http,https"),
                                    schemasync_curl_set_long(raw, CURLOPT_FOLLOWLOCATION, 0),
                                    schemasync_curl_set_long(
                                        raw, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(options.connectTimeout)),
                                    schemasync_curl_set_long(
                                        raw, CURLOPT_TIMEOUT_MS, Self.milliseconds(options.requestTimeout)),
                                    schemasync_curl_set_string(raw, CURLOPT_USERAGENT, agent),
                                    schemasync_curl_set_list(raw, CURLOPT_HTTPHEADER, headerList),
                                    schemasync_curl_set_callback(raw, CURLOPT_WRITEFUNCTION, collectBody),
                                    schemasync_curl_set_pointer(raw, CURLOPT_WRITEDATA, context),
                                    schemasync_curl_set_callback(raw, CURLOPT_HEADERFUNCTION, collectHeader),
                                    schemasync_curl_set_pointer(raw, CURLOPT_HEADERDATA, context),
                                    schemasync_curl_set_long(raw, CURLOPT_SSL_VERIFYPEER, options.insecure ? 0 : 1),
                                    schemasync_curl_set_long(raw, CURLOPT_SSL_VERIFYHOST, options.insecure ? 0 : 2),
                                ]
                                if let caFile = options.caFile {
                                    setup.append(schemasync_curl_set_string(raw, CURLOPT_CAINFO, caFile))
                                }
                                if let proxy = options.proxy {
                                    setup.append(schemasync_curl_set_string(raw, CURLOPT_PROXY, proxy))
                                } else if Endpoint.isLoopback(Endpoint.host(of: request.url)) {
                                    // Loopback stays on the machine: no proxy from the environment.
                                    setup.append(schemasync_curl_set_string(raw, CURLOPT_NOPROXY, "*"))
                                }
                                switch request.method {
                                case "GET": setup.append(schemasync_curl_set_long(raw, CURLOPT_HTTPGET, 1))
                                case "HEAD": setup.append(schemasync_curl_set_long(raw, CURLOPT_NOBODY, 1))
                                default:
                                    if request.method != "POST" {
                                        setup.append(schemasync_curl_set_string(raw, CURLOPT_CUSTOMREQUEST, method))
                                    }
                                    // The body is lent, not copied: it lives until perform returns.
                                    setup.append(schemasync_curl_set_long(raw, CURLOPT_POST, 1))
                                    setup.append(
                                        schemasync_curl_set_offset(
                                            raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
                                    // Never nil: without fields libcurl would read the body from stdin.
                                    setup.append(
                                        schemasync_curl_set_pointer(
                                            raw, CURLOPT_POSTFIELDS,
                                            body.count > 0 ? body.baseAddress : UnsafeRawPointer(emptyBody.utf8Start)))
                                }
                                if let failed = setup.first(where: { $0 != CURLE_OK }) { return failed }
                                return curl_easy_perform(raw)
                            }
                        }
                    }
                }
            }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let summary = String(cString: curl_easy_strerror(code))
            throw HTTPClientError(
                kind: collector.overflowed ? .responseTooLarge : Self.kind(of: code), origin: origin,
                message: detail.isEmpty ? summary : "\(summary): \(detail)")
        }
        var status = 0
        _ = schemasync_curl_get_long(raw, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: collector.headers, body: collector.body)
    }

    /// A timeout for libcurl: at least 1 ms (0 would mean none), at most a day.
    static func milliseconds(_ seconds: Double) -> Int {
        seconds.isNaN ? 1 : Int(min(max(seconds, 0.001), 86400) * 1000)
    }

    static func kind(of code: CURLcode) -> HTTPClientError.Kind {
        switch code {
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: return .invalidURL
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .resolve
        case CURLE_COULDNT_CONNECT: return .connect
        case CURLE_OPERATION_TIMEDOUT: return .timeout
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_WEIRD_SERVER_REPLY,
            CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionLost
        case CURLE_SSL_CONNECT_ERROR:
            // A handshake cut short (a reset, a load balancer) as often as a setup mistake.
            return .connectionLost
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED:
            return .tls
        default: return .other
        }
    }
}

/// Where libcurl's callbacks put the answer.
private final class Collector {
    let limit: Int
    var body = Data()
    var headers: [(name: String, value: String)] = []
    var overflowed = false

    init(limit: Int) { self.limit = limit }
}

/// CURLOPT_WRITEFUNCTION: appends to the body; stops the transfer past the limit.
private let collectBody: schemasync_curl_data_callback = { data, size, count, context in
    let collector = Unmanaged<Collector>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard collector.body.count + length <= collector.limit else {
        collector.overflowed = true
        return 0
    }
    if let data { collector.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
    return length
}

/// CURLOPT_HEADERFUNCTION: one header line at a time; a status line starts a new response
/// (after a `100 Continue`, a proxy's `CONNECT` answer), whose headers replace the earlier ones.
private let collectHeader: schemasync_curl_data_callback = { data, size, count, context in
    let collector = Unmanaged<Collector>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    guard let data else { return length }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        collector.headers = []
    } else if let colon = line.firstIndex(of: ":") {
        collector.headers.append(
            (
                name: String(line[..<colon]),
                value: String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            ))
    }
    return length
}
