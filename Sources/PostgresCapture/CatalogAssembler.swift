import Foundation
import SchemaCapture
import SchemaModel

/// Builds the model of one database from the rows of the bulk queries. Pure: no I/O.
struct CatalogAssembler {
    typealias RelationRow = DatabaseReader.RelationRow
    typealias ColumnRow = DatabaseReader.ColumnRow
    typealias CommentKey = DatabaseReader.CommentKey
    typealias TypeKey = DatabaseReader.TypeKey
    typealias OID = CatalogQueries.CatalogOID

    let options: CaptureOptions
    let quoting: IdentifierQuoting
    let schemas: [Int64: (name: String, owner: String)]
    let relations: [Int64: RelationRow]
    let parents: [Int64: [(parent: Int64, seq: Int64)]]
    let columns: [Int64: [ColumnRow]]
    let typeNames: [TypeKey: String]
    let collations: [Int64: String]
    let opclasses: [Int64: DatabaseReader.Opclass]
    let comments: [CommentKey: String]
    let isExtensionMember: (Int64, Int64) -> Bool

    init(
        options: CaptureOptions, quoting: IdentifierQuoting, schemas: [Int64: (name: String, owner: String)],
        relations: [Int64: RelationRow], parents: [Int64: [(parent: Int64, seq: Int64)]], columns: [Int64: [ColumnRow]],
        typeNames: [TypeKey: String], collations: [Int64: String], opclasses: [Int64: DatabaseReader.Opclass],
        comments: [CommentKey: String], isExtensionMember: @escaping (Int64, Int64) -> Bool
    ) {
        self.options = options
        self.quoting = quoting
        self.schemas = schemas
        self.relations = relations
        self.parents = parents
        self.columns = columns
        self.typeNames = typeNames
        self.collations = collations
        self.opclasses = opclasses
        self.comments = comments
        self.isExtensionMember = isExtensionMember
        var children: [Int64: [Int64]] = [:]
        for (child, links) in parents where relations[child]?.isPartition == true {
            if let link = links.first { children[link.parent, default: []].append(child) }
        }
        partitionsByParent = children.mapValues { $0.sorted() }
    }

    func comment(_ classOID: Int64, _ oid: Int64, _ sub: Int64 = 0) -> String? {
        comments[CommentKey(classOID: classOID, objectOID: oid, subID: sub)]
    }

    func assemble(
        constraints: PGResultTable, indexes: PGResultTable,
        serverIndexText: [Int64: DatabaseReader.ServerIndexText],
        triggers: PGResultTable, routines: PGResultTable
    ) -> [Schema] {
        // Which relations are kept: not partitions (they go under their parent), not
        // extension members, in a kept schema, and matching the filter.
        var kept: [Int64: Relation] = [:]
        for row in relations.values where !row.isPartition {
            guard let schema = schemas[row.namespace], !isExtensionMember(OID.pgClass, row.oid),
                options.filter.keeps(schema: schema.name, name: row.name)
            else { continue }
            kept[row.oid] = relation(row)
        }

        // Key constraints first: their backing indexes are not listed as indexes.
        var indexRowsByOID: [Int64: PGRow] = [:]
        for row in indexes.rows { indexRowsByOID[row.requiredInt(0)] = row }
        var constraintIndexes = Set<Int64>()
        for row in constraints.rows {
            let relid = row.requiredInt(1)
            guard kept[relid] != nil else { continue }
            let type = row.required(3)
            if type == "p" || type == "u" || type == "x" { constraintIndexes.insert(row.requiredInt(14)) }
            addConstraint(row, type: type, to: &kept[relid]!, backing: indexRowsByOID[row.requiredInt(14)])
        }
        for row in indexes.rows {
            let oid = row.requiredInt(0)
            let relid = row.requiredInt(1)
            guard kept[relid] != nil, !constraintIndexes.contains(oid) else { continue }
            kept[relid]!.indexes.append(index(row, table: relations[relid]!, server: serverIndexText[oid]))
        }
        for row in triggers.rows {
            let relid = row.requiredInt(1)
            guard kept[relid] != nil else { continue }
            kept[relid]!.triggers.append(trigger(row, relid: relid))
        }

        var bySchema: [Int64: Schema] = [:]
        for (oid, schema) in schemas where options.filter.mayKeep(schema: schema.name) {
            bySchema[oid] = Schema(
                name: schema.name, objectId: oid, owner: schema.owner, comment: comment(OID.pgNamespace, oid))
        }
        for (oid, relation) in kept {
            bySchema[relations[oid]!.namespace]?.relations.append(relation)
        }
        for row in routines.rows {
            let oid = row.requiredInt(0)
            let namespace = row.requiredInt(1)
            guard let schema = schemas[namespace], !isExtensionMember(OID.pgProc, oid),
                options.filter.keeps(schema: schema.name, name: row.required(2))
            else { continue }
            bySchema[namespace]?.routines.append(routine(row))
        }
        return Array(bySchema.values)
    }

