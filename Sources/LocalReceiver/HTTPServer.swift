import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 server on POSIX sockets, for loopback only.
///
/// One thread accepts; each connection gets its own thread, at most `maxConnections` at a
/// time (one more is answered 503 and closed). Connections are kept alive between requests
/// unless the client says `Connection: close`. A request head is at most 64 KiB (431
/// otherwise); the body is read by `Content-Length` or in chunks, up to `maxBodyBytes`
/// (413 otherwise); `Expect: 100-continue` is answered with
/// `100 Continue` before the body is read. Every read has a timeout, so a stuck client
/// frees its thread; `stop()` closes the listener and every connection and waits for the
/// threads, within a bound.
///
/// Why not SwiftNIO or Hummingbird: they would add minutes to every CI build for a server
/// that only ever serves loopback, and the faults the tests need (a half-written status
/// line, a reset, a hang) want raw control of the socket.
final class HTTPServer: @unchecked Sendable {
    /// The server's limits.
    struct Limits: Sendable {
        /// The largest request head (request line and header fields).
        var maxHeadBytes = 64 * 1024
        /// The largest body.
        var maxBodyBytes = 16 * 1024 * 1024
        /// How long a read or a write may wait, and how long an idle connection is kept.
        var ioTimeout: TimeInterval = 30
        /// At most this many connections at once.
        var maxConnections = 32
        /// At most this many requests on one connection.
        var maxRequestsPerConnection = 100_000
        /// How long a `.hang` reply holds a connection at most.
        var hangLimit: TimeInterval = 120
    }

    /// Why the server could not start.
    struct StartError: Error, Sendable {
        var message: String
    }

    typealias Handler = @Sendable (HTTPRequest) -> HTTPReply
    typealias Log = @Sendable (String) -> Void

    private let host: String
    private let requestedPort: Int
    private let limits: Limits
    private let handler: Handler
    private let log: Log

    private let lock = NSCondition()
    private var listener: Int32 = -1
    private var stopping = false
    private var accepting = false
    private var connections: Set<Int32> = []
    private var boundPort: Int?

    init(host: String, port: Int, limits: Limits, log: @escaping Log, handler: @escaping Handler) {
        self.host = host
        self.log = log
        requestedPort = port
        self.limits = limits
        self.handler = handler
    }

    /// The bound port once started.
    var port: Int? {
        lock.lock()
        defer { lock.unlock() }
        return boundPort
    }

