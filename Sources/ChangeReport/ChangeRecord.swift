import Foundation
public import SchemaDiff
import SchemaModel

/// One change in report form: what, where, and its old and new values as JSON objects.
public struct ChangeRecord {
    /// `create`, `alter`, `rename` or `drop`.
    public var action: String
    /// The kind of object: `catalog`, `database`, `schema`, `routine`, `table`, `view`, `column`, ….
    public var objectType: String
    /// The database the change belongs to.
    public var database: String?
    /// The schema the change belongs to.
    public var schema: String?
    /// The table the change belongs to (for the parts of a table).
    public var table: String?
    /// The object's name before the change.
    public var oldName: String?
    /// The object's name after the change.
    public var newName: String?
    /// The properties that differ, for an alter: name, old value, new value (compact JSON).
    public var differences: [(property: String, old: String, new: String)]
    /// The whole object before the change, as a JSON value.
    public var old: Any?
    /// The whole object after the change, as a JSON value.
    public var new: Any?

    /// Whether this is a change of a relation itself (a table, view, …), not of one of its parts.
    public var isTableLevel: Bool = false

    /// The table whose group the change is shown in: the table of a part, or the relation itself.
    public var groupTable: String? { table ?? (isTableLevel ? newName ?? oldName : nil) }

    /// Whether the change loses something: every drop.
    public var isDestructive: Bool { action == "drop" }

    /// The record of a schema change.
    ///
    /// `wholeObjects` false leaves `old` and `new` out of creates and drops (the text and
    /// Markdown reports do not print them, and encoding each object is what makes a first
    /// report of a large catalog slow); alters always compare their values.
    public init(_ change: SchemaChange, wholeObjects: Bool = true) {
        switch change {
        case .catalog(let c):
            self.init(c, type: "catalog", name: { $0.name }, json: Self.json(header:), values: wholeObjects)
        case .database(let c):
            self.init(c, type: "database", name: \.name, json: Self.json, values: wholeObjects)
        case .schema(let database, let c):
            self.init(c, type: "schema", name: \.name, json: Self.json, values: wholeObjects)
            self.database = database
        case .routine(let database, let schema, let c):
            self.init(
                c, type: (c.new ?? c.old)!.kind.rawValue.lowercased(), name: \.signature, json: Self.json,
                values: wholeObjects)
            self.database = database
            self.schema = schema
        case .relation(let c):
            let relation = (c.new ?? c.old)!
            self.init(
                c, type: Self.typeName(relation.relation.kind), name: { $0.relation.name },
                json: { Self.json($0.relation) }, values: wholeObjects)
            database = relation.database
            schema = c.new?.schema ?? c.old?.schema
            isTableLevel = true
            // Its columns change through their own records.
            differences.removeAll { $0.property == "columns" || $0.property.hasPrefix("columns[") }
            if case .alter(let old, let new) = c, old.schema != new.schema {
                differences.insert(("schema", old.schema, new.schema), at: 0)
                action = "rename"
            }
        case .column(let reference, let c):
            self.init(c, type: "column", name: \.name, json: Self.json, values: wholeObjects, in: reference)
        case .notNull(let reference, let c):
            self.init(
                c, type: "not null", name: \.column, json: Self.json(notNull:), values: wholeObjects, in: reference)
        case .primaryKey(let reference, let c):
            self.init(c, type: "primary key", name: \.name, json: Self.json, values: wholeObjects, in: reference)
        case .unique(let reference, let c):
            self.init(c, type: "unique", name: \.name, json: Self.json, values: wholeObjects, in: reference)
        case .foreignKey(let reference, let c):
            self.init(c, type: "foreign key", name: \.name, json: Self.json, values: wholeObjects, in: reference)
        case .index(let reference, let c):
            self.init(c, type: "index", name: \.name, json: Self.json, values: wholeObjects, in: reference)
        case .partition(let reference, let c):
            self.init(c, type: "partition", name: \.name, json: Self.json, values: wholeObjects, in: reference)
        case .trigger(let reference, let c):
            self.init(c, type: "trigger", name: \.name, json: Self.json, values: wholeObjects, in: reference)
        }
    }

