import DataArtsClient
import EventDelivery
import Foundation
import HTTPClient
import SchemaTestSupport
import Testing

/// Simulated time: it moves only when a pacer sleeps (by exactly the time asked), so what a
/// pacer releases can be counted per simulated second, whatever the machine's load.
final class SimulatedClock: PacerClock, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64 = 0
    private var slept: [Int64] = []

    func nanoseconds() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return now
    }

    /// Moves simulated time on by `nanoseconds` at once.
    func sleep(nanoseconds: Int64) async throws {
        pass(nanoseconds)
    }

    private func pass(_ nanoseconds: Int64) {
        lock.lock()
        defer { lock.unlock() }
        slept.append(nanoseconds)
        now += nanoseconds
    }

    /// Moves simulated time on, as idle time would.
    func advance(seconds: Int64) {
        lock.lock()
        defer { lock.unlock() }
        now += seconds * 1_000_000_000
    }

    /// Every sleep a pacer asked for, in order.
    var sleeps: [Int64] {
        lock.lock()
        defer { lock.unlock() }
        return slept
    }
}

/// A clock standing still: a pacer reading it hands out start times without time passing,
/// so the times themselves are what is counted.
struct StoppedClock: PacerClock {
    func nanoseconds() -> Int64 { 0 }
    func sleep(nanoseconds: Int64) async throws {}
}

/// How many of `starts` (nanoseconds) fall in each whole simulated second, from second 0.
func perSecond(_ starts: [Int64]) -> [Int] {
    guard let last = starts.max() else { return [] }
    var counts = [Int](repeating: 0, count: Int(last / 1_000_000_000) + 1)
    for start in starts { counts[Int(start / 1_000_000_000)] += 1 }
    return counts
}

/// The most starts any window of one second holds, wherever it begins (a window beginning
/// at a start is the fullest one ending at or after it).
func fullestSecond(_ starts: [Int64]) -> Int {
    let sorted = starts.sorted()
    var fullest = 0
    var first = 0
    for (index, start) in sorted.enumerated() {
        while start - sorted[first] >= 1_000_000_000 { first += 1 }
        fullest = max(fullest, index - first + 1)
    }
    return fullest
}

/// The client-side rate limit (`sink.max_requests_per_second`), checked by counting the
/// requests it releases per simulated second: never by timing.
@Suite struct RequestPacerTests {
    @Test func releasesAtMostTheRateInAnySecond() {
        let pacer = RequestPacer(requestsPerSecond: 20, clock: StoppedClock())
        let starts = (0..<100).map { _ in pacer.reserve() }
        #expect(perSecond(starts) == [20, 20, 20, 20, 20])
        #expect(fullestSecond(starts) == 20)
        #expect(Set(starts).count == 100)
    }

    @Test(arguments: [(2.5, 3, [3, 2, 3, 2]), (1, 1, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), (7, 7, [7, 3])])
    func aFractionalOrSmallRateIsKeptToo(rate: Double, fullest: Int, counts: [Int]) {
        let pacer = RequestPacer(requestsPerSecond: rate, clock: StoppedClock())
        let starts = (0..<10).map { _ in pacer.reserve() }
        #expect(fullestSecond(starts) == fullest)
        #expect(perSecond(starts) == counts)
    }

    @Test func concurrentJobsShareOneLimit() async throws {
        // Eight sources of one `sync --jobs 8` run, 25 requests each, through one pacer.
        let pacer = RequestPacer(requestsPerSecond: 20, clock: StoppedClock())
        let starts = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var mine: [Int64] = []
                    for _ in 0..<25 { mine.append(try await pacer.acquire()) }
                    return mine
                }
            }
            var all: [Int64] = []
            for try await mine in group { all += mine }
            return all
        }
        #expect(starts.count == 200 && Set(starts).count == 200)
        #expect(perSecond(starts) == [Int](repeating: 20, count: 10))
        #expect(fullestSecond(starts) == 20)
    }

    @Test func idleTimeIsNotSavedUpForABurst() async throws {
        let clock = SimulatedClock()
        let pacer = RequestPacer(requestsPerSecond: 4, clock: clock)
        var starts: [Int64] = []
        for _ in 0..<4 { starts.append(try await pacer.acquire()) }
        clock.advance(seconds: 10)
        for _ in 0..<8 { starts.append(try await pacer.acquire()) }
        // The first after the pause starts at once, the rest keep the pace: no catching up.
        #expect(starts[4] == starts[3] + 10_000_000_000)
        #expect(fullestSecond(starts) == 4)
        #expect(clock.sleeps.count == 3 + 7)
        #expect(clock.sleeps.allSatisfy { $0 == 250_000_000 })
    }

    @Test func theSinkPacesEveryAttemptRetriesIncluded() async throws {
        let clock = SimulatedClock()
        let pacer = RequestPacer(requestsPerSecond: 5, clock: clock)
        let arrivals = Arrivals()
        // The third request is throttled (429, Retry-After: 0): its retry takes a turn too.
        let server = try ScriptedServer { index in
            arrivals.append(clock.nanoseconds())
            return .answer(
                index == 2
                    ? httpResponse(429, "", headers: ["Retry-After: 0"]) : httpResponse(200, #"{"success": true}"#))
        }
        defer { server.stop() }
        let sink = try DataArtsSink(
            endpoint: "http://127.0.0.1:\(server.port)", projectID: DataArtsSinkTests.project,
            authentication: .accessKey(DataArtsSinkTests.credentials),
            client: HTTPClient(options: HTTPClientOptions(connectTimeout: 5, requestTimeout: 30)),
            retry: DataArtsSinkTests.fast, userAgent: "schemasync/test", pacer: pacer)
        var attempts = 0
        for _ in 0..<12 {
            attempts += try await sink.send(Data(#"{"engine": "DWS", "engine_version": "15", "events": []}"#.utf8))
                .attempts
        }
        #expect(attempts == 13)
        #expect(server.requests.count == 13)
        // 13 requests at 5 per second: 5, 5 and 3 per simulated second, 0.2 s apart.
        #expect(perSecond(arrivals.all) == [5, 5, 3])
        #expect(clock.sleeps == [Int64](repeating: 200_000_000, count: 12))
    }
}

/// Simulated arrival times, collected by the server's handler.
final class Arrivals: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int64] = []

    func append(_ time: Int64) {
        lock.lock()
        stored.append(time)
        lock.unlock()
    }

    var all: [Int64] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
