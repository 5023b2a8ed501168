import Foundation

/// Tests that rely on the test server's binary log between two captures hold this lock
/// shared; the test that purges the log holds it exclusive, so that it never takes another
/// test's rename hints away mid-test. An flock on a file named after the server's port:
/// it works across test targets in one process and across processes.
public enum BinaryLogLock {
    /// Runs `body` while no purge can run.
    public static func shared<T>(_ body: () throws -> T) throws -> T {
        try locked(LOCK_SH, body)
    }

    /// Runs `body` (which purges the log) while no test relying on the log runs.
    public static func exclusive<T>(_ body: () throws -> T) throws -> T {
        try locked(LOCK_EX, body)
    }

    private static func locked<T>(_ operation: Int32, _ body: () throws -> T) throws -> T {
        let port =
            ProcessInfo.processInfo.environment["SCHEMASYNC_TEST_MARIADB_SERVER"]?.split(separator: ":").last
            .map(String.init) ?? "default"
        let path = NSTemporaryDirectory() + "/schemasync-test-binlog-\(port).lock"
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return try body() }
        defer { close(descriptor) }
        // Bounded: a holder runs a few syncs or captures; give up waiting after 120 s.
        var waited = 0
        while flock(descriptor, operation | LOCK_NB) != 0 && waited < 1200 {
            usleep(100_000)
            waited += 1
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
