import Foundation
import SchemaCapture
import SchemaModel

/// Reads one database over one connection: the session settings, one read-only
/// repeatable-read transaction, the bulk queries, then assembly of the model in memory.
struct DatabaseReader {
    let connection: PGConnection
    let options: CaptureOptions

    /// One row of `CatalogQueries.relations`.
    struct RelationRow {
        var oid: Int64
        var namespace: Int64
        var name: String
        var kind: Character
        var owner: String
        var persistence: Character
        var reloptions: [String]
        var isPartition: Bool
        var tablespace: String?
        var viewDefinition: String?
        var partitionBound: String?
        var partitionKey: String?
        var foreignServer: String?
        var foreignOptions: [String]
    }

    /// One row of `CatalogQueries.columns`.
    struct ColumnRow {
        var attnum: Int64
        var name: String
        var typeOID: Int64
        var typmod: Int64
        var notNull: Bool
        var identity: String
        var generated: String
        var collation: Int64
        var typeCollation: Int64
        var defaultValue: String?
    }

    /// A column type with its modifier, as `format_type` takes them.
    struct TypeKey: Hashable {
        var oid: Int64
        var typmod: Int64
    }

    struct Opclass {
        var name: String
        var namespace: Int64
        var isDefault: Bool
        var inputType: Int64
    }

    /// The key of a comment: the catalog, the object, the sub-object (a column's attnum).
    struct CommentKey: Hashable {
        var classOID: Int64
        var objectOID: Int64
        var subID: Int64
    }

