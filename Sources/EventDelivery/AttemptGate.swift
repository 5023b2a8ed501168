/// What a sink asks before every request it makes, retries included: the delivery engine
/// sets it (a task-local) to check that the run still holds its source's lock, so a run
/// that lost it sends not one more attempt (docs/store.md, "The remaining window").
package enum AttemptGate {
    /// The check of the current delivery, if any: throws to stop before the attempt.
    @TaskLocal package static var check: (@Sendable () async throws -> Void)?

    /// Throws the check's error, if a check is set and fails.
    package static func beforeAttempt() async throws {
        try await check?()
    }
}
