public import Foundation

/// One HTTP request: a method, an absolute URL, headers and a body.
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The absolute `http://` or `https://` URL.
    public var url: String
    /// The headers, in order (names as given).
    public var headers: [(name: String, value: String)]
    /// The body; empty for none.
    public var body: Data

    /// A request; `headers` in the order they are sent.
    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The answer to a request: status, headers of the final response, body.
public struct HTTPResponse: Sendable {
    /// The status code (`200`, `429`, …).
    public var status: Int
    /// The headers of the final response (not of a `100 Continue`), names as the server sent them.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: Data

    /// A response.
    public init(status: Int, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header with this name, compared without case.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}

/// How a client connects: timeouts, certificate verification, proxy.
public struct HTTPClientOptions: Sendable {
    /// Seconds to wait for a connection (TCP and TLS handshake).
    public var connectTimeout: Double
    /// Seconds a whole request may take, from connecting to the last byte of the answer.
    public var requestTimeout: Double
    /// A PEM bundle of certificate authorities to verify servers with, instead of the system's.
    public var caFile: String?
    /// Skip certificate verification, and allow plain `http://` to any host. For tests and
    /// broken networks only: the caller logs a warning.
    public var insecure: Bool
    /// A proxy URL; nil lets libcurl read `https_proxy`, `http_proxy`, `all_proxy` and
    /// `no_proxy` from the environment, as curl does.
    public var proxy: String?
    /// The `User-Agent` header, unless a request sets its own.
    public var userAgent: String
    /// The largest answer body kept, in bytes; a larger one fails the request.
    public var maxResponseBytes: Int

    /// Options with certificate verification on.
    public init(
        connectTimeout: Double = 10, requestTimeout: Double = 60, caFile: String? = nil, insecure: Bool = false,
        proxy: String? = nil, userAgent: String = "schemasync", maxResponseBytes: Int = 16 << 20
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.caFile = caFile
        self.insecure = insecure
        self.proxy = proxy
        self.userAgent = userAgent
        self.maxResponseBytes = maxResponseBytes
    }
}

/// A request that got no HTTP answer: what went wrong, and whether trying again may help.
public struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public enum Kind: String, Sendable {
        /// The URL is malformed or its scheme is not http or https.
        case invalidURL
        /// Plain `http://` to a host that is not loopback, without `insecure`.
        case plainHTTPRefused
        /// The host name did not resolve (or the proxy's).
        case resolve
        /// No connection could be made.
        case connect
        /// The connect or request timeout passed.
        case timeout
        /// The connection broke while sending or receiving (reset, closed, a cut answer).
        case connectionLost
        /// The server's certificate failed verification, or TLS could not be set up.
        case tls
        /// The answer was too large.
        case responseTooLarge
        /// Anything else libcurl reports.
        case other
    }

    /// The kind of failure.
    public var kind: Kind
    /// The URL's scheme, host and port (never a path, query or user info).
    public var origin: String
    /// What failed, in words (libcurl's explanation where there is one).
    public var message: String

    /// A failure of `kind` talking to `origin`.
    public init(kind: Kind, origin: String, message: String) {
        self.kind = kind
        self.origin = origin
        self.message = message
    }

    /// Whether the same request may succeed later (network trouble, timeouts), as opposed to a
    /// mistake that repeats (a bad URL, a certificate that does not verify).
    public var isTransient: Bool {
        switch kind {
        case .resolve, .connect, .timeout, .connectionLost, .other: return true
        case .invalidURL, .plainHTTPRefused, .tls, .responseTooLarge: return false
        }
    }

    /// `origin: message`.
    public var description: String { "\(origin): \(message)" }
}
