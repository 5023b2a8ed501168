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
    /// The report, written in chunks of about 64 KiB to `output` as it is produced. JSON is
    /// streamed record by record: one change's record at a time, never the whole document.
    /// Text and Markdown group the changes first (their small records, without whole objects),
    /// then stream their lines. `colour` adds ANSI colours to text (only on a terminal).
    public static func write(
        _ changes: [SchemaChange], format: ReportFormat, colour: Bool = false,
        to output: @escaping ([UInt8]) throws -> Void
    ) throws {
        var writer = ReportWriter(output: output)
        switch format {
        case .text: try text(changes.map { ChangeRecord($0, wholeObjects: false) }, colour: colour, to: &writer)
        case .markdown: try markdown(changes.map { ChangeRecord($0, wholeObjects: false) }, to: &writer)
        case .json: try json(changes, to: &writer)
        }
        try writer.flush()
    }

    /// The whole report as a string (for tests and small reports): `write` collected.
    public static func render(_ changes: [SchemaChange], format: ReportFormat, colour: Bool = false) -> String {
        var bytes: [UInt8] = []
        do {
            try write(changes, format: format, colour: colour) { bytes += $0 }
        } catch {
            return String(decoding: bytes, as: UTF8.self) + "\n(the report stopped: \(error))\n"
        }
        return String(decoding: bytes, as: UTF8.self)
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

    static func text(_ records: [ChangeRecord], colour: Bool, to writer: inout ReportWriter) throws {
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
        /// The record's lines, each ending in a newline.
        func describe(_ record: ChangeRecord, indent: String) -> String {
            var line = "\(indent)\(symbol(record.action)) \(record.objectType) "
            switch record.action {
            case "create": line += record.newName ?? ""
            case "drop": line += (record.oldName ?? "") + "   [destructive]"
            case "rename": line += "\(record.oldName ?? "") → \(record.newName ?? "")"
            default: line += record.newName ?? ""
            }
            var lines = paint(line, record.action) + "\n"
            for difference in record.differences where !(record.action == "rename" && difference.property == "name") {
                lines += "\(indent)    \(difference.property): \(difference.old) → \(difference.new)\n"
            }
            return lines
        }
        var lastContainer: [String?]? = nil
        var lastTable: String?? = nil
        for record in grouped(records) {
            let container = [record.database, record.schema]
            if container != lastContainer {
                var heading: [String] = []
                if let database = record.database { heading.append("database \(database)") }
                if let schema = record.schema { heading.append("schema \(schema)") }
                if !heading.isEmpty { try writer.write(heading.joined(separator: " › ") + "\n") }
                lastContainer = container
                lastTable = nil
            }
            let base = record.database == nil ? "" : "  "
            guard let table = record.groupTable else {
                try writer.write(describe(record, indent: base))
                continue
            }
            if lastTable != .some(table) {
                lastTable = .some(table)
                if record.isTableLevel {
                    try writer.write(describe(record, indent: base))
                    continue
                }
                try writer.write("\(base)table \(table)\n")
            }
            try writer.write(describe(record, indent: base + "    "))
        }
        try writer.write(summary(records) + "\n")
    }

    // MARK: Markdown

    static func markdown(_ records: [ChangeRecord], to writer: inout ReportWriter) throws {
        try writer.write("### Schema changes\n\n\(summary(records))\n")
        guard !records.isEmpty else { return }
        try writer.write("\n| | object | where | details |\n|---|---|---|---|\n")
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        for record in grouped(records) {
            let place = [record.database, record.schema, record.table].compactMap { $0 }.joined(separator: ".")
            var name = record.newName ?? record.oldName ?? ""
            if record.action == "rename" { name = "\(record.oldName ?? "") → \(record.newName ?? "")" }
            var details = record.differences.map { "`\($0.property)`: \($0.old) → \($0.new)" }.joined(separator: "; ")
            if record.isDestructive { details = "**destructive**" }
            try writer.write(
                "| \(symbol(record.action)) | \(record.objectType) `\(cell(name))` | \(cell(place)) | \(cell(details)) |\n"
            )
        }
    }

    // MARK: JSON

    /// The changes as a pretty-printed JSON array, one record made and written at a time.
    static func json(_ changes: [SchemaChange], to writer: inout ReportWriter) throws {
        try writer.write("[\n")
        for (index, change) in changes.enumerated() {
            try writer.write(index == 0 ? "  " : ",\n  ")
            try writer.json(ChangeRecord(change).jsonObject, indent: 2)
        }
        try writer.write("\n]\n")
    }
}
