import Foundation
import HTTPClient
import SchemaTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Certificate verification against a real TLS server on loopback (`openssl s_server` with a
/// certificate made for the test).
@Suite(.serialized) struct TLSTests {
    @Test func verifiesCertificatesUnlessToldWhichCAOrInsecure() async throws {
        let server = try TLSServer()
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)/"

        let strict = HTTPClient(options: HTTPClientOptions(connectTimeout: 3, requestTimeout: 5))
        let error = await #expect(throws: HTTPClientError.self) {
            try await strict.send(HTTPRequest(method: "GET", url: url))
        }
        #expect(error?.kind == .tls)
        #expect(error?.isTransient == false)

        let pinned = HTTPClient(
            options: HTTPClientOptions(connectTimeout: 3, requestTimeout: 5, caFile: server.certificate))
        #expect(try await pinned.send(HTTPRequest(method: "GET", url: url)).status == 200)

        let insecure = HTTPClient(options: HTTPClientOptions(connectTimeout: 3, requestTimeout: 5, insecure: true))
        #expect(try await insecure.send(HTTPRequest(method: "GET", url: url)).status == 200)

        let missing = HTTPClient(
            options: HTTPClientOptions(connectTimeout: 3, requestTimeout: 5, caFile: server.folder + "/missing.pem"))
        let missingError = await #expect(throws: HTTPClientError.self) {
            try await missing.send(HTTPRequest(method: "GET", url: url))
        }
        #expect(missingError?.kind == .tls)
    }
}

/// `openssl s_server -www` on a free loopback port with a fresh self-signed certificate for
/// 127.0.0.1.
final class TLSServer {
    let folder: String
    let port: Int
    let process = Process()
    var certificate: String { folder + "/cert.pem" }

    init() throws {
        folder = NSTemporaryDirectory() + "schemasync-tls-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.openssl(
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem",
            ])
        port = try unusedPort()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "s_server", "-accept", "127.0.0.1:\(port)", "-cert", folder + "/cert.pem", "-key", folder + "/key.pem",
            "-www", "-quiet",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when it accepts connections: at most 10 s.
        for _ in 0..<100 {
            if Self.accepts(port) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw POSIXError(.ETIMEDOUT)
    }

    func stop() {
        // SIGKILL: a child of the test process may inherit a mask that blocks SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw POSIXError(.EIO) }
    }

    private static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