    /// Whether `stop()` has been called.
    var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    /// Binds and listens, starts the accept thread, and returns the bound port.
    func start() throws(StartError) -> Int {
        let fd = try Self.listen(host: host, port: requestedPort)
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            close(fd)
            throw StartError(message: "getsockname failed: \(Self.errnoText())")
        }
        let port: Int
        if Int32(address.ss_family) == AF_INET6 {
            port = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
        } else {
            port = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        }
        lock.lock()
        listener = fd
        boundPort = port
        accepting = true
        lock.unlock()
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "receiver-accept"
        thread.start()
        return port
    }

    /// Stops accepting, shuts every open connection down, and waits (at most `timeout`)
    /// for every thread to finish. Safe to call more than once.
    func stop(timeout: TimeInterval = 5) {
        lock.lock()
        stopping = true
        for fd in connections {
            shutdown(fd, Int32(SHUT_RDWR))
        }
        let deadline = Date().addingTimeInterval(timeout)
        while accepting || !connections.isEmpty {
            if !lock.wait(until: deadline) { break }
        }
        lock.unlock()
    }

    // MARK: - Listening

    private static func listen(host: String, port: Int) throws(StartError) -> Int32 {
        guard (0...65_535).contains(port) else { throw StartError(message: "port \(port) is not in 0…65535") }
        var v4 = in_addr()
        var v6 = in6_addr()
        let isV4 = inet_pton(AF_INET, host, &v4) == 1
        let isV6 = !isV4 && inet_pton(AF_INET6, host, &v6) == 1
        guard isV4 || isV6 else { throw StartError(message: "\(host) is not an IP address") }
        let fd = socket(isV4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StartError(message: "socket failed: \(errnoText())") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if isV4 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr = v4
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = v6
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        guard bound == 0 else {
            let text = errnoText()
            close(fd)
            throw StartError(message: "cannot listen on \(host) port \(port): \(text)")
        }
        guard Glibc.listen(fd, 128) == 0 else {
            let text = errnoText()
            close(fd)
            throw StartError(message: "listen failed: \(text)")
        }
        return fd
    }

    private func acceptLoop(_ listenFD: Int32) {
        // Poll with a short timeout so `stop()` is seen within 100 ms; the loop ends only then.
        while !isStopping {
            var pfd = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            guard ready > 0 else { continue }
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else {
                // Out of descriptors (EMFILE) leaves the connection pending: wait, don't spin.
                if errno != EINTR && errno != EAGAIN { usleep(50_000) }
                continue
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            lock.lock()
            let full = connections.count >= limits.maxConnections
            let refused = stopping || full
            if !refused { connections.insert(fd) }
            lock.unlock()
            if refused {
                if full {
                    log("- - 503 APIG.0203")
                    let body = ReceiverAnswer.errorBody(
                        "APIG.0203", "too many connections: at most \(limits.maxConnections)")
                    _ = Self.writeAll(fd, HTTPResponse.json(503, body).serialized(close: true))
                }
                close(fd)
                continue
            }
            let thread = Thread { [self] in
                serve(fd)
                lock.lock()
                connections.remove(fd)
                close(fd)
                lock.broadcast()
                lock.unlock()
            }
            thread.name = "receiver-connection"
            thread.start()
        }
        lock.lock()
        close(listenFD)
        listener = -1
        accepting = false
        lock.broadcast()
        lock.unlock()
    }

    // MARK: - One connection

    private enum ReadOutcome {
        case data
        case closed
        case timedOut
    }

    private func serve(_ fd: Int32) {
        // Never zero, which would mean no timeout at all.
        let seconds = max(0.001, limits.ioTimeout)
        var timeout = timeval(
            tv_sec: Int(seconds.rounded(.down)), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))

        var buffer: [UInt8] = []
        for _ in 0..<limits.maxRequestsPerConnection {
            if isStopping { return }
            // The head: up to the blank line.
            let headStart = Date()
            var headEnd: Int?
            var scanned = 0
            while headEnd == nil {
                if let end = Self.blankLine(in: buffer, from: scanned) {
                    headEnd = end
                    break
                }
                scanned = max(0, buffer.count - 3)
                if buffer.count > limits.maxHeadBytes {
                    respondAndClose(fd, "- -", 431, "APIG.0201", "the request head is larger than 64 KiB")
                    return
                }
                if Date().timeIntervalSince(headStart) > 2 * limits.ioTimeout { return }
                switch read(fd, into: &buffer) {
                case .data: continue
                case .closed, .timedOut: return
                }
            }
            guard let end = headEnd else { return }
            guard end <= limits.maxHeadBytes else {
                respondAndClose(fd, "- -", 431, "APIG.0201", "the request head is larger than 64 KiB")
                return
            }
            let head: (method: String, target: String, version: String, headers: [(name: String, value: String)])
            do {
                head = try HTTPHeadParser.parse(buffer[0..<end])
            } catch {
                respondAndClose(fd, "- -", error.status, "APIG.0201", error.message)
                return
            }
            buffer.removeFirst(end + 4)
            var request = HTTPRequest(
                method: head.method, target: head.target, version: head.version, headers: head.headers, body: Data())
            let label = "\(request.method) \(request.path.prefix(200))"

            // The body: by Content-Length, or chunked.
            let codings = request.headerValues("Transfer-Encoding").flatMap { $0.split(separator: ",") }.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            let expectsContinue = request.header("Expect")?.lowercased() == "100-continue"
            if !codings.isEmpty {
                guard codings == ["chunked"] else {
                    respondAndClose(
                        fd, label, 501, "APIG.0201", "only the chunked transfer coding is supported, not \(codings)")
                    return
                }
                guard request.header("Content-Length") == nil else {
                    respondAndClose(fd, label, 400, "APIG.0201", "both Transfer-Encoding and Content-Length")
                    return
                }
                if expectsContinue && buffer.isEmpty {
                    guard Self.writeAll(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
                }
                switch readChunked(fd, &buffer) {
                case .body(let body): request.body = body
                case .refused(let status, let message):
                    respondAndClose(fd, label, status, "APIG.0201", message)
                    return
                case .gone: return
                }
            } else {
                let lengths = Set(request.headerValues("Content-Length"))
                var length = 0
                if lengths.count > 1 {
                    respondAndClose(fd, label, 400, "APIG.0201", "several different Content-Length values")
                    return
                } else if let text = lengths.first {
                    guard let value = Int(text), value >= 0, text.allSatisfy(\.isASCII) else {
                        respondAndClose(fd, label, 400, "APIG.0201", "Content-Length is not a number")
                        return
                    }
                    length = value
                } else if request.method == "POST" || request.method == "PUT" {
                    respondAndClose(
                        fd, label, 411, "APIG.0201", "a \(request.method) needs a Content-Length or a chunked body")
                    return
                }
                if length > limits.maxBodyBytes {
                    respondAndClose(fd, label, 413, "APIG.0201", tooLarge("is \(length) bytes"))
                    return
                }
                if length > 0, buffer.count < length, expectsContinue {
                    guard Self.writeAll(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return }
                }
                let bodyStart = Date()
                while buffer.count < length {
                    if Date().timeIntervalSince(bodyStart) > 4 * limits.ioTimeout { return }
                    switch read(fd, into: &buffer) {
                    case .data: continue
                    case .closed, .timedOut: return
                    }
                }
                request.body = Data(buffer[0..<length])
                buffer.removeFirst(length)
            }

            let keepAlive = request.keepAlive
            switch handler(request) {
            case .respond(let response, let delay, let close):
                if delay > 0 && !sleep(milliseconds: delay) { return }
                let closing = close || !keepAlive || isStopping
                guard Self.writeAll(fd, response.serialized(close: closing)), !closing else { return }
            case .drop:
                return
            case .hang:
                hang(fd)
                return
            case .reset(let partial):
                _ = Self.writeAll(fd, partial)
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                return
            }
        }
    }

    private func tooLarge(_ what: String) -> String {
        "Request entity too large: the body \(what), this receiver takes at most \(limits.maxBodyBytes)"
    }

    private enum ChunkedOutcome {
        case body(Data)
        case refused(Int, String)
        case gone
    }

    /// Reads a chunked body (RFC 9112 section 7.1): hex sizes (extensions ignored), the
    /// chunks, then trailer fields (ignored) up to a blank line. At most `maxBodyBytes` of
    /// data, lines of at most 4 KiB, within four I/O timeouts.
    private func readChunked(_ fd: Int32, _ buffer: inout [UInt8]) -> ChunkedOutcome {
        let started = Date()
        var body = Data()
        var inTrailer = false
        // Each pass consumes a size line, a chunk or a trailer line, or reads more bytes.
        for _ in 0..<10_000_000 {
            if Date().timeIntervalSince(started) > 4 * limits.ioTimeout { return .gone }
            guard let lineEnd = Self.lineEnd(in: buffer) else {
                if buffer.count > 4096 { return .refused(400, "a chunk size or trailer line is longer than 4 KiB") }
                switch read(fd, into: &buffer) {
                case .data: continue
                case .closed, .timedOut: return .gone
                }
            }
            let line = String(decoding: buffer[0..<lineEnd], as: UTF8.self)
            if inTrailer {
                buffer.removeFirst(lineEnd + 2)
                if line.isEmpty { return .body(body) }
                continue
            }
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard let sizeText, !sizeText.isEmpty, sizeText.count <= 8, let size = Int(sizeText, radix: 16) else {
                return .refused(400, "a chunk size is not a hexadecimal number")
            }
            if size == 0 {
                buffer.removeFirst(lineEnd + 2)
                inTrailer = true
                continue
            }
            guard body.count + size <= limits.maxBodyBytes else {
                return .refused(413, tooLarge("exceeds that in chunks"))
            }
            while buffer.count < lineEnd + 2 + size + 2 {
                if Date().timeIntervalSince(started) > 4 * limits.ioTimeout { return .gone }
                switch read(fd, into: &buffer) {
                case .data: continue
                case .closed, .timedOut: return .gone
                }
            }
            let dataStart = lineEnd + 2
            guard buffer[dataStart + size] == 13, buffer[dataStart + size + 1] == 10 else {
                return .refused(400, "a chunk is not followed by CRLF")
            }
            body.append(contentsOf: buffer[dataStart..<(dataStart + size)])
            buffer.removeFirst(dataStart + size + 2)
        }
        return .gone
    }

    /// The index of the first `\r\n` in `buffer`, if any.
    static func lineEnd(in buffer: [UInt8]) -> Int? {
        guard buffer.count >= 2 else { return nil }
        for index in 0..<(buffer.count - 1) where buffer[index] == 13 && buffer[index + 1] == 10 {
            return index
        }
        return nil
    }

    /// Reads what is there (waiting up to the I/O timeout) and appends it.
    private func read(_ fd: Int32, into buffer: inout [UInt8]) -> ReadOutcome {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        for _ in 0..<1000 {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return .data
            }
            if count == 0 { return .closed }
            if errno == EINTR { continue }
            return errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .closed
        }
        return .closed
    }

    /// Holds the connection without answering until the client closes it, the server stops,
    /// or `hangLimit` passes; whatever the client sends meanwhile is discarded.
    private func hang(_ fd: Int32) {
        let deadline = Date().addingTimeInterval(limits.hangLimit)
        var scratch = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline && !isStopping {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 100)
            if ready < 0 && errno != EINTR { return }
            guard ready > 0 else { continue }
            if pfd.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { return }
            let count = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) { return }
        }
    }

    /// Sleeps in steps of at most 50 ms; false when the server began to stop meanwhile.
    private func sleep(milliseconds: Int) -> Bool {
        let deadline = Date().addingTimeInterval(Double(milliseconds) / 1000)
        while Date() < deadline {
            if isStopping { return false }
            Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
        }
        return !isStopping
    }

    /// Answers an HTTP-level refusal, logs it (`METHOD PATH STATUS CODE`, or `- -` when the head
    /// could not be read), and leaves the connection to be closed.
    private func respondAndClose(_ fd: Int32, _ label: String, _ status: Int, _ code: String, _ message: String) {
        log("\(label) \(status) \(code)")
        _ = Self.writeAll(
            fd, HTTPResponse.json(status, ReceiverAnswer.errorBody(code, message)).serialized(close: true))
    }

    /// Writes every byte; false when the peer is gone or the write timed out.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        var attempts = 0
        while offset < bytes.count && attempts < 100_000 {
            attempts += 1
            let written = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return offset == bytes.count
    }

    /// The index of `\r\n\r\n` in `buffer` at or after `start`, if any.
    static func blankLine(in buffer: [UInt8], from start: Int = 0) -> Int? {
        guard buffer.count >= 4, start <= buffer.count - 4 else { return nil }
        for index in start...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }

    static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
