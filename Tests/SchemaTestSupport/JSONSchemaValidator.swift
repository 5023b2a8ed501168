public import EventContract
public import Foundation

/// A JSON Schema (draft 2020-12) validator for the keywords the project's schemas use:
/// type, const, enum, properties, required, additionalProperties, items, minItems, maxItems,
/// minLength, minimum, maximum, pattern, maxProperties, dependentRequired, allOf, oneOf,
/// not, if/then/else, $ref (relative to the schema's `$id`, with `#/$defs/…` fragments).
/// An unknown keyword is an error, so a schema cannot silently check less than it says.
public struct JSONSchemaValidator: Sendable {
    /// Every schema file, by its `$id`.
    private var schemas: [String: JSONValue] = [:]

    /// Loads every `*.json` below `folder`.
    public init(folder: URL) throws {
        let files =
            FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        for file in files {
            let schema = try JSONValue.parse(try Data(contentsOf: file))
            guard let id = schema["$id"]?.string else { throw ValidationError(path: file.path, message: "no $id") }
            schemas[id] = schema
        }
    }

    /// The `$id` of every schema loaded.
    public var ids: [String] { schemas.keys.sorted() }

    /// A schema that cannot be used.
    public struct ValidationError: Error, CustomStringConvertible {
        var path: String
        var message: String
        /// Where, and what is wrong.
        public var description: String { "\(path): \(message)" }
    }

    /// The problems of `value` against the schema with this `$id` (empty when it is valid).
    public func validate(_ value: JSONValue, against id: String) throws -> [String] {
        guard let schema = schemas[id] else { throw ValidationError(path: id, message: "no such schema") }
        var problems: [String] = []
        try check(value, schema, base: id, path: "$", problems: &problems)
        return problems
    }

    private static let known: Set<String> = [
        "$schema", "$id", "$defs", "title", "description", "type", "const", "enum", "properties", "required",
        "additionalProperties", "items", "minItems", "maxItems", "minLength", "minimum", "maximum", "pattern",
        "maxProperties", "dependentRequired", "allOf", "oneOf", "anyOf", "not", "if", "then", "else", "$ref",
        "examples", "default", "$comment",
    ]

    private func resolve(_ reference: String, base: String) throws -> (JSONValue, String) {
        let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let file = String(parts[0])
        let fragment = parts.count > 1 ? String(parts[1]) : ""
        let id = file.isEmpty ? base : URL(string: file, relativeTo: URL(string: base))!.absoluteURL.absoluteString
        guard var target = schemas[id] else {
            throw ValidationError(path: reference, message: "unresolved $ref from \(base)")
        }
        for key in fragment.split(separator: "/") where !key.isEmpty {
            guard let next = target[String(key)] else {
                throw ValidationError(path: reference, message: "no \(key) in \(id)")
            }
            target = next
        }
        return (target, id)
    }

