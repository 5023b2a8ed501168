/// Builds the `CREATE INDEX` text that `pg_get_indexdef` prints, from the structured
/// `pg_index` columns plus, for a partial index, the server's text of its predicate (which
/// the definition embeds verbatim).
///
/// It is used where that is exact: key parts that are columns, opclasses that are the
/// column type's default or a non-default one in `pg_catalog`, no opclass parameters,
/// collations equal to the columns', no storage parameters, the default tablespace. The
/// server prints every other index whole (`DatabaseReader.IndexPrinting`), expression
/// indexes included: whether an expression's opclass or collation is printed depends on its
/// type and collation, which the catalog does not hold. (The builder can write expression
/// parts given their text; its unit tests keep that exact for when the capture can use it.)
///
/// Calling `pg_get_indexdef` for every index is what makes catalog reading slow on large
/// databases (a syscache round per index and per column); this keeps it to the indexes
/// that need it. A test compares both over the fixture.
struct IndexDefinitionInput {
    var indexName: String
    var schemaName: String
    var tableName: String
    /// The table is partitioned: the server writes `ON ONLY`.
    var onPartitionedTable: Bool
    var method: String
    var unique: Bool
    var nullsNotDistinct: Bool
    /// Key and INCLUDE parts, in `indkey` order: a column name, or an expression part's text.
    var parts: [IndexPart]
    var keyCount: Int
    /// `indoption` per key column (bit 0: DESC, bit 1: NULLS FIRST).
    var options: [Int64]
    /// Per key column: an opclass name to print (non-default), or nil.
    var printedOpclasses: [String?]
    /// A partial index's predicate as `pg_get_expr` prints it.
    var predicate: String?
}

/// One part of an index: a column (quoted when written) or an expression (written as is).
enum IndexPart {
    case column(String)
    case expression(String)
}

enum IndexDefinition {
    static func build(_ input: IndexDefinitionInput, quoting: IdentifierQuoting) -> String {
        var text = input.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX "
        text += quoting.quote(input.indexName)
        text += input.onPartitionedTable ? " ON ONLY " : " ON "
        text += quoting.qualified(input.schemaName, input.tableName)
        text += " USING " + quoting.quote(input.method) + " ("
        for (position, part) in input.parts.enumerated() {
            if position == input.keyCount {
                text += ") INCLUDE ("
            } else if position > 0 {
                text += ", "
            }
            switch part {
            case .column(let name): text += quoting.quote(name)
            case .expression(let expression): text += expression
            }
            guard position < input.keyCount else { continue }
            if let opclass = input.printedOpclasses[position] { text += " " + quoting.quote(opclass) }
            let option = input.options.indices.contains(position) ? input.options[position] : 0
            let descending = option & 1 != 0
            let nullsFirst = option & 2 != 0
            if descending {
                text += nullsFirst ? " DESC" : " DESC NULLS LAST"
            } else if nullsFirst {
                text += " NULLS FIRST"
            }
        }
        text += ")"
        if input.nullsNotDistinct { text += " NULLS NOT DISTINCT" }
        if let predicate = input.predicate { text += " WHERE " + predicate }
        return text
    }
}
