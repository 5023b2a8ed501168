import Foundation
import Yams

/// A mistake in the config: which key, on which line, what is wrong. Never holds the value
/// of a secret.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    /// The file.
    public var path: String
    /// The key, as a path (`sources[1].url`).
    public var key: String
    /// The line in the file, where known.
    public var line: Int?
    /// What is wrong and what to do.
    public var message: String

    /// `file:line: key: message`.
    public var description: String {
        let place = line.map { "\(path):\($0)" } ?? path
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}

extension SyncConfig {
    /// Reads and checks a config file. `environment` fills `${VAR}` and `${VAR:-default}`.
    public static func load(path: String, environment: [String: String]) throws -> SyncConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, key: "", line: nil, message: "cannot read the file (does it exist?)")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, environment: environment)
    }

    /// Reads and checks config text (`path` names it in errors).
    public static func parse(_ text: String, path: String, environment: [String: String]) throws -> SyncConfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: NodeReader.protectingReferences(text))
        } catch {
            throw ConfigError(yaml: error, path: path, text: text)
        }
        guard let node else { throw ConfigError(path: path, key: "", line: nil, message: "the file is empty") }
        let reader = NodeReader(path: path, environment: environment)
        return try reader.config(node)
    }
}

/// Walks the YAML nodes, with the key path and line of each value for errors.
struct NodeReader {
    let path: String
    let environment: [String: String]

    func error(_ key: String, _ node: Node?, _ message: String) -> ConfigError {
        ConfigError(path: path, key: key, line: node?.mark?.line, message: message)
    }

    /// The members of a mapping, refusing keys it does not know (a typo would otherwise be ignored).
    func mapping(_ node: Node, _ key: String, allowed: Set<String>) throws -> [String: Node] {
        guard let mapping = node.mapping else { throw error(key, node, "expected a mapping (key: value lines)") }
        var members: [String: Node] = [:]
        for (name, value) in mapping {
            guard let name = name.string else { throw error(key, name, "a key must be a string") }
            let child = key.isEmpty ? name : "\(key).\(name)"
            guard allowed.contains(name) else {
                let expected = "expected one of: \(allowed.sorted().joined(separator: ", "))"
                guard Self.mayName(unknownKey: name, allowed: allowed) else {
                    throw error(
                        key, value,
                        "an unknown key (not shown: it may be part of a value, as a `,` inside an unquoted value "
                            + "of a { … } mapping starts a new key; quote such values); \(expected)")
                }
                throw error(child, value, "unknown key; \(expected)")
            }
            members[name] = value
        }
        return members
    }

    /// Every key the config has somewhere (the mappings' allowed keys).
    static let languageKeys: Set<String> = [
        "snapshots", "snapshots_schema", "sink", "sources", "kind", "endpoint", "region", "project_id", "auth", "batch",
        "ca_file",
        "insecure", "path", "timeouts", "retry", "max_events", "max_bytes", "connect", "request", "max_attempts",
        "max_seconds", "base_delay", "max_delay", "ak", "sk", "security_token", "token", "user", "password",
        "domain", "iam_endpoint", "name", "url", "databases", "include", "exclude", "engine", "engine_version",
        "instance_id", "max_drop_ratio", "max_requests_per_second",
    ]

