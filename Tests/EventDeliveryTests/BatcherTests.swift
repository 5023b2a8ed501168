import EventContract
import EventDelivery
import Foundation
import Testing

@Suite struct BatcherTests {
    static func events(_ count: Int, padding: Int = 0) -> [Event] {
        (0..<count).map { index in
            Event(
                type: .addColumn,
                message: [
                    "table": ["catName": "c", "dbName": "d", "tableName": "t"],
                    "columns": [
                        ["name": .string("c\(index)" + String(repeating: "x", count: padding)), "type": "integer"]
                    ],
                ])
        }
    }

    static let envelope = RequestEnvelope(engine: "DWS", engineVersion: "15.18", instanceID: "i-1")

    /// The event names of every body, in order.
    static func names(_ bodies: [Data]) throws -> [[String]] {
        try bodies.map { body in
            try #require(try JSONValue.parse(body)["events"]?.array).map {
                $0["event_message"]?["columns"]?.array?.first?["name"]?.string ?? ""
            }
        }
    }

    @Test func atMostMaxEventsInOrder() throws {
        let bodies = Batcher(maxEvents: 100).bodies(Self.events(250), timestamp: 7, envelope: Self.envelope)
        let names = try Self.names(bodies)
        #expect(names.map(\.count) == [100, 100, 50])
        #expect(names.flatMap { $0 } == (0..<250).map { "c\($0)" })
        let first = try JSONValue.parse(bodies[0])
        #expect(first["engine"]?.string == "DWS")
        #expect(first["instance_id"]?.string == "i-1")
        #expect(first["events"]?.array?.first?["event_ts"]?.int == 7)
    }

    @Test func atMostMaxBytesAndALargeEventAlone() throws {
        let events = Self.events(10, padding: 200) + Self.events(1, padding: 5_000) + Self.events(3, padding: 200)
        let batcher = Batcher(maxEvents: 100, maxBytes: 1_000)
        let bodies = batcher.bodies(events, timestamp: 1, envelope: Self.envelope)
        for body in bodies {
            let count = try #require(try JSONValue.parse(body)["events"]?.array?.count)
            #expect(body.count <= 1_000 || count == 1)
        }
        #expect(try Self.names(bodies).flatMap { $0 }.count == 14)
        #expect(bodies.contains { $0.count > 5_000 })
    }

    @Test func noEventsNoBodies() {
        #expect(Batcher().bodies([], timestamp: 1, envelope: Self.envelope).isEmpty)
    }

    @Test func envelopeRules() throws {
        #expect(throws: RequestEnvelope.InvalidEnvelope.self) {
            try RequestEnvelope(engine: "DWS", engineVersion: "15").validate()
        }
        #expect(throws: RequestEnvelope.InvalidEnvelope.self) {
            try RequestEnvelope(engine: "mrs", engineVersion: "3").validate()
        }
        #expect(throws: RequestEnvelope.InvalidEnvelope.self) {
            try RequestEnvelope(engine: "DLI", engineVersion: "1").validate()
        }
        try RequestEnvelope(engine: "DLI", engineVersion: "1", projectID: "p").validate()
        try RequestEnvelope(engine: "MyCatalog", engineVersion: "1").validate()
    }

    @Test func aPartialLastLineIsCutBeforeTheNextBody() async throws {
        let path = FileManager.default.temporaryDirectory.path + "/sink-\(UUID().uuidString).ndjson"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("{\"complete\":1}\n{\"half".utf8).write(to: URL(fileURLWithPath: path))
        try await FileSink(path: path).send(Data("{\"next\":2}".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"complete\":1}\n{\"next\":2}\n")
    }

    @Test func fileSinkAppendsOneLinePerBody() async throws {
        let path = FileManager.default.temporaryDirectory.path + "/sink-\(UUID().uuidString).ndjson"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = FileSink(path: path)
        for body in Batcher(maxEvents: 2).bodies(Self.events(5), timestamp: 1, envelope: Self.envelope) {
            try await sink.send(body)
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(try Self.names(lines.map { Data($0.utf8) }).flatMap { $0 } == (0..<5).map { "c\($0)" })
        let error = await #expect(throws: SinkError.self) {
            try await FileSink(path: "/nonexistent-dir/x.ndjson").send(Data())
        }
        #expect(error?.description.contains("/nonexistent-dir/x.ndjson") == true)
    }
}
