#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one test of "this host is the machine itself", for the client (plain http only to
/// loopback, never through a proxy) and the local receiver (binds only to loopback).
package enum Loopback {
    /// Whether `host` is `localhost` (any case, a trailing dot allowed), an IPv4 address in
    /// 127.0.0.0/8 (dotted decimal), or the IPv6 loopback `::1` in any spelling, bracketed or
    /// not (also IPv4-mapped, `::ffff:127.0.0.1`). Names are not resolved.
    package static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        let bracketed = name.hasPrefix("[") && name.hasSuffix("]")
        if bracketed { name = String(name.dropFirst().dropLast()) }
        if !bracketed && (name == "localhost" || name == "localhost.") { return true }
        var v4 = in_addr()
        if !bracketed && inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        return mapped && bytes[12] == 127
    }
}
