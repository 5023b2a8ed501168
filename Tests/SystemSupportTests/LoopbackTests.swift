import SystemSupport
import Testing

/// The one loopback check: the client and the receiver agree on every spelling.
@Suite struct LoopbackTests {
    @Test(arguments: [
        "localhost", "LOCALHOST", "LocalHost", "localhost.", "127.0.0.1", "127.1.2.3", "127.255.255.255", "::1",
        "[::1]", "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]", "::ffff:127.0.0.1", "[::FFFF:127.0.0.2]",
    ])
    func loopback(host: String) {
        #expect(Loopback.isLoopback(host), "\(host)")
    }

    @Test(arguments: [
        "", "example.com", "localhost.example.com", "mylocalhost", "128.0.0.1", "10.0.0.1", "127.0.0.256", "127.0.0",
        "127.0.0.1.", "1.127.0.0", "::2", "::", "[::1", "::ffff:10.0.0.1", "0.0.0.0", "127.0.0.1:80", "[127.0.0.1]",
    ])
    func notLoopback(host: String) {
        #expect(!Loopback.isLoopback(host), "\(host)")
    }
}
