/// Builds the `CREATE INDEX` text that `pg_get_indexdef` prints, from the structured
/// `pg_index` columns, for the indexes where that is exact: key parts that are plain
/// columns, no predicate, opclasses that are the column type's default or a non-default
/// one in `pg_catalog`, collations equal to the columns', no storage parameters and the
/// default tablespace. Every other index is printed by the server (`needsServer`).
///
/// Calling `pg_get_indexdef` for every index is what makes catalog reading slow on large
/// databases (a syscache round per index and per column); this keeps it to the few
/// indexes that need it. A test compares both over the fixture.
struct IndexDefinitionInput {
    var indexName: String
    var schemaName: String
    var tableName: String
    /// The table is partitioned: the server writes `ON ONLY`.
    var onPartitionedTable: Bool
    var method: String
    var unique: Bool
    var nullsNotDistinct: Bool
    /// Key and INCLUDE column names, in `indkey` order; nil for an expression.
    var columnNames: [String?]
    var keyCount: Int
    /// `indoption` per key column (bit 0: DESC, bit 1: NULLS FIRST).
    var options: [Int64]
    /// Per key column: an opclass name to print (non-default), or nil.
    var printedOpclasses: [String?]
}

enum IndexDefinition {
    static func build(_ input: IndexDefinitionInput, quoting: IdentifierQuoting) -> String {
        var text = input.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX "
        text += quoting.quote(input.indexName)
        text += input.onPartitionedTable ? " ON ONLY " : " ON "
        text += quoting.qualified(input.schemaName, input.tableName)
        text += " USING " + quoting.quote(input.method) + " ("
        for (position, name) in input.columnNames.enumerated() {
            if position == input.keyCount {
                text += ") INCLUDE ("
            } else if position > 0 {
                text += ", "
            }
            text += quoting.quote(name ?? "")
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
        return text
    }
}
