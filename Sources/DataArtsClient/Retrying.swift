import EventDelivery
import Foundation
import HTTPClient

/// Sends one request with the retry policy: network failures, timeouts, 429 and 5xx are
/// tried again after a backoff; any other answer is returned to the caller.
struct Retrying {
    var client: HTTPClient
    var policy: RetryPolicy
    var service: String
    /// Hears each retry, in words (no secret: status, failure kind, wait).
    var log: @Sendable (String) -> Void
    /// The run's rate limit, if any: every attempt, retries included, waits for its turn.
    var pacer: RequestPacer? = nil

    /// The first answer that is not worth retrying, with the number of attempts it took.
    /// `request` is asked anew for each attempt (a fresh signature, a fresh token).
    func send(_ request: () async throws -> HTTPRequest) async throws -> (HTTPResponse, attempts: Int) {
        let start = Date()
        var attempt = 0
        while true {
            attempt += 1
            // Paced before it is built, so that a signature's X-Sdk-Date is the send's time.
            try await pacer?.acquire()
            // The engine's check (is the source's lock still held?) before every attempt, after
            // the wait for the rate limit: a lock lost while waiting sends nothing.
            try await AttemptGate.beforeAttempt()
            let built = try await request()
            let origin = Endpoint.origin(of: built.url)
            let failure: String
            var retryAfter: Double? = nil
            let outcome: Result<HTTPResponse, HTTPClientError>
            do {
                outcome = .success(try await client.send(built))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let response):
                guard response.status == 429 || (500...599).contains(response.status) else {
                    return (response, attempt)
                }
                let (code, message) = apiError(in: response.body)
                failure = "HTTP \(response.status)" + (code.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
                retryAfter = RetryPolicy.retryAfter(response.header("Retry-After"))
            case .failure(let error):
                guard error.isTransient else {
                    throw DeliveryUnavailable(
                        service: service, origin: origin, attempts: attempt, seconds: Date().timeIntervalSince(start),
                        lastFailure: error.message, hint: Self.hint(for: error))
                }
                failure = error.message
            }
            let elapsed = Date().timeIntervalSince(start)
            let wait = policy.delay(beforeRetry: attempt, retryAfter: retryAfter, random: Double.random(in: 0..<1))
            guard attempt < policy.maxAttempts, elapsed + wait <= policy.maxSeconds else {
                throw DeliveryUnavailable(
                    service: service, origin: origin, attempts: attempt, seconds: elapsed, lastFailure: failure,
                    hint: "nothing was recorded as delivered: the next run sends the same requests again; "
                        + "check the endpoint and the network (and proxy variables), or raise sink.retry limits")
            }
            log(
                "\(service) \(origin): \(failure); retrying in " + String(format: "%.1f", wait)
                    + " s (attempt \(attempt + 1) of \(policy.maxAttempts))")
            try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
    }

    static func hint(for error: HTTPClientError) -> String {
        switch error.kind {
        case .tls:
            return "the server's certificate did not verify: give sink.ca_file with the CA that signed it "
                + "(insecure: true skips verification, for tests only)"
        case .plainHTTPRefused, .invalidURL:
            return "fix sink.endpoint: https://host[:port]"
        case .responseTooLarge:
            return "the answer was larger than expected: check that sink.endpoint is DataArts Studio's API"
        default:
            return "check the endpoint and the network"
        }
    }
}
