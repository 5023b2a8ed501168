import Foundation
import SystemSupport

/// What the client accepts as a URL: `https://` anywhere, plain `http://` only to a loopback
/// address (the local receiver, tests) unless the options say `insecure`.
package enum Endpoint {
    /// `scheme://host[:port]` of an absolute URL, for messages (no user info, path or query).
    package static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme,
            let host = components.host
        else { return "<invalid URL>" }
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme.lowercased())://\(shownHost)" + (components.port.map { ":\($0)" } ?? "")
    }

    /// The URL's host (without brackets), or an empty string.
    package static func host(of url: String) -> String {
        URLComponents(string: url)?.host ?? ""
    }

    /// Throws unless `url` is an `https://` URL, or a plain `http://` one to loopback (or
    /// anywhere, when `insecure`).
    package static func check(_ url: String, insecure: Bool) throws(HTTPClientError) {
        let origin = origin(of: url)
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw HTTPClientError(
                kind: .invalidURL, origin: origin, message: "not an absolute http(s) URL: give https://host[:port]")
        }
        switch scheme {
        case "https": return
        case "http":
            if insecure || isLoopback(host) { return }
            throw HTTPClientError(
                kind: .plainHTTPRefused, origin: origin,
                message: "plain http is only sent to loopback addresses: use https://, "
                    + "or set insecure: true to send unencrypted (credentials and schemas would be readable)")
        default:
            throw HTTPClientError(
                kind: .invalidURL, origin: origin, message: "unsupported scheme \(scheme): use https:// or http://")
        }
    }

    /// Whether `host` is the machine itself: `SystemSupport.Loopback`, the one check the
    /// local receiver uses too.
    package static func isLoopback(_ host: String) -> Bool {
        Loopback.isLoopback(host)
    }
}
