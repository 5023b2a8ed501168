import Foundation
public import SchemaDiff

/// The formats of `schemasync diff`.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// A readable report grouped by database, schema and table.
    case text
    /// The same, as Markdown for a pull-request comment.
    case markdown
    /// The changes as a JSON array.
    case json
}

/// Renders a list of schema changes for people (text, Markdown) or programs (JSON).
public enum ChangeReporter {
    /// The report. `colour` adds ANSI colours to text (only on a terminal).
    public static func render(_ changes: [SchemaChange], format: ReportFormat, colour: Bool = false) -> String {
        let records = changes.map { ChangeRecord($0, wholeObjects: format == .json) }
        switch format {
        case .text: return text(records, colour: colour)
        case .markdown: return markdown(records)
        case .json: return json(records)
        }
    }

    /// One line with the counts: `5 changes: 2 created, 1 renamed, 1 altered, 1 dropped`.
    public static func summary(_ records: [ChangeRecord]) -> String {
        guard !records.isEmpty else { return "No changes." }
        var counts: [String: Int] = [:]
        for record in records { counts[record.action, default: 0] += 1 }
        let parts = [("create", "created"), ("rename", "renamed"), ("alter", "altered"), ("drop", "dropped")]
            .compactMap { key, word in counts[key].map { "\($0) \(word)" } }
        let destructive = counts["drop"].map { " (\($0) destructive)" } ?? ""
        return "\(records.count) change\(records.count == 1 ? "" : "s"): " + parts.joined(separator: ", ") + destructive
    }

    // MARK: Text

    static func symbol(_ action: String) -> String {
        switch action {
        case "create": "+"
        case "drop": "-"
        case "rename": "→"
        default: "~"
        }
    }

    /// Records grouped for reading: by database, schema and table (a table's own change
    /// first in its group), in change order within a group.
    static func grouped(_ records: [ChangeRecord]) -> [ChangeRecord] {
        records.enumerated().sorted { a, b in
            let left = (a.element.database ?? "", a.element.schema ?? "", a.element.groupTable ?? "")
            let right = (b.element.database ?? "", b.element.schema ?? "", b.element.groupTable ?? "")
            if left != right { return left < right }
            if a.element.isTableLevel != b.element.isTableLevel { return a.element.isTableLevel }
            return a.offset < b.offset
        }.map(\.element)
    }

    static func text(_ records: [ChangeRecord], colour: Bool) -> String {
        func paint(_ text: String, _ action: String) -> String {
            guard colour else { return text }
            let code =
                switch action {
                case "create": "32"
                case "drop": "31"
                case "rename": "36"
                default: "33"
                }
            return "\u{1B}[\(code)m\(text)\u{1B}[0m"
        }
        func describe(_ record: ChangeRecord, indent: String) -> [String] {
            var line = "\(indent)\(symbol(record.action)) \(record.objectType) "
            switch record.action {
            case "create": line += record.newName ?? ""
            case "drop": line += (record.oldName ?? "") + "   [destructive]"
            case "rename": line += "\(record.oldName ?? "") → \(record.newName ?? "")"
            default: line += record.newName ?? ""
            }
            var lines = [paint(line, record.action)]
            for difference in record.differences where !(record.action == "rename" && difference.property == "name") {
                lines.append("\(indent)    \(difference.property): \(difference.old) → \(difference.new)")
            }
            return lines
        }
        var lines: [String] = []
        var lastContainer: [String?]? = nil
        var lastTable: String?? = nil
        for record in grouped(records) {
            let container = [record.database, record.schema]
            if container != lastContainer {
                var heading: [String] = []
                if let database = record.database { heading.append("database \(database)") }
                if let schema = record.schema { heading.append("schema \(schema)") }
                if !heading.isEmpty { lines.append(heading.joined(separator: " › ")) }
                lastContainer = container
                lastTable = nil
            }
            let base = record.database == nil ? "" : "  "
            guard let table = record.groupTable else {
                lines += describe(record, indent: base)
                continue
            }
            if lastTable != .some(table) {
                lastTable = .some(table)
                if record.isTableLevel {
                    lines += describe(record, indent: base)
                    continue
                }
                lines.append("\(base)table \(table)")
            }
            lines += describe(record, indent: base + "    ")
        }
        lines.append(summary(records))
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Markdown

    static func markdown(_ records: [ChangeRecord]) -> String {
        var lines = ["### Schema changes", "", summary(records)]
        guard !records.isEmpty else { return lines.joined(separator: "\n") + "\n" }
        lines += ["", "| | object | where | details |", "|---|---|---|---|"]
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        for record in grouped(records) {
            let place = [record.database, record.schema, record.table].compactMap { $0 }.joined(separator: ".")
            var name = record.newName ?? record.oldName ?? ""
            if record.action == "rename" { name = "\(record.oldName ?? "") → \(record.newName ?? "")" }
            var details = record.differences.map { "`\($0.property)`: \($0.old) → \($0.new)" }.joined(separator: "; ")
            if record.isDestructive { details = "**destructive**" }
            lines.append(
                "| \(symbol(record.action)) | \(record.objectType) `\(cell(name))` | \(cell(place)) | \(cell(details)) |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: JSON

    static func json(_ records: [ChangeRecord]) -> String {
        let objects: [[String: Any]] = records.map { record in
            var object: [String: Any] = [
                "action": record.action, "objectType": record.objectType, "destructive": record.isDestructive,
            ]
            if let value = record.database { object["database"] = value }
            if let value = record.schema { object["schema"] = value }
            if let value = record.table { object["table"] = value }
            if let value = record.oldName { object["oldName"] = value }
            if let value = record.newName { object["newName"] = value }
            if let value = record.old { object["old"] = value }
            if let value = record.new { object["new"] = value }
            return object
        }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: objects, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "[]\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
