import Crypto
public import Foundation

/// Why a request could not be signed.
public enum SigningError: Error, Sendable, Equatable {
    /// The credentials' access key is empty.
    case missingAccessKey
    /// The credentials' secret key is empty.
    case missingSecretKey
    /// An `X-Sdk-Date` (given, or already among the request's headers) is not `YYYYMMDDTHHMMSSZ`.
    case invalidSDKDate(String)
}

/// The outcome of signing: the headers to send and every intermediate value, for tests and debugging.
public struct SignedHeaders: Sendable {
    /// The headers the signer set, in the SDK's order: `X-Project-Id`, `X-Security-Token`,
    /// `X-Sdk-Content-Sha256`, `X-Sdk-Date`, `Host`, `Authorization` (each only when it applies).
    public let added: [HeaderField]
    /// Every header to send: the request's own, values trimmed as signed, then `added`.
    public let all: [HeaderField]
    /// The lower-cased names of the signed headers, sorted: `content-type;host;...` once joined.
    public let signedHeaderNames: [String]
    /// The canonical request whose SHA-256 the string to sign carries.
    public let canonicalRequest: String
    /// `SDK-HMAC-SHA256`, the `X-Sdk-Date` and the hex SHA-256 of the canonical request, one per line.
    public let stringToSign: String
    /// The last line of the canonical request: hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`.
    public let payloadHash: String
    /// The hex HMAC-SHA256 of the string to sign, keyed with the secret key.
    public let signature: String

    /// The `Authorization` header value.
    public var authorization: String {
        added.last { Canonical.same($0.name, "Authorization") }?.value ?? ""
    }

    /// The value of the header `name` in `all`, the name compared case-insensitively.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return all.first { $0.name.lowercased() == lowered }?.value
    }
}

/// Huawei Cloud's AK/SK request signing, SDK-HMAC-SHA256, as the official SDKs do it
/// (huaweicloudsdkcore's `Signer` with `BasicCredentials.sign_request`).
public enum Signer {
    /// The algorithm name that opens the string to sign and the `Authorization` header.
    public static let algorithm = "SDK-HMAC-SHA256"

    /// The hex SHA-256 of no bytes: the payload hash of a request without a body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The payload marker of a body the signature does not cover.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Signs `request` at `date` (the current time by default): see `sign(_:credentials:sdkDate:projectID:)`.
    public static func sign(
        _ request: SigningRequest, credentials: Credentials, date: Date = Date(), projectID: String? = nil
    ) throws(SigningError) -> SignedHeaders {
        try sign(request, credentials: credentials, sdkDate: sdkDate(date), projectID: projectID)
    }

