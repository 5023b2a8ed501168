import EventContract
import Foundation
import Testing

/// What the `sync` command tests of every source kind share.
enum SyncSupport {
    /// `schemasync sync arguments…` with the database password in `TEST_DB_PASSWORD` (where
    /// the configs' URLs take it from); no secret may appear in what the run printed.
    static func run(_ arguments: [String], databasePassword: String, environment: [String: String] = [:]) throws
        -> CommandResult
    {
        let result = try CommandRunner.run(
            ["sync"] + arguments, environment: environment.merging(["TEST_DB_PASSWORD": databasePassword]) { $1 })
        let leaked = result.stdout.contains(databasePassword) || result.stderr.contains(databasePassword)
        #expect(!leaked, "the database password is in the output")
        return result
    }

    /// The test server's URL (`…://schemasync@host:port`) as `user` with the password left to
    /// `${TEST_DB_PASSWORD}`, for a config file.
    static func url(_ server: String, user: String = "schemasync") -> String {
        server.replacingOccurrences(of: "://schemasync@", with: "://\(user):${TEST_DB_PASSWORD}@")
    }

    /// The events of NDJSON request bodies, in order.
    static func events(inBodies bodies: [some StringProtocol]) throws -> [Event] {
        try bodies.flatMap { body in
            try #require(try JSONValue.parse(Data(body.utf8))["events"]?.array).map { entry in
                Event(type: EventType(rawValue: entry["event_type"]?.string ?? "")!, message: entry["event_message"]!)
            }
        }
    }
}