    private init<T>(
        _ change: Change<T>, type: String, name: (T) -> String, json: (T) -> Any, values: Bool,
        in reference: TableReference? = nil
    ) {
        objectType = type
        differences = []
        database = reference?.database
        schema = reference?.schema
        table = reference?.table
        switch change {
        case .create(let value):
            action = "create"
            newName = name(value)
            if values { new = json(value) }
        case .drop(let value):
            action = "drop"
            oldName = name(value)
            if values { old = json(value) }
        case .alter(let before, let after):
            oldName = name(before)
            newName = name(after)
            old = json(before)
            new = json(after)
            action = oldName != newName ? "rename" : "alter"
            differences = Self.differences(old, new)
        }
    }

    /// The record as a JSON object: what `--format json` writes for it.
    var jsonObject: [String: Any] {
        var object: [String: Any] = ["action": action, "objectType": objectType, "destructive": isDestructive]
        if let database { object["database"] = database }
        if let schema { object["schema"] = schema }
        if let table { object["table"] = table }
        if let oldName { object["oldName"] = oldName }
        if let newName { object["newName"] = newName }
        if let old { object["old"] = old }
        if let new { object["new"] = new }
        return object
    }

    static func typeName(_ kind: RelationKind) -> String {
        kind == .partitionedTable ? "partitioned table" : kind.rawValue
    }

    // MARK: JSON values

    static func json<T: Encodable>(_ value: T) -> Any {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let object = try? JSONSerialization.jsonObject(with: data) else {
            return NSNull()
        }
        return object
    }

    /// A NOT NULL constraint: its column and name, and where the server keeps a record of its
    /// own (PostgreSQL 18) that record's identity, validity and `NO INHERIT`.
    static func json(notNull constraint: NotNullConstraint) -> Any {
        var object: [String: Any] = ["column": constraint.column, "name": constraint.name]
        if let objectId = constraint.objectId {
            object["objectId"] = objectId
            object["validated"] = constraint.validated
            object["noInherit"] = constraint.noInherit
        }
        return object
    }

    static func json(header: CatalogHeader) -> Any {
        [
            "name": header.name, "kind": header.kind.rawValue, "serverVersion": header.serverVersion,
            "location": header.location,
        ]
    }

    /// Compact JSON text of a value (`"text"`, `42`, `["a","b"]`).
    static func text(_ value: Any?) -> String {
        guard let value, !(value is NSNull) else { return "—" }
        if let string = value as? String { return string }
        guard JSONSerialization.isValidJSONObject([value]),
            let data = try? JSONSerialization.data(
                withJSONObject: [value], options: [.sortedKeys, .withoutEscapingSlashes])
        else { return String(describing: value) }
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }

    /// The properties that differ between two JSON objects, sorted by name. Lists of named
    /// objects (constraints, index parts) are compared element by element:
    /// `checkConstraints[orders_check].expression: (a > 0) → (b > 0)`.
    static func differences(_ old: Any?, _ new: Any?) -> [(property: String, old: String, new: String)] {
        guard let old = old as? [String: Any], let new = new as? [String: Any] else { return [] }
        var result: [(String, String, String)] = []
        for key in Set(old.keys).union(new.keys).sorted() where key != "position" {
            let before = old[key]
            let after = new[key]
            guard text(before) != text(after) else { continue }
            if let elements = namedElements(before, after) {
                for (name, oldElement, newElement) in elements {
                    switch (oldElement, newElement) {
                    case (nil, _): result.append(("\(key)[\(name)]", "—", "added"))
                    case (_, nil): result.append(("\(key)[\(name)]", "present", "removed"))
                    default:
                        for (property, was, now) in differences(oldElement, newElement) {
                            result.append(("\(key)[\(name)].\(property)", was, now))
                        }
                    }
                }
            } else {
                result.append((key, text(before), text(after)))
            }
        }
        if result.isEmpty, let before = old["position"], let after = new["position"], text(before) != text(after) {
            result.append(("position", text(before), text(after)))
        }
        return result
    }

    /// Two lists of objects that all have a `name`, paired by name; nil for other values.
    private static func namedElements(_ old: Any?, _ new: Any?) -> [(String, Any?, Any?)]? {
        guard let old = (old ?? [Any]()) as? [[String: Any]], let new = (new ?? [Any]()) as? [[String: Any]],
            !(old.isEmpty && new.isEmpty)
        else { return nil }
        let oldNames = old.compactMap { $0["name"] as? String }
        let newNames = new.compactMap { $0["name"] as? String }
        guard oldNames.count == old.count, newNames.count == new.count else { return nil }
        var names = oldNames
        for name in newNames where !names.contains(name) { names.append(name) }
        return names.map { name in
            (name, old.first { $0["name"] as? String == name }, new.first { $0["name"] as? String == name })
        }
    }
}
