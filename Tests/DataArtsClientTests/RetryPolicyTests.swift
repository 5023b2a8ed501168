import DataArtsClient
import Foundation
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 6, maxSeconds: 120, baseDelay: 0.5, maxDelay: 30)

    @Test func fullJitterGrowsExponentiallyUpToTheCeiling() {
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: 0.999_999) < 0.5)
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, random: 0) == 0)
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, random: 0.5) == 0.5)
        #expect(policy.delay(beforeRetry: 4, retryAfter: nil, random: 0.5) == 2)
        #expect(policy.delay(beforeRetry: 20, retryAfter: nil, random: 0.5) == 15)
        #expect(policy.delay(beforeRetry: 1000, retryAfter: nil, random: 1) == 30)
    }

    @Test func retryAfterWinsAndIsRead() {
        #expect(policy.delay(beforeRetry: 1, retryAfter: 7, random: 0.1) == 7)
        #expect(RetryPolicy.retryAfter("3") == 3)
        #expect(RetryPolicy.retryAfter(" 1.5 ") == 1.5)
        #expect(RetryPolicy.retryAfter(nil) == nil)
        #expect(RetryPolicy.retryAfter("soon") == nil)
        #expect(RetryPolicy.retryAfter("-1") == nil)
        // 1_784_000_000 is Tue, 14 Jul 2026 03:33:20 GMT.
        let now = Date(timeIntervalSince1970: 1_784_000_000)
        #expect(RetryPolicy.retryAfter("Tue, 14 Jul 2026 03:33:50 GMT", now: now) == 30)
        #expect(RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == 0)
    }

    @Test func boundsAreSane() {
        let odd = RetryPolicy(maxAttempts: 0, maxSeconds: -1, baseDelay: -1, maxDelay: -1)
        #expect(odd.maxAttempts == 1)
        #expect(odd.delay(beforeRetry: 3, retryAfter: nil, random: 0.5) == 0)
    }
}