    /// Signs `request` with `credentials` and returns the headers to send.
    ///
    /// As the SDK does: sets `X-Project-Id` when `projectID` is not empty and `X-Security-Token` for
    /// temporary credentials; marks the payload unsigned when `Content-Type` is neither JSON nor BSON;
    /// adds `X-Sdk-Date` (`sdkDate`) unless the request has one, which then wins; adds `Host` unless
    /// the request has one; signs every header whose name has no `_`; adds `Authorization`.
    public static func sign(
        _ request: SigningRequest, credentials: Credentials, sdkDate: String, projectID: String? = nil
    ) throws(SigningError) -> SignedHeaders {
        var headers = HeaderList(request.headers)

        // Credentials.sign_request: project and token headers come first.
        if let projectID, !projectID.isEmpty {
            headers.set("X-Project-Id", projectID)
        }
        if let token = credentials.securityToken {
            headers.set("X-Security-Token", token)
        }
        guard !credentials.ak.isEmpty else { throw .missingAccessKey }
        guard !credentials.sk.isEmpty else { throw .missingSecretKey }

        // Only the exact name `Content-Type` counts here, and its value untrimmed.
        if let contentType = headers.exact("Content-Type"), !contentType.isEmpty,
            !Canonical.starts(contentType, with: "application/json"),
            !Canonical.starts(contentType, with: "application/bson")
        {
            headers.set("X-Sdk-Content-Sha256", unsignedPayload)
        }

        let date: String
        if let existing = headers.ignoringCase("X-Sdk-Date") {
            date = existing
        } else {
            date = sdkDate
            headers.set("X-Sdk-Date", sdkDate)
        }
        guard isValidSDKDate(date) else { throw .invalidSDKDate(date) }

        if headers.ignoringCase("Host") == nil {
            headers.set("Host", request.host)
        }

        let signedNames = signedHeaderNames(headers.fields)
        // Canonical header values: trimmed, the last field of a lower-cased name winning.
        var canonicalValues: [(name: String, value: String)] = []
        for index in headers.fields.indices {
            let name = Canonical.lower(headers.fields[index].name)
            let value = Canonical.strip(headers.fields[index].value)
            if let slot = canonicalValues.firstIndex(where: { Canonical.same($0.name, name) }) {
                canonicalValues[slot].value = value
            } else {
                canonicalValues.append((name, value))
            }
            headers.fields[index].value = value
        }
        let canonicalHeaders = signedNames.map { name in
            let value = canonicalValues.first { Canonical.same($0.name, name) }?.value ?? ""
            return "\(name):\(value)\n"
        }

        let payload = payloadHash(request.body, marker: headers.ignoringCase("X-Sdk-Content-Sha256"))
        let canonicalRequest = [
            request.method.uppercased(),
            canonicalURI(request.path),
            canonicalQueryString(request.query),
            canonicalHeaders.joined(),
            signedNames.joined(separator: ";"),
            payload,
        ].joined(separator: "\n")
        let toSign = stringToSign(canonicalRequest: canonicalRequest, sdkDate: date)
        let signature = hmacHex(key: credentials.sk, message: toSign)
        let authorization =
            "\(algorithm) Access=\(credentials.ak), SignedHeaders=\(signedNames.joined(separator: ";")), "
            + "Signature=\(signature)"
        headers.set("Authorization", authorization)

        return SignedHeaders(
            added: headers.added, all: headers.fields, signedHeaderNames: signedNames,
            canonicalRequest: canonicalRequest, stringToSign: toSign, payloadHash: payload, signature: signature)
    }

    /// The canonical request of `request`: the same text `sign` signs.
    public static func canonicalRequest(
        for request: SigningRequest, credentials: Credentials, sdkDate: String, projectID: String? = nil
    ) throws(SigningError) -> String {
        try sign(request, credentials: credentials, sdkDate: sdkDate, projectID: projectID).canonicalRequest
    }

    /// The string to sign: the algorithm, the date and the hex SHA-256 of the canonical request's UTF-8.
    public static func stringToSign(canonicalRequest: String, sdkDate: String) -> String {
        "\(algorithm)\n\(sdkDate)\n\(sha256Hex(Data(canonicalRequest.utf8)))"
    }

    /// The names of the headers that are signed: every name without `_`, lower-cased, sorted by code point.
    ///
    /// Like the SDK, two names equal but for case both count, so the name appears twice.
    public static func signedHeaderNames(_ headers: [HeaderField]) -> [String] {
        headers.filter { !$0.name.utf8.contains(UInt8(ascii: "_")) }.map { Canonical.lower($0.name) }.sorted(
            by: Canonical.precedes)
    }

