import DataArtsAuth
import DataArtsClient
import EventDelivery
import HTTPClient
import SyncConfig

/// Makes the config's sink: an NDJSON file, stdout, or DataArts Studio over HTTPS.
enum SinkFactory {
    /// The sink of `config`; `warn` hears warnings and retries (never a secret).
    static func sink(_ config: SinkConfig, warn: @escaping @Sendable (String) -> Void) throws -> any Sink {
        switch config.kind {
        case .file: return FileSink(path: config.path ?? "")
        case .stdout: return StdoutSink()
        case .dataarts: return try dataArts(config, warn: warn)
        }
    }

    /// The run's rate limit: one pacer, held by the run's one sink, so every source of a
    /// `--jobs N` run takes its turn from it; nil for `max_requests_per_second: 0`.
    static func pacer(_ config: SinkConfig) -> RequestPacer? {
        config.maxRequestsPerSecond > 0 ? RequestPacer(requestsPerSecond: config.maxRequestsPerSecond) : nil
    }

    /// The DataArts sink of a `kind: dataarts` config.
    static func dataArts(_ config: SinkConfig, warn: @escaping @Sendable (String) -> Void) throws -> DataArtsSink {
        guard let endpoint = config.endpoint, let projectID = config.projectID, let auth = config.auth else {
            throw UsageError(description: "sink kind dataarts needs endpoint (or region), project_id and auth")
        }
        if config.insecure {
            warn(
                "sink.insecure is true: the endpoint's certificate is not verified and plain http is allowed; "
                    + "use it for tests only")
        }
        let client = HTTPClient(
            options: HTTPClientOptions(
                connectTimeout: config.connectTimeout, requestTimeout: config.requestTimeout, caFile: config.caFile,
                insecure: config.insecure, userAgent: "schemasync/\(SchemaSyncVersion.current)"))
        let retry = RetryPolicy(
            maxAttempts: config.maxAttempts, maxSeconds: config.maxRetrySeconds, baseDelay: config.baseDelay,
            maxDelay: config.maxDelay)
        let authentication: DataArtsAuthentication
        switch auth {
        case .accessKey(let ak, let sk, let securityToken):
            authentication = .accessKey(Credentials(ak: ak, sk: sk.value, securityToken: securityToken?.value))
        case .token(let token):
            authentication = .token(token.value)
        case .password(let user, let password, let domain, let iamEndpoint):
            authentication = .iam(
                IAMTokenSource(
                    user: user, password: password.value, domain: domain, endpoint: iamEndpoint ?? "",
                    projectID: projectID, client: client, retry: retry, log: warn))
        }
        do {
            return try DataArtsSink(
                endpoint: endpoint, projectID: projectID, authentication: authentication, client: client, retry: retry,
                userAgent: client.options.userAgent, pacer: pacer(config), log: warn)
        } catch {
            throw UsageError(description: "sink.endpoint: \(error.message)")
        }
    }
}