    func read() throws -> Database {
        let timeout = "'\(options.statementTimeout)s'"
        try connection.execute(
            CatalogQueries.session.replacingOccurrences(of: "%TIMEOUT%", with: timeout),
            context: "setting up the session")
        try connection.execute(CatalogQueries.begin, context: "starting the read-only transaction")
        let version = connection.serverVersionNumber

        let databaseRows = try connection.execute(
            CatalogQueries.database(serverVersion: version), context: "reading the database")
        guard let databaseRow = databaseRows.rows.first(where: { _ in true }) else {
            throw PostgresError(
                code: .protocolViolation, context: "reading the database", message: "no row for the current database",
                target: connection.target)
        }
        let quoting = IdentifierQuoting(
            reservedKeywords: Set(
                try connection.execute(CatalogQueries.keywords, context: "reading keywords").rows.map { $0.required(0) }
            ))

        var extensionMembers = Set<CommentKey>()
        for row in try connection.execute(CatalogQueries.extensionMembers, context: "reading extension members").rows {
            extensionMembers.insert(CommentKey(classOID: row.requiredInt(0), objectOID: row.requiredInt(1), subID: 0))
        }
        func isExtensionMember(_ classOID: Int64, _ oid: Int64) -> Bool {
            extensionMembers.contains(CommentKey(classOID: classOID, objectOID: oid, subID: 0))
        }

        // Schemas.
        var schemaRows: [Int64: (name: String, owner: String)] = [:]
        for row in try connection.execute(CatalogQueries.schemas, context: "reading schemas").rows {
            let oid = row.requiredInt(0)
            if isExtensionMember(CatalogQueries.CatalogOID.pgNamespace, oid) { continue }
            schemaRows[oid] = (row.required(1), row.required(2))
        }

        // Relations.
        var relations: [Int64: RelationRow] = [:]
        for row in try connection.execute(CatalogQueries.relations, context: "reading relations").rows {
            let relation = RelationRow(
                oid: row.requiredInt(0), namespace: row.requiredInt(1), name: row.required(2),
                kind: row.required(3).first ?? "r", owner: row.required(4), persistence: row.required(5).first ?? "p",
                reloptions: row.array(6), isPartition: row.bool(7), tablespace: row.string(8),
                viewDefinition: row.string(9), partitionBound: row.string(10), partitionKey: row.string(11),
                foreignServer: row.string(12), foreignOptions: row.array(13))
            relations[relation.oid] = relation
        }
        var parents: [Int64: [(parent: Int64, seq: Int64)]] = [:]
        for row in try connection.execute(CatalogQueries.inherits, context: "reading inheritance").rows {
            parents[row.requiredInt(0), default: []].append((row.requiredInt(1), row.requiredInt(2)))
        }

        // Columns, then their type names once per distinct (type, typmod).
        var columns: [Int64: [ColumnRow]] = [:]
        var typePairs = Set<TypeKey>()
        for row in try connection.execute(CatalogQueries.columns, context: "reading columns").rows {
            let column = ColumnRow(
                attnum: row.requiredInt(1), name: row.required(2), typeOID: row.requiredInt(3),
                typmod: row.requiredInt(4),
                notNull: row.bool(5), identity: row.required(6), generated: row.required(7),
                collation: row.requiredInt(8), typeCollation: row.requiredInt(9), defaultValue: row.string(10))
            columns[row.requiredInt(0), default: []].append(column)
            typePairs.insert(TypeKey(oid: column.typeOID, typmod: column.typmod))
        }
        let pairs = typePairs.sorted { ($0.oid, $0.typmod) < ($1.oid, $1.typmod) }
        var typeNames: [TypeKey: String] = [:]
        let typeRows = try connection.execute(
            CatalogQueries.typeNames,
            parameters: [
                "{" + pairs.map { String($0.oid) }.joined(separator: ",") + "}",
                "{" + pairs.map { String($0.typmod) }.joined(separator: ",") + "}",
            ],
            context: "formatting column types")
        for row in typeRows.rows {
            typeNames[TypeKey(oid: row.requiredInt(0), typmod: row.requiredInt(1))] = row.required(2)
        }

        var collations: [Int64: String] = [:]
        for row in try connection.execute(CatalogQueries.collations, context: "reading collations").rows {
            let namespace = row.required(2)
            collations[row.requiredInt(0)] =
                namespace == "pg_catalog" ? row.required(1) : namespace + "." + row.required(1)
        }
        var opclasses: [Int64: Opclass] = [:]
        for row in try connection.execute(CatalogQueries.opclasses, context: "reading operator classes").rows {
            opclasses[row.requiredInt(0)] = Opclass(
                name: row.required(1), namespace: row.requiredInt(2), isDefault: row.bool(3),
                inputType: row.requiredInt(4))
        }

        let constraintRows = try connection.execute(
            CatalogQueries.constraints(serverVersion: version), context: "reading constraints")
        let indexRows = try connection.execute(
            CatalogQueries.indexes(serverVersion: version), context: "reading indexes")

        // What the server must print of the indexes (see IndexDefinition).
        var needsParts: [Int64] = []
        var needsWhole: [Int64] = []
        for row in indexRows.rows {
            switch printing(of: row, columns: columns, opclasses: opclasses) {
            case .built: break
            case .withServerParts: needsParts.append(row.requiredInt(0))
            case .byServer:
                needsParts.append(row.requiredInt(0))
                needsWhole.append(row.requiredInt(0))
            }
        }
        var serverParts: [Int64: ServerIndexText] = [:]
        let serverRows = try connection.execute(
            CatalogQueries.serverIndexParts,
            parameters: [Self.oidArray(needsParts), Self.oidArray(needsWhole)],
            context: "printing index expressions")
        for row in serverRows.rows {
            serverParts[row.requiredInt(0)] = ServerIndexText(
                definition: row.string(1), predicate: row.string(2), expressions: row.nullableArray(3))
        }

        let triggerRows = try connection.execute(
            CatalogQueries.triggers(serverVersion: version), context: "reading triggers")
        let routineRows = try connection.execute(
            CatalogQueries.routines(serverVersion: version), context: "reading functions")

        var comments: [CommentKey: String] = [:]
        for row in try connection.execute(CatalogQueries.comments, context: "reading comments").rows {
            comments[
                CommentKey(classOID: row.requiredInt(0), objectOID: row.requiredInt(1), subID: row.requiredInt(2))] =
                row.required(3)
        }
        try connection.execute(CatalogQueries.commit, context: "ending the read-only transaction")

        // Assembly, all in memory from here.
        let assembler = CatalogAssembler(
            options: options, quoting: quoting, schemas: schemaRows, relations: relations, parents: parents,
            columns: columns, typeNames: typeNames, collations: collations, opclasses: opclasses, comments: comments,
            isExtensionMember: isExtensionMember)
        var database = Database(
            name: databaseRow.required(1), objectId: databaseRow.int(0), owner: databaseRow.string(2),
            comment: databaseRow.string(6), encoding: databaseRow.string(3), collation: databaseRow.string(4),
            ctype: databaseRow.string(5))
        database.options.merge(Self.localeOptions(databaseRow)) { _, new in new }
        database.schemas = assembler.assemble(
            constraints: constraintRows, indexes: indexRows, serverIndexText: serverParts,
            triggers: triggerRows, routines: routineRows)
        return database
    }