    /// The canonical URI: `path` percent-decoded, split on `/`, each segment percent-encoded keeping
    /// only `A-Z a-z 0-9 - _ . ~`, joined with `/`, with a trailing `/` added when missing.
    public static func canonicalURI(_ path: String) -> String {
        // Split the UTF-8, not the Characters: a `/` followed by a combining mark is still a separator.
        let segments = Canonical.percentDecode(path).utf8.split(
            separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let uri = segments.map { Canonical.percentEncode($0) }.joined(separator: "/")
        return uri.hasSuffix("/") ? uri : uri + "/"
    }

    /// The canonical query string: items sorted by name then value (code points, not encoded),
    /// each `name=value` percent-encoded like a path segment, joined with `&`.
    public static func canonicalQueryString(_ items: [QueryItem]) -> String {
        let sorted = items.sorted { a, b in
            Canonical.same(a.name, b.name) ? Canonical.precedes(a.value, b.value) : Canonical.precedes(a.name, b.name)
        }
        return sorted.map { "\(Canonical.percentEncode($0.name))=\(Canonical.percentEncode($0.value))" }
            .joined(separator: "&")
    }

    /// The payload hash of `body`: the hex SHA-256 of its bytes, that of no bytes when nil or empty.
    public static func payloadHash(_ body: Data?) -> String {
        payloadHash(body, marker: nil)
    }

    /// `YYYYMMDDTHHMMSSZ` of `date` in UTC, fractions of a second dropped: the `X-Sdk-Date` format.
    public static func sdkDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func padded(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return padded(parts.year, 4) + padded(parts.month, 2) + padded(parts.day, 2) + "T" + padded(parts.hour, 2)
            + padded(parts.minute, 2) + padded(parts.second, 2) + "Z"
    }

    /// Whether `text` is `YYYYMMDDTHHMMSSZ` with a real calendar date and time (year 1 to 9999),
    /// the form in which the SDK's `strptime` round-trips unchanged.
    public static func isValidSDKDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard year >= 1, (1...12).contains(month) else { return false }
        return (1...monthDays[month - 1]).contains(day) && hour < 24 && minute < 60 && second < 60
    }

    /// The payload hash, where a non-empty `marker` (the `X-Sdk-Content-Sha256` value) replaces the
    /// body's hash; the SDK reads that marker back after storing it as Latin-1 text of its UTF-8.
    static func payloadHash(_ body: Data?, marker: String?) -> String {
        guard let body, !body.isEmpty else { return emptyPayloadHash }
        if let marker, !marker.isEmpty {
            return Canonical.latin1View(ofUTF8: marker)
        }
        return sha256Hex(body)
    }

    /// Lower-case hex of `bytes`.
    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The hex SHA-256 of `data`.
    static func sha256Hex(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// The hex HMAC-SHA256 of `message`'s UTF-8, keyed with `key`'s UTF-8.
    static func hmacHex(key: String, message: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return hex(code)
    }
}

/// The SDK's header dictionary: fields in insertion order, where setting an existing name (exactly,
/// code point for code point) replaces its value in place and any other name is appended.
struct HeaderList {
    /// The fields, in order.
    var fields: [HeaderField]
    /// The names of the fields the signer set, in the order it first set them.
    var addedNames: [String] = []

    init(_ fields: [HeaderField]) {
        self.fields = fields
    }

    /// Sets the field `name` to `value` (Python's `headers[name] = value`) and records it as added.
    mutating func set(_ name: String, _ value: String) {
        if let index = fields.firstIndex(where: { Canonical.same($0.name, name) }) {
            fields[index].value = value
        } else {
            fields.append(HeaderField(name, value))
        }
        if !addedNames.contains(where: { Canonical.same($0, name) }) {
            addedNames.append(name)
        }
    }

    /// The fields the signer set, with their current values.
    var added: [HeaderField] {
        addedNames.compactMap { name in fields.first { Canonical.same($0.name, name) } }
    }

    /// The value of the field named exactly `name` (Python's `headers.get(name)`).
    func exact(_ name: String) -> String? {
        fields.first { Canonical.same($0.name, name) }?.value
    }

    /// The value of the first field whose lower-cased name is `name`'s.
    func ignoringCase(_ name: String) -> String? {
        let lowered = Canonical.lower(name)
        return fields.first { Canonical.same(Canonical.lower($0.name), lowered) }?.value
    }
}