    /// Whether an unknown key may be printed: a key of the config misplaced, or a longer
    /// near-miss of an allowed one (a typo). Anything else may be a piece of a value (a
    /// password split at a `,` in a flow mapping) and is never printed.
    static func mayName(unknownKey key: String, allowed: Set<String>) -> Bool {
        guard key.utf8.count <= 40,
            key.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F })
        else { return false }
        if languageKeys.contains(key) { return true }
        return key.utf8.count >= 6 && allowed.contains { editDistance($0, key) <= 2 }
    }

    /// Levenshtein distance of two ASCII keys.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    /// A string value with `${VAR}` and `${VAR:-default}` filled from the environment.
    func string(_ node: Node?, _ key: String) throws -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else { throw error(key, node, "expected a text value") }
        return try expand(scalar.string, key, node)
    }

    func required(_ node: Node?, _ key: String, parent: Node?) throws -> String {
        guard let node else { throw error(key, parent, "missing: this key is required") }
        guard let value = try string(node, key), !value.isEmpty else {
            throw error(key, node, "is empty")
        }
        return value
    }

    func int(_ node: Node?, _ key: String, default value: Int) throws -> Int {
        guard let text = try string(node, key) else { return value }
        guard let number = Int(text), number > 0 else {
            throw error(key, node, "expected a whole number above 0")
        }
        return number
    }

    func bool(_ node: Node?, _ key: String) throws -> Bool {
        guard let text = try string(node, key)?.lowercased() else { return false }
        switch text {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(key, node, "expected true or false")
        }
    }

    /// A list of strings; a single string is a list of one.
    func strings(_ node: Node?, _ key: String) throws -> [String] {
        guard let node else { return [] }
        if case .scalar = node { return [try string(node, key) ?? ""] }
        guard let sequence = node.sequence else { throw error(key, node, "expected a list or a text value") }
        return try sequence.enumerated().map { index, item in try string(item, "\(key)[\(index)]") ?? "" }
    }

    /// Private-use characters that stand for `${` and `}` while YAML is parsed: `{` and `}`
    /// are YAML syntax in flow mappings (`auth: { ak: ${AK} }`, as users write it), and a
    /// variable's value must never be parsed as YAML, so expansion happens after parsing.
    static let open: Unicode.Scalar = "\u{E000}"
    static let close: Unicode.Scalar = "\u{E001}"
    /// The private-use character that stands for a `$$` (a literal `$`) while YAML is parsed.
    static let dollar: Unicode.Scalar = "\u{E002}"

    /// The text with every `${…}` written with the private-use delimiters, and every `$$`
    /// with the literal-dollar mark, in one pass from left to right: `$${A}` is a `$$`, then
    /// `{A}` (a literal `${A}`), and `$$${A}` a `$` then the variable. Read by Unicode scalar,
    /// as YAML reads it: a `$`, `{` or `}` followed by a combining mark is still itself.
    static func protectingReferences(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalars[index] == "$", next == "$" {
                result.append(dollar)
                index += 2
            } else if scalars[index] == "$", next == "{",
                let end = scalars[(index + 2)...].firstIndex(where: { $0 == "}" || $0 == "\n" }), scalars[end] == "}"
            {
                result.append(open)
                result.append(contentsOf: scalars[(index + 2)..<end])
                result.append(close)
                index = end + 1
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }

    /// `${VAR}` and `${VAR:-default}`, and `$$` as a literal `$` (as marked by
    /// `protectingReferences`). An undefined variable without a default is an error naming the
    /// variable (never its would-be value). A default is taken as written.
    func expand(_ text: String, _ key: String, _ node: Node) throws -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(Self.dollar) || scalars.contains(Self.open) else { return text }
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == Self.dollar {
                result.append("$")
                index += 1
                continue
            }
            guard scalar == Self.open, let close = scalars[(index + 1)...].firstIndex(of: Self.close) else {
                result.append(scalar)
                index += 1
                continue
            }
            let inside = scalars[(index + 1)..<close]
            let separator = inside.indices.first { inside[$0] == ":" && $0 + 1 < close && inside[$0 + 1] == "-" }
            let nameScalars = inside[..<(separator ?? close)]
            let fallback = separator.map { inside[($0 + 2)...] }
            let isNameScalar = { (scalar: Unicode.Scalar) in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
            }
            guard !nameScalars.isEmpty, nameScalars.allSatisfy(isNameScalar) else {
                throw error(key, node, "malformed ${…}: use ${NAME} or ${NAME:-default}")
            }
            let name = String(String.UnicodeScalarView(nameScalars))
            if let value = environment[name], !value.isEmpty || fallback == nil {
                result.append(contentsOf: value.unicodeScalars)
            } else if let fallback {
                result.append(contentsOf: fallback)
            } else {
                throw error(key, node, "the environment variable \(name) is not set (and ${\(name)} has no :-default)")
            }
            index = close + 1
        }
        return String(result)
    }

    // MARK: The file

    func config(_ node: Node) throws -> SyncConfig {
        let top = try mapping(node, "", allowed: ["snapshots", "snapshots_schema", "sink", "sources"])
        guard let sinkNode = top["sink"] else {
            throw error("sink", node, "missing: where events go (kind: dataarts, file or stdout)")
        }
        guard let sourcesNode = top["sources"], let list = sourcesNode.sequence, !list.isEmpty else {
            throw error("sources", top["sources"] ?? node, "missing or empty: at least one source (name, url, engine)")
        }
        var sources: [SourceConfig] = []
        for (index, item) in list.enumerated() {
            let source = try self.source(item, "sources[\(index)]")
            if let other = sources.firstIndex(where: { $0.name == source.name }) {
                throw error("sources[\(index)].name", item, "the same name as sources[\(other)]: names must differ")
            }
            sources.append(source)
        }
        return SyncConfig(
            snapshots: try string(top["snapshots"], "snapshots") ?? "snapshots", sink: try sink(sinkNode),
            sources: sources, snapshotsSchema: try string(top["snapshots_schema"], "snapshots_schema"))
    }

    func sink(_ node: Node) throws -> SinkConfig {
        let members = try mapping(
            node, "sink",
            allowed: [
                "kind", "endpoint", "region", "project_id", "auth", "batch", "ca_file", "insecure", "path", "timeouts",
                "retry", "max_requests_per_second",
            ])
        let kindText = try required(members["kind"], "sink.kind", parent: node)
        guard let kind = SinkConfig.Kind(rawValue: kindText) else {
            throw error("sink.kind", members["kind"], "unknown sink kind: use dataarts, file or stdout")
        }
        var maxEvents = SinkConfig.defaultMaxEvents
        var maxBytes = 1_048_576
        if let batch = members["batch"] {
            let limits = try mapping(batch, "sink.batch", allowed: ["max_events", "max_bytes"])
            maxEvents = try int(limits["max_events"], "sink.batch.max_events", default: SinkConfig.defaultMaxEvents)
            maxBytes = try int(limits["max_bytes"], "sink.batch.max_bytes", default: 1_048_576)
        }
        var sink = SinkConfig(
            kind: kind, maxEvents: maxEvents, maxBytes: maxBytes,
            caFile: try string(members["ca_file"], "sink.ca_file"),
            insecure: try bool(members["insecure"], "sink.insecure"))
        sink.maxRequestsPerSecond = try rate(members["max_requests_per_second"], "sink.max_requests_per_second")
        switch kind {
        case .file:
            sink.path = try required(members["path"], "sink.path", parent: node)
        case .stdout:
            break
        case .dataarts:
            if let endpoint = try string(members["endpoint"], "sink.endpoint") {
                sink.endpoint = endpoint
            } else if let region = try string(members["region"], "sink.region") {
                sink.endpoint = "https://dayu.\(region).myhuaweicloud.com"
            } else {
                throw error("sink.endpoint", node, "missing: give endpoint: https://… or region: (e.g. cn-north-4)")
            }
            sink.projectID = try required(members["project_id"], "sink.project_id", parent: node)
            guard let authNode = members["auth"] else {
                throw error("sink.auth", node, "missing: give ak and sk, a token, or an IAM user and password")
            }
            sink.auth = try auth(authNode)
            if case .password(let user, let password, let domain, nil) = sink.auth {
                // IAM is regional like the API: from region:, or from the endpoint's host.
                let region =
                    try string(members["region"], "sink.region")
                    ?? Self.region(ofEndpoint: sink.endpoint ?? "")
                guard let region else {
                    throw error(
                        "sink.auth.iam_endpoint", authNode,
                        "missing: give iam_endpoint: https://iam.<region>.myhuaweicloud.com (or sink.region)")
                }
                sink.auth = .password(
                    user: user, password: password, domain: domain,
                    iamEndpoint: "https://iam.\(region).myhuaweicloud.com")
            }
            if let timeouts = members["timeouts"] {
                let limits = try mapping(timeouts, "sink.timeouts", allowed: ["connect", "request"])
                sink.connectTimeout = try seconds(limits["connect"], "sink.timeouts.connect", default: 10, zero: false)
                sink.requestTimeout = try seconds(limits["request"], "sink.timeouts.request", default: 60, zero: false)
            }
            if let retry = members["retry"] {
                let limits = try mapping(
                    retry, "sink.retry", allowed: ["max_attempts", "max_seconds", "base_delay", "max_delay"])
                sink.maxAttempts = try int(limits["max_attempts"], "sink.retry.max_attempts", default: 6)
                sink.maxRetrySeconds = try seconds(limits["max_seconds"], "sink.retry.max_seconds", default: 120)
                sink.baseDelay = try seconds(limits["base_delay"], "sink.retry.base_delay", default: 0.5)
                sink.maxDelay = try seconds(limits["max_delay"], "sink.retry.max_delay", default: 30)
            }
        }
        return sink
    }

    /// `cn-north-4` from `https://dayu.cn-north-4.myhuaweicloud.com`.
    static func region(ofEndpoint endpoint: String) -> String? {
        let host = endpoint.split(separator: "/").dropFirst().first.map(String.init) ?? ""
        let parts = host.split(separator: ":").first?.split(separator: ".") ?? []
        guard parts.count >= 4, parts[0] == "dayu", parts.suffix(2).joined(separator: ".") == "myhuaweicloud.com"
        else { return nil }
        return String(parts[1])
    }

    /// A number of seconds, at most a day: 0 or more, or above 0 when `zero` is false (a
    /// timeout of 0 would mean none).
    func seconds(_ node: Node?, _ key: String, default value: Double, zero: Bool = true) throws -> Double {
        guard let text = try string(node, key) else { return value }
        let least = zero ? "0 or more" : "above 0"
        guard let number = Double(text), number.isFinite, zero ? number >= 0 : number >= 0.001, number <= 86400
        else {
            throw error(key, node, "expected a number of seconds, \(least) and at most 86400")
        }
        return number
    }

    /// A rate limit in requests per second: 0 (no limit), or 0.001 (one request in about 17
    /// minutes) up to 1000, fractions allowed; absent, the default
    /// (`SinkConfig.defaultMaxRequestsPerSecond`).
    func rate(_ node: Node?, _ key: String) throws -> Double {
        guard let text = try string(node, key) else { return SinkConfig.defaultMaxRequestsPerSecond }
        guard let number = Double(text), number.isFinite, number == 0 || (number >= 0.001 && number <= 1000) else {
            throw error(
                key, node,
                "expected 0 (no limit) or a number of requests per second from 0.001 to 1000 (the DataArts API "
                    + "allows 50 per user, the default is \(Self.rateText(SinkConfig.defaultMaxRequestsPerSecond)))")
        }
        return number
    }

    static func rateText(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }

    func auth(_ node: Node) throws -> SinkConfig.Auth {
        let members = try mapping(
            node, "sink.auth",
            allowed: ["ak", "sk", "security_token", "token", "user", "password", "domain", "iam_endpoint"])
        if members["ak"] != nil || members["sk"] != nil {
            return .accessKey(
                ak: try required(members["ak"], "sink.auth.ak", parent: node),
                sk: Secret(try required(members["sk"], "sink.auth.sk", parent: node)),
                securityToken: try string(members["security_token"], "sink.auth.security_token").map(Secret.init))
        }
        if let token = members["token"] {
            return .token(Secret(try required(token, "sink.auth.token", parent: node)))
        }
        if members["user"] != nil || members["password"] != nil {
            return .password(
                user: try required(members["user"], "sink.auth.user", parent: node),
                password: Secret(try required(members["password"], "sink.auth.password", parent: node)),
                domain: try required(members["domain"], "sink.auth.domain", parent: node),
                iamEndpoint: try string(members["iam_endpoint"], "sink.auth.iam_endpoint"))
        }
        throw error("sink.auth", node, "give ak and sk, a token, or user, password and domain")
    }

    func source(_ node: Node, _ key: String) throws -> SourceConfig {
        let members = try mapping(
            node, key,
            allowed: [
                "name", "url", "databases", "include", "exclude", "engine", "engine_version", "instance_id",
                "project_id",
                "max_drop_ratio",
            ])
        let name = try required(members["name"], "\(key).name", parent: node)
        let nameIsFolderName = name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "." || $0 == "_"
                || $0 == "-"
        }
        guard nameIsFolderName, !name.hasPrefix("."), name.utf8.count <= 128 else {
            throw error(
                "\(key).name", members["name"],
                "a source name is letters, digits, '.', '_' and '-', not starting with '.', at most 128 bytes")
        }
        let engine = try required(members["engine"], "\(key).engine", parent: node)
        var source = SourceConfig(
            name: name, url: try required(members["url"], "\(key).url", parent: node),
            databases: try strings(members["databases"], "\(key).databases"),
            include: try strings(members["include"], "\(key).include"),
            exclude: try strings(members["exclude"], "\(key).exclude"), engine: engine,
            engineVersion: try string(members["engine_version"], "\(key).engine_version") ?? "auto",
            instanceID: try string(members["instance_id"], "\(key).instance_id"),
            projectID: try string(members["project_id"], "\(key).project_id"), maxDropRatio: 0.25)
        if let ratio = try string(members["max_drop_ratio"], "\(key).max_drop_ratio") {
            guard let value = Double(ratio), value >= 0, value <= 1 else {
                throw error(
                    "\(key).max_drop_ratio", members["max_drop_ratio"], "expected a number from 0 to 1")
            }
            source.maxDropRatio = value
        }
        let upper = engine.uppercased()
        if (upper == "MRS" || upper == "DWS") && (source.instanceID ?? "").isEmpty {
            throw error(
                "\(key).instance_id", node, "missing: engine \(engine) needs an instance_id (the API requires it)")
        }
        if upper == "DLI" && (source.projectID ?? "").isEmpty {
            throw error("\(key).project_id", node, "missing: engine DLI needs a project_id (the API requires it)")
        }
        return source
    }
}
