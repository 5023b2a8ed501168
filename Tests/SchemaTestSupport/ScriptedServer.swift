public import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback HTTP/1.1 server for the client's tests: each request is answered by a script
/// (an answer, a closed connection, or silence), and what arrived is kept.
public final class ScriptedServer: @unchecked Sendable {
    /// How to answer one request.
    public enum Action {
        /// Raw bytes to write (a whole HTTP response, or a part of one), then keep the
        /// connection open for the next request or close it.
        case answer(String, close: Bool = false)
        /// Close the connection without answering.
        case close
        /// Say nothing until the client goes away (at most `seconds`).
        case silence(seconds: Double)
    }

    /// One request as it arrived.
    public struct Received: Sendable {
        /// The request line and headers, CRLF-separated.
        public var head: String
        /// The body (by Content-Length).
        public var body: Data
        /// Which connection (from 1) it came on.
        public var connection: Int

        /// The first header with this name, compared without case.
        public func header(_ name: String) -> String? {
            let prefix = name.lowercased() + ":"
            return head.split(separator: "\r\n").first { $0.lowercased().hasPrefix(prefix) }
                .map { String($0.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) }
        }
    }

    /// The port it listens on.
    public let port: Int
    private let listener: Int32
    private let script: @Sendable (Int) -> Action
    private let lock = NSLock()
    private var received: [Received] = []
    private var connections = 0
    private var idleTimeouts = 0
    private var stopped = false

    /// Starts listening on 127.0.0.1; `script` gets the 0-based number of each request.
    public init(script: @escaping @Sendable (Int) -> Action) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        listener = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// What arrived, in order.
    public var requests: [Received] { lock.withLock { received } }
    /// Connections accepted.
    public var connectionCount: Int { lock.withLock { connections } }
    /// Connections this server closed after a minute without a request (its receive
    /// timeout): the client must then connect again, so a test of reuse allows for them.
    public var idleTimeoutCount: Int { lock.withLock { idleTimeouts } }

    /// Stops listening. The accept loop closes the socket when it sees this, so the number
    /// is never reused by another test's socket while the loop could still accept on it.
    public func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 && errno == EINTR && !lock.withLock({ stopped }) { continue }
            guard client >= 0, !lock.withLock({ stopped }) else {
                if client >= 0 { close(client) }
                close(listener)
                return
            }
            let number = lock.withLock { () -> Int in
                connections += 1
                return connections
            }
            // Idle connections are kept a minute: a test's tasks may wait long on a busy machine.
            var timeout = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            Thread.detachNewThread { [self] in serve(client, connection: number) }
        }
    }

    private func serve(_ client: Int32, connection: Int) {
        defer { close(client) }
        var buffer = Data()
        for _ in 0..<1000 {
            guard let (head, body) = readRequest(client, buffer: &buffer) else { return }
            let index = lock.withLock { () -> Int in
                received.append(Received(head: head, body: body, connection: connection))
                return received.count - 1
            }
            switch script(index) {
            case .answer(let text, let close):
                let bytes = Array(text.utf8)
                _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if close { return }
            case .close:
                return
            case .silence(let seconds):
                var byte: UInt8 = 0
                let deadline = Date().addingTimeInterval(seconds)
                while Date() < deadline && !lock.withLock({ stopped }) {
                    if recv(client, &byte, 1, 0) == 0 { return }
                }
                return
            }
        }
    }

    /// Reads one request (head and Content-Length body); nil when the client closes.
    private func readRequest(_ client: Int32, buffer: inout Data) -> (String, Data)? {
        let separator = Data("\r\n\r\n".utf8)
        var chunk = [UInt8](repeating: 0, count: 65536)
        for _ in 0..<100_000 {
            if let end = buffer.range(of: separator) {
                let head = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
                let length =
                    head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if buffer.count - (end.upperBound - buffer.startIndex) >= length {
                    let body = Data(buffer[end.upperBound..<end.upperBound + length])
                    buffer = Data(buffer[(end.upperBound + length)...])
                    return (head, body)
                }
            }
            let count = recv(client, &chunk, chunk.count, 0)
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                lock.withLock { idleTimeouts += 1 }
            }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
        return nil
    }
}

/// A whole HTTP/1.1 response with a body.
public func httpResponse(_ status: Int, _ body: String = "", headers: [String] = []) -> String {
    let reason = status == 200 ? "OK" : "Status"
    var lines = ["HTTP/1.1 \(status) \(reason)", "Content-Length: \(body.utf8.count)"] + headers
    lines.append("")
    return lines.joined(separator: "\r\n") + "\r\n" + body
}

/// A loopback port nothing listens on (bound, then released).
public func unusedPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard ok else { throw POSIXError(.EADDRNOTAVAIL) }
    return Int(UInt16(bigEndian: address.sin_port))
}
