package import Foundation

/// The time a `RequestPacer` reads and waits on: the system's monotonic clock, or a test's.
package protocol PacerClock: Sendable {
    /// Nanoseconds since a fixed point of this clock; never goes back.
    func nanoseconds() -> Int64
    /// Waits `nanoseconds` (a cancelled task stops waiting with an error).
    func sleep(nanoseconds: Int64) async throws
}

/// The system's monotonic clock (`ContinuousClock`): unaffected by changes of the wall clock.
package struct SystemPacerClock: PacerClock {
    private let origin = ContinuousClock.now

    /// The clock, counting from now.
    package init() {}

    /// Nanoseconds since this clock was made.
    package func nanoseconds() -> Int64 {
        let elapsed = ContinuousClock.now - origin
        return elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
    }

    /// Sleeps on the continuous clock.
    package func sleep(nanoseconds: Int64) async throws {
        try await Task.sleep(for: .nanoseconds(nanoseconds))
    }
}

/// A client-side rate limit: at most `requestsPerSecond` requests start in any one second,
/// however many tasks share the pacer (`sync --jobs N` shares one, through the one sink of
/// the run). Each request takes the next free start time, evenly spaced `1 / rate` apart:
/// a steady pace with no burst (a token bucket of one token), so that no window of one
/// second, wherever it starts, holds more than `⌈rate⌉` starts.
///
/// Times are whole nanoseconds, so the spacing adds up exactly (no rounding lets a 21st
/// request into a second at 20 per second).
package final class RequestPacer: Sendable {
    /// The limit: requests per second, above 0.
    package let requestsPerSecond: Double
    /// The spacing of two starts, in nanoseconds: `1 / rate`, rounded up.
    package let interval: Int64
    private let clock: any PacerClock
    private let next = Slot()

    /// A pacer of `requestsPerSecond` (above 0) reading `clock`.
    package init(requestsPerSecond: Double, clock: any PacerClock = SystemPacerClock()) {
        precondition(requestsPerSecond > 0 && requestsPerSecond.isFinite, "a pacer needs a rate above 0")
        self.requestsPerSecond = requestsPerSecond
        self.interval = max(1, Int64((1e9 / requestsPerSecond).rounded(.up)))
        self.clock = clock
    }

    /// Takes the next start time (nanoseconds on the pacer's clock): now if the last start
    /// is at least one interval ago, else one interval after the last taken. Never waits.
    package func reserve() -> Int64 {
        let now = clock.nanoseconds()
        return next.take(now: now, interval: interval)
    }

    /// Waits for the next start time; returns it (nanoseconds on the pacer's clock).
    @discardableResult
    package func acquire() async throws -> Int64 {
        let start = reserve()
        let wait = start - clock.nanoseconds()
        if wait > 0 { try await clock.sleep(nanoseconds: wait) }
        return start
    }
}

/// The next free start time, behind a lock.
private final class Slot: @unchecked Sendable {
    private let lock = NSLock()
    private var free: Int64?

    func take(now: Int64, interval: Int64) -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        let start = max(now, free ?? now)
        free = start + interval
        return start
    }
}