    private func check(_ value: JSONValue, _ schema: JSONValue, base: String, path: String, problems: inout [String])
        throws
    {
        if case .bool(let allowed) = schema {
            if !allowed { problems.append("\(path): not allowed") }
            return
        }
        guard let keywords = schema.object else {
            throw ValidationError(path: path, message: "schema is not an object")
        }
        for key in keywords.keys where !Self.known.contains(key) {
            throw ValidationError(path: path, message: "unsupported keyword \(key) in \(base)")
        }
        if let reference = keywords["$ref"]?.string {
            let (target, id) = try resolve(reference, base: base)
            try check(value, target, base: id, path: path, problems: &problems)
        }
        if let type = keywords["type"] {
            let types = type.array?.compactMap(\.string) ?? [type.string ?? ""]
            if !types.contains(where: { Self.matches(value, type: $0) }) {
                problems.append(
                    "\(path): expected \(types.joined(separator: " or ")), got \(value.serialized.prefix(60))")
                return
            }
        }
        if let constant = keywords["const"], !Self.equal(constant, value) {
            problems.append("\(path): expected \(constant.serialized), got \(value.serialized.prefix(60))")
        }
        if let choices = keywords["enum"]?.array, !choices.contains(where: { Self.equal($0, value) }) {
            problems.append("\(path): \(value.serialized.prefix(60)) is not one of \(choices.map(\.serialized))")
        }
        if case .string(let text) = value {
            if let minimum = keywords["minLength"]?.int, text.count < minimum {
                problems.append("\(path): shorter than \(minimum)")
            }
            if let pattern = keywords["pattern"]?.string {
                let regex = try NSRegularExpression(pattern: pattern)
                if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    problems.append("\(path): does not match \(pattern)")
                }
            }
        }
        if let number = value.int {
            if let minimum = keywords["minimum"]?.int, number < minimum { problems.append("\(path): below \(minimum)") }
            if let maximum = keywords["maximum"]?.int, number > maximum { problems.append("\(path): above \(maximum)") }
        }
        if case .array(let elements) = value {
            if let minimum = keywords["minItems"]?.int, elements.count < minimum {
                problems.append("\(path): fewer than \(minimum) items")
            }
            if let maximum = keywords["maxItems"]?.int, elements.count > maximum {
                problems.append("\(path): more than \(maximum) items")
            }
            if let items = keywords["items"] {
                for (index, element) in elements.enumerated() {
                    try check(element, items, base: base, path: "\(path)[\(index)]", problems: &problems)
                }
            }
        }
        if case .object(let members) = value {
            for name in keywords["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
                problems.append("\(path): missing \(name)")
            }
            if let maximum = keywords["maxProperties"]?.int, members.count > maximum {
                problems.append("\(path): more than \(maximum) members")
            }
            for (name, needs) in keywords["dependentRequired"]?.object ?? [:] where members[name] != nil {
                for other in needs.array?.compactMap(\.string) ?? [] where members[other] == nil {
                    problems.append("\(path): \(name) needs \(other)")
                }
            }
            let properties = keywords["properties"]?.object ?? [:]
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    try check(member, property, base: base, path: "\(path).\(name)", problems: &problems)
                } else if let additional = keywords["additionalProperties"] {
                    try check(member, additional, base: base, path: "\(path).\(name)", problems: &problems)
                }
            }
        }
        for part in keywords["allOf"]?.array ?? [] {
            try check(value, part, base: base, path: path, problems: &problems)
        }
        if let choices = keywords["oneOf"]?.array {
            var passing = 0
            for choice in choices {
                var scratch: [String] = []
                try check(value, choice, base: base, path: path, problems: &scratch)
                if scratch.isEmpty { passing += 1 }
            }
            if passing != 1 { problems.append("\(path): matches \(passing) of the oneOf choices, not exactly one") }
        }
        if let choices = keywords["anyOf"]?.array {
            var any = false
            for choice in choices {
                var scratch: [String] = []
                try check(value, choice, base: base, path: path, problems: &scratch)
                if scratch.isEmpty { any = true }
            }
            if !any { problems.append("\(path): matches none of the anyOf choices") }
        }
        if let negated = keywords["not"] {
            var scratch: [String] = []
            try check(value, negated, base: base, path: path, problems: &scratch)
            if scratch.isEmpty { problems.append("\(path): matches a schema it must not") }
        }
        if let condition = keywords["if"] {
            var scratch: [String] = []
            try check(value, condition, base: base, path: path, problems: &scratch)
            if scratch.isEmpty {
                if let then = keywords["then"] { try check(value, then, base: base, path: path, problems: &problems) }
            } else if let otherwise = keywords["else"] {
                try check(value, otherwise, base: base, path: path, problems: &problems)
            }
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): true
        case ("integer", .int): true
        case ("integer", .double(let number)): number == number.rounded()
        case ("number", .int), ("number", .double): true
        default: false
        }
    }

    private static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.int, let y = b.int, a.bool == nil, b.bool == nil { return x == y }
        return a == b
    }
}

extension JSONSchemaValidator {
    /// The repository's folder (found from this file's path).
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The validator of docs/events/schemas.
    public static func eventSchemas() throws -> JSONSchemaValidator {
        try JSONSchemaValidator(folder: repositoryRoot.appendingPathComponent("docs/events/schemas"))
    }

    /// The problems of a request body (the envelope) holding these events.
    public func problems(ofEvents events: [JSONValue]) throws -> [String] {
        guard let envelope = ids.first(where: { $0.hasSuffix("/envelope.json") }) else { return ["no envelope.json"] }
        let body: JSONValue = [
            "engine": "DWS", "engine_version": "15.18", "instance_id": "i-1", "events": .array(events),
        ]
        return try validate(body, against: envelope)
    }
}
