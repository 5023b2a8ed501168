package import Foundation

/// When to try a request again: exponential backoff with full jitter, bounded by a number of
/// attempts and by a total time, with a server's `Retry-After` honoured.
package struct RetryPolicy: Sendable, Hashable {
    /// Requests at most, the first included (1: never retry).
    package var maxAttempts: Int
    /// Seconds from the first attempt after which no retry starts (a wait that would end
    /// later is not begun).
    package var maxSeconds: Double
    /// The backoff's first ceiling, in seconds: the wait before retry `n` (from 1) is a random
    /// time between 0 and `min(maxDelay, baseDelay × 2^(n−1))`.
    package var baseDelay: Double
    /// The backoff's largest ceiling, in seconds.
    package var maxDelay: Double

    /// A policy; the defaults retry five times within two minutes. Values are kept within
    /// sane bounds: 1 to 1,000 attempts, and at most a day for any time.
    package init(maxAttempts: Int = 6, maxSeconds: Double = 120, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = min(max(1, maxAttempts), 1000)
        self.maxSeconds = Self.bounded(maxSeconds)
        self.baseDelay = Self.bounded(baseDelay)
        self.maxDelay = Self.bounded(maxDelay)
    }

    /// 0 to 86,400 seconds; NaN is 0.
    static func bounded(_ seconds: Double) -> Double {
        seconds.isNaN ? 0 : min(max(0, seconds), 86400)
    }

    /// The wait before retry `retry` (1 for the first retry), with full jitter: `random` gives a
    /// number in `0..<1`. A `Retry-After` of the server's, when given, is waited instead.
    package func delay(beforeRetry retry: Int, retryAfter: Double?, random: Double) -> Double {
        if let retryAfter { return Self.bounded(retryAfter) }
        let exponent = Double(min(max(retry - 1, 0), 62))
        let ceiling = min(maxDelay, baseDelay * pow(2, exponent))
        return ceiling * min(max(random, 0), 1)
    }

    /// Seconds from a `Retry-After` header: a number of seconds, or an HTTP date (RFC 9110)
    /// measured from `now`; nil when absent or unreadable.
    package static func retryAfter(_ header: String?, now: Date = Date()) -> Double? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
