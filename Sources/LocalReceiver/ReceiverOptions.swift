public import Foundation

/// How the receiver authenticates `async-bulk` requests.
public enum ReceiverAuth: Sendable {
    /// AK/SK: requests signed with SDK-HMAC-SHA256 by this access key pair.
    case accessKey(ak: String, sk: String)
    /// A fixed token: requests whose `X-Auth-Token` is this value.
    case token(String)
}

extension ReceiverAuth: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `accessKey(ak: AK, sk: <redacted>)` or `token(<redacted>)`: never a secret.
    public var description: String {
        switch self {
        case .accessKey(let ak, _): "accessKey(ak: \(ak), sk: <redacted>)"
        case .token: "token(<redacted>)"
        }
    }

    /// The same redacted text as `description`.
    public var debugDescription: String { description }

    /// A mirror without the secret, so `dump` prints none either.
    public var customMirror: Mirror {
        switch self {
        case .accessKey(let ak, _):
            let children: [(label: String?, value: Any)] = [("ak", ak), ("sk", "<redacted>")]
            return Mirror(self, children: children, displayStyle: .enum)
        case .token:
            let children: [(label: String?, value: Any)] = [("token", "<redacted>")]
            return Mirror(self, children: children, displayStyle: .enum)
        }
    }
}

/// The IAM password login the receiver can emulate at `POST /v3/auth/tokens`.
public struct IAMEmulation: Sendable {
    /// The IAM user name the login must give.
    public var user: String
    /// The user's password (never logged or printed).
    public var password: String
    /// The account (domain) name the login must give.
    public var domain: String
    /// The project name a login may scope to instead of the project ID.
    public var projectName: String
    /// How long an issued token stays valid.
    public var tokenLifetime: TimeInterval

    /// An emulated IAM user; tokens live 24 hours unless told otherwise, as IAM's do.
    public init(
        user: String, password: String, domain: String, projectName: String = "cn-north-4",
        tokenLifetime: TimeInterval = 24 * 3600
    ) {
        self.user = user
        self.password = password
        self.domain = domain
        self.projectName = projectName
        self.tokenLifetime = tokenLifetime
    }
}

extension IAMEmulation: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The user and domain, the password redacted.
    public var description: String {
        "IAMEmulation(user: \(user), password: <redacted>, domain: \(domain), projectName: \(projectName))"
    }

    /// The same redacted text as `description`.
    public var debugDescription: String { description }

    /// A mirror without the password, so `dump` prints none either.
    public var customMirror: Mirror {
        let children: [(label: String?, value: Any)] = [
            ("user", user), ("password", "<redacted>"), ("domain", domain), ("projectName", projectName),
            ("tokenLifetime", tokenLifetime),
        ]
        return Mirror(self, children: children, displayStyle: .struct)
    }
}

/// Everything a `Receiver` is started with.
public struct ReceiverOptions: Sendable {
    /// The address to listen on: a loopback address only (`127.0.0.1`, any `127.x.y.z`, `::1`
    /// or `[::1]`, or `localhost` in any case for `127.0.0.1`).
    public var host: String
    /// The port; 0 picks a free one (`Receiver.start()` returns it).
    public var port: Int
    /// The project ID the API path must carry: `/v1/{project_id}/metadata/async-bulk`.
    public var projectID: String
    /// How requests authenticate; nil when only IAM-issued tokens are accepted.
    public var auth: ReceiverAuth?
    /// The IAM password login to emulate, if any; its tokens are accepted as `X-Auth-Token`.
    public var iam: IAMEmulation?
    /// An NDJSON file to which every body answered 200 is appended, one line each.
    public var recordPath: String?
    /// A folder where the catalogs and the last applied body's hash are kept across restarts:
    /// each applied body appended to a journal, compacted into the state file now and then.
    public var stateDirectory: String?
    /// The journal of `stateDirectory` is compacted while the receiver runs only once it is
    /// larger than the state file and than this many bytes (default 4 MiB); always on stop.
    public var journalCompactionFloor: Int64 = 4 * 1024 * 1024
    /// Faults to inject (see `Fault`).
    public var faults: [Fault]
    /// The largest body accepted (413 above it).
    public var maxBodyBytes: Int
    /// How long a connection may wait for the client (idle between requests, a stalled body or
    /// an answer not taken) before it is closed.
    public var ioTimeout: TimeInterval
    /// At most this many connections at once; when all are taken, the longest-idle one is
    /// closed for a new client (503 only when every one is busy with a request).
    public var maxConnections: Int
    /// How far `X-Sdk-Date` may be from the receiver's clock (the API allows 15 minutes).
    public var allowedClockSkew: TimeInterval
    /// How long a `hang` fault holds a connection at most.
    public var hangLimit: TimeInterval
    /// Where the one line per request goes (standard error by default); never given a secret.
    public var log: @Sendable (String) -> Void

