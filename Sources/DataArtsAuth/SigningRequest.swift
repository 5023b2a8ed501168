public import Foundation

/// One HTTP header field; a request keeps its fields in order, as the SDK's header dictionary does.
public struct HeaderField: Sendable, Hashable {
    /// The field name, as given (the signer lower-cases it only for signing).
    public var name: String
    /// The field value, as given (the signer trims it at both ends).
    public var value: String

    /// A header field `name: value`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One query parameter, not percent-encoded: the signer encodes it.
///
/// A parameter with several values is several items with the same name. The SDK's other value
/// types map to text as it signs them: a boolean is `"true"` or `"false"`, a number its decimal text.
public struct QueryItem: Sendable, Hashable {
    /// The parameter name, not percent-encoded.
    public var name: String
    /// The parameter value, not percent-encoded; empty for `name=`.
    public var value: String

    /// A query parameter `name=value`.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What the signer needs of an HTTP request: method, endpoint, resource path, query, headers, body.
public struct SigningRequest: Sendable {
    /// The HTTP method; the canonical request upper-cases it.
    public var method: String
    /// The URL scheme, `https` or `http`; it is not signed.
    public var scheme: String
    /// The URL's authority as written, port included when the URL has one (`127.0.0.1:8443`,
    /// even `example.com:443`): the value of the `Host` header the signer adds.
    public var host: String
    /// The resource path as sent, percent-encoded and starting with `/` (an empty path counts as `/`).
    public var path: String
    /// The query parameters, in any order: the signer sorts and encodes them.
    public var query: [QueryItem]
    /// The request's own headers (`Content-Type`, `User-Agent`, ...), without the ones the signer adds.
    public var headers: [HeaderField]
    /// The body bytes, or nil for none; an empty body signs like none.
    public var body: Data?

    /// A request from its parts.
    public init(
        method: String, scheme: String = "https", host: String, path: String, query: [QueryItem] = [],
        headers: [HeaderField] = [], body: Data? = nil
    ) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// A request for `url`, or nil when `url` has no scheme or host.
    ///
    /// The query string is split on `&` and the first `=` and percent-decoded (`+` stays `+`).
    public init?(method: String, url: URL, headers: [HeaderField] = [], body: Data? = nil) {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: true),
            let scheme = components.scheme, let host = components.percentEncodedHost, !host.isEmpty
        else { return nil }
        var authority = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        if let port = components.port {
            authority += ":\(port)"
        }
        var query: [QueryItem] = []
        for piece in (components.percentEncodedQuery ?? "").split(separator: "&") {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1]) : ""
            query.append(QueryItem(Canonical.percentDecode(String(parts[0])), Canonical.percentDecode(value)))
        }
        self.init(
            method: method, scheme: scheme, host: authority, path: components.percentEncodedPath, query: query,
            headers: headers, body: body)
    }

    /// The request target the SDK sends: the path, then `?` and the canonical query string if any.
    public var requestURI: String {
        let query = Signer.canonicalQueryString(query)
        return query.isEmpty ? path : "\(path)?\(query)"
    }

    /// The full URL the SDK requests: scheme, host and `requestURI`.
    public var url: URL? { URL(string: "\(scheme)://\(host)\(requestURI)") }
}
