package import Foundation

/// One HTTP request: a method, an absolute URL, headers and a body.
package struct HTTPRequest: Sendable {
    /// `GET`, `POST`, …
    package var method: String
    /// The absolute `http://` or `https://` URL.
    package var url: String
    /// The headers, in order (names as given).
    package var headers: [(name: String, value: String)]
    /// The body; empty for none.
    package var body: Data

    /// A request; `headers` in the order they are sent.
    package init(method: String, url: String, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The answer to a request: status, headers of the final response, body.
package struct HTTPResponse: Sendable {
    /// The status code (`200`, `429`, …).
    package var status: Int
    /// The headers of the final response (not of a `100 Continue`), names as the server sent them.
    package var headers: [(name: String, value: String)]
    /// The body.
    package var body: Data

    /// A response.
    package init(status: Int, headers: [(name: String, value: String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header with this name, compared without case.
    package func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}

/// How a client connects: timeouts, certificate verification, proxy.
package struct HTTPClientOptions: Sendable {
    /// Seconds to wait for a connection (TCP and TLS handshake).
    package var connectTimeout: Double
    /// Seconds a whole request may take, from connecting to the last byte of the answer.
    package var requestTimeout: Double
    /// A PEM bundle of certificate authorities to verify servers with, instead of the system's.
    package var caFile: String?
    /// Skip certificate verification, and allow plain `http://` to any host. For tests and
    /// broken networks only: the caller logs a warning.
    package var insecure: Bool
    /// A proxy URL; nil lets libcurl read `https_proxy`, `http_proxy`, `all_proxy` and
    /// `no_proxy` from the environment, as curl does.
    package var proxy: String?
    /// The `User-Agent` header, unless a request sets its own.
    package var userAgent: String
    /// The largest answer body kept, in bytes; a larger one fails the request.
    package var maxResponseBytes: Int

    /// Options with certificate verification on.
    package init(
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
package struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    package enum Kind: String, Sendable {
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
    package var kind: Kind
    /// The URL's scheme, host and port (never a path, query or user info).
    package var origin: String
    /// What failed, in words (libcurl's explanation where there is one).
    package var message: String

    /// A failure of `kind` talking to `origin`.
    package init(kind: Kind, origin: String, message: String) {
        self.kind = kind
        self.origin = origin
        self.message = message
    }

    /// Whether the same request may succeed later (network trouble, timeouts), as opposed to a
    /// mistake that repeats (a bad URL, a certificate that does not verify).
    package var isTransient: Bool {
        switch kind {
        case .resolve, .connect, .timeout, .connectionLost, .other: return true
        case .invalidURL, .plainHTTPRefused, .tls, .responseTooLarge: return false
        }
    }

    /// `origin: message`.
    package var description: String { "\(origin): \(message)" }
}
