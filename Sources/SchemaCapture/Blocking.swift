import Dispatch

/// Runs blocking work (a C client library call) on a Dispatch queue, so that it never
/// occupies a thread of Swift's cooperative pool, and awaits its result.
public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        blockingQueue.async {
            continuation.resume(with: Result { try work() })
        }
    }
}

private let blockingQueue = DispatchQueue(label: "schemasync.blocking", attributes: .concurrent)
