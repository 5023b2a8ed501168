import EventContract
import Foundation
import SchemaTestSupport
import Testing

/// The JSON Schemas of docs/events/schemas: they load, every `$ref` resolves, and the
/// examples of docs/events.md validate against their event type's message schema.
@Suite struct SchemaFilesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let schemaFolder = root.appendingPathComponent("docs/events/schemas")

    @Test func everySchemaLoads() throws {
        let validator = try JSONSchemaValidator(folder: Self.schemaFolder)
        #expect(validator.ids.count >= 40)
    }

    /// The examples of docs/events.md: a `json` block after `<!-- event: Type -->` is an
    /// `event_message` of that type, after `<!-- envelope -->` a whole request body.
    static func examples() throws -> [(type: String, value: JSONValue)] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/events.md"), encoding: .utf8)
        var examples: [(String, JSONValue)] = []
        let lines = text.components(separatedBy: "\n")
        var index = 0
        while index < lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            var kind: String?
            if line.hasPrefix("<!-- event: ") && line.hasSuffix("-->") {
                kind = String(line.dropFirst("<!-- event: ".count).dropLast(3)).trimmingCharacters(in: .whitespaces)
            } else if line == "<!-- envelope -->" {
                kind = "envelope"
            }
            guard let kind, index + 1 < lines.count, lines[index + 1].hasPrefix("```json") else {
                index += 1
                continue
            }
            var body: [String] = []
            index += 2
            while index < lines.count, !lines[index].hasPrefix("```") {
                body.append(lines[index])
                index += 1
            }
            examples.append((kind, try JSONValue.parse(Data(body.joined(separator: "\n").utf8))))
        }
        return examples
    }

    @Test func everyExampleOfTheContractValidates() throws {
        let validator = try JSONSchemaValidator(folder: Self.schemaFolder)
        let envelope = try #require(validator.ids.first { $0.hasSuffix("/envelope.json") })
        let examples = try Self.examples()
        #expect(Set(examples.map(\.type)).isSuperset(of: EventType.allCases.map(\.rawValue)))
        for (type, value) in examples {
            let body: JSONValue =
                type == "envelope"
                ? value
                : [
                    "engine": "DWS", "engine_version": "15.18", "instance_id": "i-1",
                    "events": [["event_ts": 1_764_037_800_123, "event_type": .string(type), "event_message": value]],
                ]
            let problems = try validator.validate(body, against: envelope)
            #expect(problems.isEmpty, "\(type): \(problems)")
        }
    }

    @Test func anUndocumentedFieldFails() throws {
        let validator = try JSONSchemaValidator(folder: Self.schemaFolder)
        let envelope = try #require(validator.ids.first { $0.hasSuffix("/envelope.json") })
        let (type, message) = try #require(try Self.examples().first { $0.type == "CreateTableEvent" })
        guard case .object(var members) = message, case .object(var table) = members["table"] else {
            Issue.record("the CreateTableEvent example is not an object")
            return
        }
        table["surprise"] = "x"
        members["table"] = .object(table)
        let body: JSONValue = [
            "engine": "DWS", "engine_version": "15.18", "instance_id": "i-1",
            "events": [["event_ts": 1, "event_type": .string(type), "event_message": .object(members)]],
        ]
        #expect(!(try validator.validate(body, against: envelope)).isEmpty)
        // And a DWS request without instance_id.
        let missing: JSONValue = ["engine": "DWS", "engine_version": "15.18", "events": []]
        #expect(!(try validator.validate(missing, against: envelope)).isEmpty)
    }
}
