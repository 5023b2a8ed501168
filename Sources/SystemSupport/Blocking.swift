import Foundation

/// Runs blocking work (a C client library call) on a thread of its own, so that it never
/// occupies a thread of Swift's cooperative pool, nor one of Dispatch's CPU-wide queues
/// (where blocked calls would wait for each other), and awaits its result.
package func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try work() })
        }
    }
}
