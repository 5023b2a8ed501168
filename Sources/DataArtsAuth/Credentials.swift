/// A Huawei Cloud access key pair, permanent or temporary (with a security token).
///
/// Its `description`, `debugDescription` and mirror show a prefix of the access key only: the
/// secret key and the security token never reach a log line, `print` or `dump`.
public struct Credentials: Sendable {
    /// The access key ID (AK): sent in the clear in the `Authorization` header.
    public let ak: String
    /// The secret access key (SK): the HMAC key; never sent, never printed.
    public let sk: String
    /// The security token of temporary credentials: sent as `X-Security-Token`, never printed.
    public let securityToken: String?

    /// Credentials from an access key pair and, for temporary credentials, a security token.
    public init(ak: String, sk: String, securityToken: String? = nil) {
        self.ak = ak
        self.sk = sk
        self.securityToken = securityToken
    }

    /// Whether these are temporary credentials, whose requests carry `X-Security-Token`.
    public var isTemporary: Bool { securityToken != nil }

    /// The first characters of the access key, enough to tell keys apart in logs.
    var akHint: String {
        let prefixLength = 4
        return ak.count > prefixLength ? "\(ak.prefix(prefixLength))…" : ak
    }
}

extension Credentials: CustomStringConvertible {
    /// `Credentials(ak: HPUA…, sk: <redacted>)`, with `securityToken: <redacted>` when temporary.
    public var description: String {
        var text = "Credentials(ak: \(akHint), sk: <redacted>"
        if securityToken != nil {
            text += ", securityToken: <redacted>"
        }
        return text + ")"
    }
}

extension Credentials: CustomDebugStringConvertible {
    /// The same redacted text as `description`.
    public var debugDescription: String { description }
}

extension Credentials: CustomReflectable {
    /// A mirror whose children are redacted too, so `dump` prints no secret either.
    public var customMirror: Mirror {
        var children: [(label: String?, value: Any)] = [("ak", akHint), ("sk", "<redacted>")]
        if securityToken != nil {
            children.append(("securityToken", "<redacted>"))
        }
        return Mirror(self, children: children, displayStyle: .struct)
    }
}