    /// Options for a receiver of `projectID`; the rest defaults to 127.0.0.1, any free port, no
    /// record, no state, no faults, 16 MiB bodies, 30 s I/O timeout, 32 connections, 15 minutes
    /// of clock skew, log lines to standard error.
    public init(
        host: String = "127.0.0.1", port: Int = 0, projectID: String, auth: ReceiverAuth?,
        iam: IAMEmulation? = nil, recordPath: String? = nil, stateDirectory: String? = nil, faults: [Fault] = [],
        maxBodyBytes: Int = 16 * 1024 * 1024, ioTimeout: TimeInterval = 30, maxConnections: Int = 32,
        allowedClockSkew: TimeInterval = 15 * 60, hangLimit: TimeInterval = 120,
        log: @escaping @Sendable (String) -> Void = ReceiverOptions.standardErrorLog
    ) {
        self.host = host
        self.port = port
        self.projectID = projectID
        self.auth = auth
        self.iam = iam
        self.recordPath = recordPath
        self.stateDirectory = stateDirectory
        self.faults = faults
        self.maxBodyBytes = maxBodyBytes
        self.ioTimeout = ioTimeout
        self.maxConnections = maxConnections
        self.allowedClockSkew = allowedClockSkew
        self.hangLimit = hangLimit
        self.log = log
    }

    /// Writes a line to standard error.
    public static let standardErrorLog: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// A fault injected into the Nth `async-bulk` POST (counting from 1 since the receiver
/// started), each once; or a delay of every `async-bulk` answer.
///
/// Spec syntax (`Fault.parse`): `500@2`, `503@1`, `429@3` (with `Retry-After: 1`),
/// `429:2@3` (`Retry-After: 2`; also on 503), `hang@2`, `drop@2`, `reset@2`,
/// `recorded-500@2`, `delay:250`. Any status from 400 to 599 works as `STATUS@N`.
public enum Fault: Sendable, Hashable {
    /// Answer `status` (with `Retry-After` when given) without looking at the request: nothing applied.
    case status(Int, retryAfter: Int?, request: Int)
    /// Read the request and never answer, until the client goes away or the receiver stops
    /// (at most `ReceiverOptions.hangLimit`): nothing applied.
    case hang(request: Int)
    /// Close the connection without answering: nothing applied.
    case drop(request: Int)
    /// Process the request (applied and recorded when valid), write part of the status line,
    /// then reset the connection (SO_LINGER 0).
    case reset(request: Int)
    /// Process the request (applied and recorded when valid), then answer 500.
    case recorded500(request: Int)
    /// Every `async-bulk` answer waits this long, after the request was processed.
    case delay(milliseconds: Int)

    /// The request number the fault hits; nil for `delay`.
    public var request: Int? {
        switch self {
        case .status(_, _, let request), .hang(let request), .drop(let request), .reset(let request),
            .recorded500(let request):
            request
        case .delay: nil
        }
    }

    /// A spec that cannot be read, with what is wrong and the accepted forms.
    public struct SpecError: Error, CustomStringConvertible, Sendable {
        /// What is wrong, with the accepted forms.
        public var description: String
    }

    /// The accepted forms, for error messages and help.
    public static let syntax =
        "STATUS@N (400…599, e.g. 500@2), 429:SECONDS@N or 503:SECONDS@N (Retry-After), hang@N, drop@N, reset@N, "
        + "recorded-500@N, delay:MILLISECONDS"

    /// Reads a fault spec (see the type's documentation).
    public static func parse(_ spec: String) throws(SpecError) -> Fault {
        func fail(_ why: String) -> SpecError {
            SpecError(description: "fault \"\(spec)\": \(why); the forms are \(syntax)")
        }
        func number(_ text: Substring, _ what: String, min: Int) throws(SpecError) -> Int {
            guard let value = Int(text), value >= min, text.allSatisfy(\.isASCII) else {
                throw fail("\(what) must be a whole number of at least \(min), not \"\(text)\"")
            }
            return value
        }
        let text = spec.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("delay:") {
            return .delay(milliseconds: try number(text.dropFirst("delay:".count), "the delay", min: 0))
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw fail("expected KIND@REQUEST")
        }
        let request = try number(parts[1], "the request number", min: 1)
        switch parts[0] {
        case "hang": return .hang(request: request)
        case "drop": return .drop(request: request)
        case "reset": return .reset(request: request)
        case "recorded-500": return .recorded500(request: request)
        default: break
        }
        let statusParts = parts[0].split(separator: ":", omittingEmptySubsequences: false)
        guard statusParts.count <= 2, let status = Int(statusParts[0]), (400...599).contains(status) else {
            throw fail("\"\(parts[0])\" is not a status from 400 to 599 nor hang, drop, reset or recorded-500")
        }
        var retryAfter: Int? = status == 429 ? 1 : nil
        if statusParts.count == 2 {
            guard status == 429 || status == 503 else { throw fail("Retry-After is only for 429 and 503") }
            retryAfter = try number(statusParts[1], "Retry-After", min: 0)
        }
        return .status(status, retryAfter: retryAfter, request: request)
    }
}