    /// How an index's definition is printed.
    enum IndexPrinting {
        /// Built from `pg_index` alone.
        case built
        /// Built, with the server's text of its expressions and predicate.
        case withServerParts
        /// Printed whole by the server (`pg_get_indexdef`).
        case byServer
    }

    /// What the server printed of one index.
    struct ServerIndexText {
        var definition: String?
        var predicate: String?
        /// Per key part: the expression's text, nil for a column part; empty without expressions.
        var expressions: [String?]
    }

    /// How an index row (of `CatalogQueries.indexes`) is printed.
    private func printing(of row: PGRow, columns: [Int64: [ColumnRow]], opclasses: [Int64: Opclass]) -> IndexPrinting {
        // Storage parameters, a tablespace, or operator-class parameters (`tsvector_ops (siglen=…)`).
        if !row.array(12).isEmpty || row.requiredInt(13) != 0 || row.bool(16) { return .byServer }
        let keys = row.integers(6)
        // An expression's type and collation are not in the catalog, so neither is whether its
        // opclass or collation is printed: the server prints expression indexes whole.
        if keys.prefix(Int(row.requiredInt(5))).contains(0) { return .byServer }
        let keyCount = Int(row.requiredInt(5))
        let classes = row.integers(8)
        let indexCollations = row.integers(9)
        let tableColumns = columns[row.requiredInt(1)] ?? []
        for position in 0..<min(keyCount, keys.count) {
            let collation = indexCollations.indices.contains(position) ? indexCollations[position] : 0
            guard classes.indices.contains(position), let opclass = opclasses[classes[position]] else {
                return .byServer
            }
            guard let column = tableColumns.first(where: { $0.attnum == keys[position] }) else { return .byServer }
            if collation != 0 && collation != column.collation { return .byServer }
            if opclass.isDefault && opclass.inputType != column.typeOID { return .byServer }
            if !opclass.isDefault && opclass.namespace != Self.pgCatalogNamespace { return .byServer }
        }
        return row.bool(11) ? .withServerParts : .built
    }

    /// The database's locale provider (`libc`, `icu`, 17's `builtin`; before 15 always libc),
    /// the provider's own locale (`daticulocale`, 17's `datlocale`) and 16's ICU rules.
    static func localeOptions(_ row: PGRow) -> [String: String] {
        var options: [String: String] = [:]
        switch row.string(7) {
        case "i": options["localeProvider"] = "icu"
        case "b": options["localeProvider"] = "builtin"
        default: options["localeProvider"] = "libc"
        }
        if let locale = row.string(8) { options["locale"] = locale }
        if let rules = row.string(9), !rules.isEmpty { options["icuRules"] = rules }
        return options
    }

    /// `pg_catalog`'s fixed OID.
    static let pgCatalogNamespace: Int64 = 11

    static func oidArray(_ oids: [Int64]) -> String {
        "{" + oids.map(String.init).joined(separator: ",") + "}"
    }
}