    // MARK: Relations and partitions

    private func relation(_ row: RelationRow) -> Relation {
        var relation = Relation(
            name: row.name, kind: relationKind(row.kind), objectId: row.oid, owner: row.owner,
            comment: comment(OID.pgClass, row.oid), columns: modelColumns(of: row.oid))
        var options = Self.keyValues(row.reloptions)
        if row.kind == "v" || row.kind == "m" {
            let checkOption = options.removeValue(forKey: "check_option")?.uppercased()
            let invoker = options["security_invoker"].map { $0 == "true" || $0 == "on" } ?? false
            relation.view = ViewDefinition(
                definition: row.viewDefinition ?? "", checkOption: checkOption, securityType: invoker ? "INVOKER" : nil)
            options.removeValue(forKey: "security_invoker")
        }
        if row.persistence == "u" { options["persistence"] = "unlogged" }
        if let tablespace = row.tablespace { options["tablespace"] = tablespace }
        if let server = row.foreignServer { options["server"] = server }
        if !row.foreignOptions.isEmpty { options["foreignOptions"] = row.foreignOptions.joined(separator: ", ") }
        let legacyParents = (parents[row.oid] ?? []).sorted { $0.seq < $1.seq }.compactMap { relations[$0.parent] }
        if !legacyParents.isEmpty {
            options["inherits"] = legacyParents.map { qualifiedName($0) }.joined(separator: ", ")
        }
        relation.options = options
        if row.kind == "p" {
            relation.partitioning = partitioning(row)
            relation.partitions = partitions(of: row.oid)
        }
        return relation
    }

    private func partitions(of parent: Int64) -> [Partition] {
        partitionsByParent[parent, default: []].compactMap { oid -> Partition? in
            guard let row = relations[oid] else { return nil }
            var options = Self.keyValues(row.reloptions)
            if let tablespace = row.tablespace { options["tablespace"] = tablespace }
            return Partition(
                name: row.name, schemaName: schemas[row.namespace]?.name, objectId: row.oid,
                bound: row.partitionBound ?? "", owner: row.owner, comment: comment(OID.pgClass, row.oid),
                partitioning: row.kind == "p" ? partitioning(row) : nil,
                subpartitions: row.kind == "p" ? partitions(of: row.oid) : [], options: options)
        }
    }

    /// Partition OIDs by their parent's OID (a partition has exactly one parent).
    let partitionsByParent: [Int64: [Int64]]

    private func partitioning(_ row: RelationRow) -> Partitioning? {
        guard let key = row.partitionKey else { return nil }
        let strategy = key.split(separator: " ", maxSplits: 1).first.map(String.init) ?? key
        return Partitioning(strategy: PartitionStrategy(rawValue: strategy), key: key)
    }

    private func relationKind(_ kind: Character) -> RelationKind {
        switch kind {
        case "p": .partitionedTable
        case "v": .view
        case "m": .materializedView
        case "f": .foreignTable
        default: .table
        }
    }

    private func qualifiedName(_ row: RelationRow) -> String {
        quoting.qualified(schemas[row.namespace]?.name ?? "", row.name)
    }

    // MARK: Columns

    private func modelColumns(of relid: Int64) -> [Column] {
        let rows = (columns[relid] ?? []).sorted { $0.attnum < $1.attnum }
        return rows.enumerated().map { position, row in
            var column = Column(
                name: row.name, position: position + 1, objectId: row.attnum,
                type: typeNames[TypeKey(oid: row.typeOID, typmod: row.typmod)] ?? "",
                nullable: !row.notNull, comment: comment(OID.pgClass, relid, row.attnum))
            if row.generated.isEmpty {
                column.defaultValue = row.defaultValue
            } else {
                column.generated = GeneratedColumn(expression: row.defaultValue ?? "", stored: row.generated == "s")
            }
            switch row.identity {
            case "a": column.identity = .always
            case "d": column.identity = .byDefault
            default: break
            }
            if row.collation != 0 && row.collation != row.typeCollation { column.collation = collations[row.collation] }
            return column
        }
    }

    private func columnNames(_ relid: Int64, _ attnums: [Int64]) -> [String] {
        let rows = columns[relid] ?? []
        return attnums.map { attnum in rows.first { $0.attnum == attnum }?.name ?? "" }
    }

