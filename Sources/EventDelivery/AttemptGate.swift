/// What a sink asks before every request it makes, retries included: the delivery engine
/// sets it (a task-local) to check that the run still holds its source's lock, so a run
/// that lost it sends not one more attempt (docs/store.md, "The remaining window").
package enum AttemptGate {
    /// The check of the current delivery, if any: throws to stop before the attempt.
    ///
    /// A struct around the closure, not the optional closure itself: a task-local of type
    /// `(@Sendable () async throws -> Void)?` crashed the release build in
    /// `swift_task_localValuePush` (Swift 6.3, Linux: a bad metadata pointer for the
    /// optional async function type) at the first request of every delivery.
    @TaskLocal package static var check: Check?

    /// A check to run before each attempt.
    package struct Check: Sendable {
        /// Throws to stop before the attempt.
        package var run: @Sendable () async throws -> Void

        /// A check that runs `run`.
        package init(_ run: @escaping @Sendable () async throws -> Void) {
            self.run = run
        }
    }

    /// Throws the check's error, if a check is set and fails.
    package static func beforeAttempt() async throws {
        try await check?.run()
    }
}
