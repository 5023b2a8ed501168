import DataArtsAuth
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A response as read off the wire by `TestClient`.
struct WireResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    var errorCode: String? { json["error_code"] as? String }
    var errorMessage: String { json["error_msg"] as? String ?? "" }
}

struct ClientError: Error, CustomStringConvertible {
    var description: String
}

/// What reading a response ended in when there was none.
enum ReadEnd: Equatable {
    case timedOut
    case closed
    case reset
}

/// A blocking HTTP/1.1 client on one loopback TCP connection, every read bounded by a timeout.
final class TestClient {
    let fd: Int32
    let port: Int
    private var buffer: [UInt8] = []
    /// The last read's end, when it got no complete response.
    private(set) var end: ReadEnd?

    init(port: Int, timeout: TimeInterval = 10) throws {
        self.port = port
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw ClientError(description: "connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
        setTimeout(timeout)
    }

    deinit { close(fd) }

    /// Sets the read and write timeout.
    func setTimeout(_ seconds: TimeInterval) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw ClientError(description: "send failed: errno \(errno)") }
            offset += written
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Reads more bytes; false (with `end` set) when the peer closed, reset, or the timeout passed.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        if count == 0 {
            end = .closed
        } else if errno == EAGAIN || errno == EWOULDBLOCK {
            end = .timedOut
        } else if errno == ECONNRESET {
            end = .reset
        } else {
            end = .closed
        }
        return false
    }

    /// Reads one response (skipping nothing: a `100 Continue` is returned as a response too);
    /// nil when none came (see `end`).
    func readResponse() -> WireResponse? {
        end = nil
        for _ in 0..<10_000 {
            if let response = takeResponse() { return response }
            if !fill() { return nil }
        }
        return nil
    }

    /// Whatever bytes arrived before the connection ended or the timeout passed.
    func readRest() -> [UInt8] {
        for _ in 0..<10_000 where fill() {}
        defer { buffer = [] }
        return buffer
    }

    private func takeResponse() -> WireResponse? {
        guard let headEnd = Self.find([13, 10, 13, 10], in: buffer) else { return nil }
        let head = String(decoding: buffer[0..<headEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        let status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
        let headers: [(name: String, value: String)] = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length =
            status == 100 ? 0 : Int(headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0") ?? 0
        guard buffer.count >= headEnd + 4 + length else { return nil }
        let body = Data(buffer[(headEnd + 4)..<(headEnd + 4 + length)])
        buffer.removeFirst(headEnd + 4 + length)
        return WireResponse(status: status, headers: headers, body: body)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where Array(haystack[index..<index + needle.count]) == needle {
            return index
        }
        return nil
    }

    /// Sends a request and reads its response.
    func exchange(_ request: [UInt8]) throws -> WireResponse {
        try send(request)
        guard let response = readResponse() else {
            throw ClientError(description: "no response: \(String(describing: end))")
        }
        return response
    }

    // MARK: - Requests

    static let project = "p-0f1e"
    static let ak = "HPUAEXAMPLEAK0001"
    static let sk = "s3cr3t-SK-value-never-logged-9f8e7d"

    /// A signed `POST /v1/{project}/metadata/async-bulk` as the SDK would send it.
    static func signedPost(
        _ body: Data, port: Int, ak: String = ak, sk: String = sk, project: String = project, date: Date = Date(),
        extraHeaders: [HeaderField] = [], connectionClose: Bool = false, expectContinue: Bool = false
    ) throws -> (head: [UInt8], body: [UInt8]) {
        let request = SigningRequest(
            method: "POST", scheme: "http", host: "127.0.0.1:\(port)", path: "/v1/\(project)/metadata/async-bulk",
            headers: [HeaderField("Content-Type", "application/json")] + extraHeaders, body: body)
        let signed = try Signer.sign(
            request, credentials: Credentials(ak: ak, sk: sk), sdkDate: Signer.sdkDate(date), projectID: project)
        var head = "POST /v1/\(project)/metadata/async-bulk HTTP/1.1\r\n"
        for field in signed.all { head += "\(field.name): \(field.value)\r\n" }
        head += "Content-Length: \(body.count)\r\n"
        if connectionClose { head += "Connection: close\r\n" }
        if expectContinue { head += "Expect: 100-continue\r\n" }
        head += "\r\n"
        return (Array(head.utf8), Array(body))
    }

    /// A `POST /v1/{project}/metadata/async-bulk` with `X-Auth-Token` (or none when nil).
    static func tokenPost(_ body: Data, token: String?, project: String = project, headers: [String] = []) -> [UInt8] {
        var head = "POST /v1/\(project)/metadata/async-bulk HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n"
        if let token { head += "X-Auth-Token: \(token)\r\n" }
        for line in headers { head += line + "\r\n" }
        return Array((head + "\r\n").utf8) + Array(body)
    }

    /// A `GET path`.
    static func get(_ path: String) -> [UInt8] {
        Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    }
}