    // MARK: Constraints

    private func addConstraint(_ row: PGRow, type: String, to relation: inout Relation, backing: PGRow?) {
        let oid = row.requiredInt(0)
        let relid = row.requiredInt(1)
        let name = row.required(2)
        let deferrable = row.bool(4)
        let deferred = row.bool(5)
        let keyColumns = columnNames(relid, row.integers(8))
        let note = comment(OID.pgConstraint, oid)
        switch type {
        case "p", "u":
            var include: [String] = []
            var nullsNotDistinct = false
            if let backing {
                let keys = backing.integers(6)
                let keyCount = Int(backing.requiredInt(5))
                include = columnNames(relid, Array(keys.dropFirst(keyCount)))
                nullsNotDistinct = backing.bool(14)
            }
            let key = KeyConstraint(
                name: name, objectId: oid, columns: keyColumns, include: include, nullsNotDistinct: nullsNotDistinct,
                withoutOverlaps: row.bool(18) ? true : nil, deferrable: deferrable, initiallyDeferred: deferred,
                comment: note)
            if type == "p" { relation.primaryKey = key } else { relation.uniqueConstraints.append(key) }
        case "f":
            let referenced = row.requiredInt(9)
            let target = relations[referenced]
            relation.foreignKeys.append(
                ForeignKey(
                    name: name, objectId: oid, columns: keyColumns,
                    referencedSchema: target.flatMap { schemas[$0.namespace]?.name },
                    referencedTable: target?.name ?? "",
                    referencedColumns: columnNames(referenced, row.integers(10)),
                    onUpdate: Self.action(row.required(11)), onDelete: Self.action(row.required(12)),
                    onDeleteColumns: columnNames(relid, row.integers(16)),
                    matchType: Self.match(row.required(13)), deferrable: deferrable, initiallyDeferred: deferred,
                    validated: row.bool(6), enforced: row.bool(17) ? nil : false, period: row.bool(18) ? true : nil,
                    comment: note))
        case "c":
            relation.checkConstraints.append(
                CheckConstraint(
                    name: name, objectId: oid, expression: row.required(15), columns: keyColumns,
                    validated: row.bool(6), noInherit: row.bool(7), enforced: row.bool(17) ? nil : false,
                    comment: note))
        case "n":
            // PostgreSQL 18: the NOT NULL constraint of one column, with its own name.
            guard let attnum = row.integers(8).first,
                let index = relation.columns.firstIndex(where: { $0.objectId == attnum && !$0.nullable })
            else { break }
            relation.columns[index].notNullConstraint = NotNullConstraintInfo(
                name: name, objectId: oid, validated: row.bool(6), noInherit: row.bool(7))
        case "x":
            relation.exclusionConstraints.append(
                ExclusionConstraint(
                    name: name, objectId: oid, definition: row.required(15), deferrable: deferrable,
                    initiallyDeferred: deferred, comment: note))
        default:
            break
        }
    }

    static func action(_ code: String) -> ReferentialAction {
        switch code {
        case "c": .cascade
        case "r": .restrict
        case "n": .setNull
        case "d": .setDefault
        default: .noAction
        }
    }

    static func match(_ code: String) -> MatchType {
        switch code {
        case "f": .full
        case "p": .partial
        default: .simple
        }
    }

    // MARK: Indexes

    private func index(_ row: PGRow, table: RelationRow, server: DatabaseReader.ServerIndexText?) -> Index {
        let oid = row.requiredInt(0)
        let relid = row.requiredInt(1)
        let method = row.required(3)
        let keyCount = Int(row.requiredInt(5))
        let keys = row.integers(6)
        let indexOptions = row.integers(7)
        let classes = row.integers(8)
        let indexCollations = row.integers(9)
        let tableColumns = columns[relid] ?? []

        var parts: [IndexColumn] = []
        var printedOpclasses: [String?] = []
        for position in 0..<min(keyCount, keys.count) {
            let column = keys[position] == 0 ? nil : tableColumns.first { $0.attnum == keys[position] }
            var part = IndexColumn(column: column?.name)
            if column == nil, let expressions = server?.expressions, expressions.indices.contains(position) {
                part.expression = expressions[position]
            }
            let option = indexOptions.indices.contains(position) ? indexOptions[position] : 0
            part.descending = option & 1 != 0
            if method == "btree" { part.nullsFirst = option & 2 != 0 }
            let opclass = classes.indices.contains(position) ? opclasses[classes[position]] : nil
            if let opclass, !opclass.isDefault { part.opclass = opclass.name }
            printedOpclasses.append(part.opclass)
            let collation = indexCollations.indices.contains(position) ? indexCollations[position] : 0
            if collation != 0, let column, collation != column.collation { part.collation = collations[collation] }
            parts.append(part)
        }
        let include = columnNames(relid, Array(keys.dropFirst(keyCount)))

        var options = Self.keyValues(row.array(12))
        if let tablespace = row.string(17) { options["tablespace"] = tablespace }
        let definition =
            server?.definition
            ?? IndexDefinition.build(
                IndexDefinitionInput(
                    indexName: row.required(2), schemaName: schemas[table.namespace]?.name ?? "", tableName: table.name,
                    onPartitionedTable: row.required(15) == "p", method: method, unique: row.bool(4),
                    nullsNotDistinct: row.bool(14),
                    parts: keys.enumerated().map { position, key in
                        if key == 0 {
                            return .expression(parts.indices.contains(position) ? parts[position].expression ?? "" : "")
                        }
                        return .column(tableColumns.first { $0.attnum == key }?.name ?? "")
                    },
                    keyCount: keyCount, options: indexOptions, printedOpclasses: printedOpclasses,
                    predicate: server?.predicate),
                quoting: quoting)
        return Index(
            name: row.required(2), objectId: oid, method: IndexMethod(rawValue: method), unique: row.bool(4),
            columns: parts, include: include, predicate: server?.predicate, nullsNotDistinct: row.bool(14),
            definition: definition, comment: comment(OID.pgClass, oid), options: options)
    }

    // MARK: Triggers

    private func trigger(_ row: PGRow, relid: Int64) -> Trigger {
        let type = row.requiredInt(3)
        var events: [TriggerEvent] = []
        if type & 4 != 0 { events.append(.insert) }
        if type & 16 != 0 { events.append(.update) }
        if type & 8 != 0 { events.append(.delete) }
        if type & 32 != 0 { events.append(.truncate) }
        let timing: TriggerTiming = type & 64 != 0 ? .insteadOf : (type & 2 != 0 ? .before : .after)
        let state: TriggerState =
            switch row.required(4) {
            case "D": .disabled
            case "R": .replica
            case "A": .always
            default: .enabled
            }
        return Trigger(
            name: row.required(2), objectId: row.requiredInt(0), timing: timing, events: events,
            updateColumns: columnNames(relid, row.integers(7)), level: type & 1 != 0 ? .row : .statement,
            state: state, function: row.required(5) + "." + row.required(6), isConstraint: row.bool(8),
            definition: row.required(9), comment: comment(OID.pgTrigger, row.requiredInt(0)))
    }

    // MARK: Routines

    private func routine(_ row: PGRow) -> Routine {
        let oid = row.requiredInt(0)
        let kind: RoutineKind =
            switch row.required(3) {
            case "p": .procedure
            case "a": .aggregate
            case "w": .window
            default: .function
            }
        let volatility =
            switch row.required(8) {
            case "i": "IMMUTABLE"
            case "s": "STABLE"
            default: "VOLATILE"
            }
        var options: [String: String] = [:]
        if row.bool(10) { options["strict"] = "true" }
        let config = row.array(11)
        if !config.isEmpty { options["config"] = config.joined(separator: ", ") }
        // The full argument list where it says more than the identity (defaults, OUT arguments).
        if let full = row.string(13), full != row.required(4) { options["fullArguments"] = full }
        switch row.required(14) {
        case "s": options["parallel"] = "SAFE"
        case "r": options["parallel"] = "RESTRICTED"
        default: break
        }
        if row.bool(15) { options["leakproof"] = "true" }
        // COST where it is not the default (1 for C and internal functions, 100 for the others).
        let defaultCost = ["c", "internal"].contains(row.required(6)) ? "1" : "100"
        if row.required(16) != defaultCost { options["cost"] = row.required(16) }
        if let rows = row.string(17), rows != "0" { options["rows"] = rows }
        return Routine(
            name: row.required(2), objectId: oid, kind: kind, arguments: row.required(4), returns: row.string(5),
            language: row.required(6), owner: row.string(7), comment: comment(OID.pgProc, oid),
            bodyHash: row.required(12),
            volatility: kind == .procedure ? nil : volatility, security: row.bool(9) ? "DEFINER" : "INVOKER",
            options: options)
    }

    // MARK: Helpers

    /// `{fillfactor=70,autovacuum_enabled=false}` elements → a dictionary.
    static func keyValues(_ elements: [String]) -> [String: String] {
        var result: [String: String] = [:]
        for element in elements {
            let parts = element.split(separator: "=", maxSplits: 1)
            result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return result
    }
}
