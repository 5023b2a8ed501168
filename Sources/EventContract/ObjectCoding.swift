import Foundation
import SchemaDiff
import SchemaModel

/// The objects of docs/events.md section 4, both ways: model value to JSON, and back.
/// Each object's two directions sit side by side, so a field's path is written twice in
/// one place; the replay-law test proves them inverse.
struct ObjectCoding {
    /// The catalog's name: every object's `catName`.
    var catalog: String
    /// Whether the source has a schema level (PostgreSQL): `schemaName` and `*_schema` are sent.
    var hasSchemas: Bool

    struct DecodingError: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Helpers

    static func put(_ object: inout [String: JSONValue], _ key: String, _ value: String?) {
        if let value { object[key] = .string(value) }
    }

    static func put(_ object: inout [String: JSONValue], _ key: String, _ value: Int64?) {
        if let value { object[key] = .int(value) }
    }

    static func put(_ object: inout [String: JSONValue], _ key: String, _ value: Bool?) {
        if let value { object[key] = .bool(value) }
    }

    static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

    static func stringMap(_ map: [String: String]) -> JSONValue { .object(map.mapValues { .string($0) }) }

    /// `["a","b"]` with no spaces: a list inside a string map.
    static func listText(_ values: [String]) -> String { JSONValue.array(values.map { .string($0) }).serialized }

    static func listFromText(_ text: String?) throws -> [String] {
        guard let text, !text.isEmpty else { return [] }
        guard let list = try JSONValue.parse(Data(text.utf8)).array else {
            throw DecodingError(description: "not a list: \(text)")
        }
        return list.compactMap(\.string)
    }

    static func string(_ value: JSONValue?, _ what: String) throws -> String {
        guard let text = value?.string else { throw DecodingError(description: "missing \(what)") }
        return text
    }

    static func bool(_ value: JSONValue?, _ what: String) throws -> Bool {
        guard let flag = value?.bool else { throw DecodingError(description: "missing \(what)") }
        return flag
    }

    static func stringList(_ value: JSONValue?) -> [String] { value?.array?.compactMap(\.string) ?? [] }

    /// The string map without its reserved keys: the model's `options`.
    static func options(_ parameters: [String: JSONValue]?, reserved: Set<String>) -> [String: String] {
        var options: [String: String] = [:]
        for (key, value) in parameters ?? [:] where !reserved.contains(key) { options[key] = value.string ?? "" }
        return options
    }

    func placement(
        _ object: inout [String: JSONValue], dbKey: String, schemaKey: String, database: String, schema: String
    ) {
        object["catName"] = .string(catalog)
        object[dbKey] = .string(database)
        if hasSchemas { object[schemaKey] = .string(schema) }
    }

    // MARK: CAT

    static func cat(_ header: CatalogHeader) -> JSONValue {
        [
            "name": .string(header.name), "locationUri": .string(header.location),
            "parameters": ["kind": .string(header.kind.rawValue), "serverVersion": .string(header.serverVersion)],
        ]
    }

    static func catHeader(_ value: JSONValue?) throws -> CatalogHeader {
        let parameters = value?["parameters"]
        let catalog = Catalog(
            name: try string(value?["name"], "CAT.name"),
            kind: SourceKind(rawValue: try string(parameters?["kind"], "CAT.parameters.kind")),
            serverVersion: try string(parameters?["serverVersion"], "CAT.parameters.serverVersion"),
            location: try string(value?["locationUri"], "CAT.locationUri"))
        return CatalogHeader(catalog)
    }

    // MARK: DB

    static let databaseReserved: Set<String> = ["encoding", "collation", "ctype"]

    func db(_ database: Database) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(database.name), "catalogName": .string(catalog), "ownerType": "USER",
        ]
        Self.put(&object, "description", database.comment)
        Self.put(&object, "ownerName", database.owner)
        Self.put(&object, "objectId", database.objectId)
        var parameters = database.options
        parameters["encoding"] = database.encoding
        parameters["collation"] = database.collation
        parameters["ctype"] = database.ctype
        object["parameters"] = Self.stringMap(parameters)
        return .object(object)
    }

    static func database(_ value: JSONValue?) throws -> Database {
        let parameters = value?["parameters"]?.object
        return Database(
            name: try string(value?["name"], "DB.name"), objectId: value?["objectId"]?.int,
            owner: value?["ownerName"]?.string, comment: value?["description"]?.string,
            encoding: parameters?["encoding"]?.string, collation: parameters?["collation"]?.string,
            ctype: parameters?["ctype"]?.string, options: options(parameters, reserved: databaseReserved))
    }

    // MARK: SCH

    func sch(_ schema: Schema, database: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(schema.name), "dbName": .string(database), "catName": .string(catalog),
            "ownerType": "USER", "parameters": [:],
        ]
        Self.put(&object, "description", schema.comment)
        Self.put(&object, "ownerName", schema.owner)
        Self.put(&object, "objectId", schema.objectId)
        return .object(object)
    }

    static func schema(_ value: JSONValue?) throws -> Schema {
        Schema(
            name: try string(value?["name"], "SCH.name"), objectId: value?["objectId"]?.int,
            owner: value?["ownerName"]?.string, comment: value?["description"]?.string)
    }

    // MARK: FS

    static func fs(_ column: Column) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(column.name), "type": .string(column.type), "position": .int(Int64(column.position)),
            "nullable": .bool(column.nullable),
        ]
        put(&object, "comment", column.comment)
        put(&object, "objectId", column.objectId)
        put(&object, "defaultValue", column.defaultValue)
        put(&object, "identity", column.identity?.rawValue)
        if let generated = column.generated {
            object["generated"] = .string(generated.expression)
            object["generatedStored"] = .bool(generated.stored)
        }
        put(&object, "collation", column.collation)
        put(&object, "charset", column.charset)
        put(&object, "onUpdate", column.onUpdate)
        if let invisible = column.invisible { object["invisible"] = .bool(invisible) }
        return .object(object)
    }

    static func column(_ value: JSONValue?) throws -> Column {
        guard let value, let position = value["position"]?.int else {
            throw DecodingError(description: "FS without position")
        }
        var column = Column(
            name: try string(value["name"], "FS.name"), position: Int(position), objectId: value["objectId"]?.int,
            type: try string(value["type"], "FS.type"), nullable: try bool(value["nullable"], "FS.nullable"),
            defaultValue: value["defaultValue"]?.string, identity: value["identity"]?.string.map(IdentityKind.init),
            collation: value["collation"]?.string, charset: value["charset"]?.string,
            onUpdate: value["onUpdate"]?.string,
            invisible: value["invisible"]?.bool, comment: value["comment"]?.string)
        if let expression = value["generated"]?.string {
            column.generated = GeneratedColumn(expression: expression, stored: value["generatedStored"]?.bool ?? true)
        }
        return column
    }

    // MARK: TBL

    static let tableReserved: Set<String> = [
        "comment", "partitionStrategy", "partitionKey", "checkOption", "definer", "securityType",
    ]

    func tbl(_ placed: PlacedRelation) -> JSONValue {
        let relation = placed.relation
        var object: [String: JSONValue] = [
            "tableName": .string(relation.name), "ownerType": "USER",
            "tableType": .string(Self.tableType(relation.kind)),
            "sd": ["cols": .array(relation.columns.map(Self.fs))],
            "partitionKeys": .array(Self.partitionKeyColumns(relation).map(Self.fs)),
            "checkConstraints": .array(relation.checkConstraints.map { check($0, placed.reference) }),
            "exclusionConstraints": .array(relation.exclusionConstraints.map(Self.exclusion)),
        ]
        placement(&object, dbKey: "dbName", schemaKey: "schemaName", database: placed.database, schema: placed.schema)
        Self.put(&object, "owner", relation.owner)
        Self.put(&object, "objectId", relation.objectId)
        var parameters = relation.options
        parameters["comment"] = relation.comment
        parameters["partitionStrategy"] = relation.partitioning?.strategy.rawValue
        parameters["partitionKey"] = relation.partitioning?.key
        if let view = relation.view {
            object["viewOriginalText"] = .string(view.definition)
            object["viewExpandedText"] = .string(view.definition)
            parameters["checkOption"] = view.checkOption
            parameters["definer"] = view.definer
            parameters["securityType"] = view.securityType
        }
        object["parameters"] = Self.stringMap(parameters)
        return .object(object)
    }

    /// The relation of a TBL, and where it is (`schemaName` absent: the database's implicit schema).
    static func relation(_ value: JSONValue?) throws -> PlacedRelation {
        guard let value else { throw DecodingError(description: "missing TBL") }
        let parameters = value["parameters"]?.object
        let database = try string(value["dbName"], "TBL.dbName")
        let strategy = parameters?["partitionStrategy"]?.string
        var relation = Relation(
            name: try string(value["tableName"], "TBL.tableName"),
            kind: relationKind(try string(value["tableType"], "TBL.tableType"), partitioned: strategy != nil),
            objectId: value["objectId"]?.int, owner: value["owner"]?.string,
            comment: parameters?["comment"]?.string,
            columns: try (value["sd"]?["cols"]?.array ?? []).map(column),
            checkConstraints: try (value["checkConstraints"]?.array ?? []).map(check),
            exclusionConstraints: try (value["exclusionConstraints"]?.array ?? []).map(exclusion),
            options: options(parameters, reserved: tableReserved))
        if let strategy, let key = parameters?["partitionKey"]?.string {
            relation.partitioning = Partitioning(strategy: PartitionStrategy(rawValue: strategy), key: key)
        }
        if let definition = value["viewOriginalText"]?.string {
            relation.view = ViewDefinition(
                definition: definition, checkOption: parameters?["checkOption"]?.string,
                definer: parameters?["definer"]?.string, securityType: parameters?["securityType"]?.string)
        }
        return PlacedRelation(
            database: database, schema: value["schemaName"]?.string ?? database, relation: relation)
    }

    static func tableType(_ kind: RelationKind) -> String {
        switch kind {
        case .table, .partitionedTable: "MANAGED_TABLE"
        case .view: "VIRTUAL_VIEW"
        case .materializedView: "MATERIALIZED_VIEW"
        case .foreignTable: "EXTERNAL_TABLE"
        default: kind.rawValue
        }
    }

    static func relationKind(_ tableType: String, partitioned: Bool) -> RelationKind {
        switch tableType {
        case "MANAGED_TABLE": partitioned ? .partitionedTable : .table
        case "VIRTUAL_VIEW": .view
        case "MATERIALIZED_VIEW": .materializedView
        case "EXTERNAL_TABLE": .foreignTable
        default: RelationKind(rawValue: tableType)
        }
    }

    /// The columns of a partition key's column list that are plain columns, in key order.
    static func partitionKeyColumns(_ relation: Relation) -> [Column] {
        guard let key = relation.partitioning?.key, let open = key.firstIndex(of: "("),
            let close = key.lastIndex(of: ")"),
            open < close
        else { return [] }
        return key[key.index(after: open)..<close].split(separator: ",").compactMap { part in
            var name = part.trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 {
                name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
            } else if name.hasPrefix("`") && name.hasSuffix("`") && name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            return relation.columns.first { $0.name == name }
        }
    }

    // MARK: CHECK and EXCLUDE

    func check(_ check: CheckConstraint, _ reference: TableReference) -> JSONValue {
        var object: [String: JSONValue] = [
            "table_name": .string(reference.table), "check_expression": .string(check.expression),
            "dc_name": .string(check.name), "enable_cstr": .bool(check.enforced ?? true),
            "validate_cstr": .bool(check.validated),
            "rely_cstr": false, "columns": Self.strings(check.columns), "noInherit": .bool(check.noInherit),
        ]
        placement(
            &object, dbKey: "table_db", schemaKey: "table_schema", database: reference.database,
            schema: reference.schema)
        if check.columns.count == 1 { object["column_name"] = .string(check.columns[0]) }
        Self.put(&object, "objectId", check.objectId)
        Self.put(&object, "comment", check.comment)
        return .object(object)
    }

    static func check(_ value: JSONValue) throws -> CheckConstraint {
        CheckConstraint(
            name: try string(value["dc_name"], "dc_name"), objectId: value["objectId"]?.int,
            expression: try string(value["check_expression"], "check_expression"),
            columns: stringList(value["columns"]),
            validated: value["validate_cstr"]?.bool ?? true, noInherit: value["noInherit"]?.bool ?? false,
            enforced: enforced(value["enable_cstr"]), comment: value["comment"]?.string)
    }

    static func exclusion(_ constraint: ExclusionConstraint) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(constraint.name), "definition": .string(constraint.definition),
            "deferrable": .bool(constraint.deferrable), "initiallyDeferred": .bool(constraint.initiallyDeferred),
        ]
        put(&object, "objectId", constraint.objectId)
        put(&object, "comment", constraint.comment)
        return .object(object)
    }

    static func exclusion(_ value: JSONValue) throws -> ExclusionConstraint {
        ExclusionConstraint(
            name: try string(value["name"], "EXCL.name"), objectId: value["objectId"]?.int,
            definition: try string(value["definition"], "EXCL.definition"),
            deferrable: value["deferrable"]?.bool ?? false,
            initiallyDeferred: value["initiallyDeferred"]?.bool ?? false,
            comment: value["comment"]?.string)
    }

    // MARK: PART

    static let partitionReserved: Set<String> = ["owner", "comment", "partitionStrategy", "partitionKey"]

    func part(_ partition: Partition, of table: String, database: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "values": [.string(partition.bound)], "dbName": .string(database), "tableName": .string(table),
            "catName": .string(catalog), "sd": ["cols": []], "partitionName": .string(partition.name),
        ]
        Self.put(&object, "schemaName", partition.schemaName)
        Self.put(&object, "objectId", partition.objectId)
        var parameters = partition.options
        parameters["owner"] = partition.owner
        parameters["comment"] = partition.comment
        parameters["partitionStrategy"] = partition.partitioning?.strategy.rawValue
        parameters["partitionKey"] = partition.partitioning?.key
        object["parameters"] = Self.stringMap(parameters)
        if !partition.subpartitions.isEmpty {
            object["subpartitions"] = .array(
                partition.subpartitions.map { part($0, of: partition.name, database: database) })
        }
        return .object(object)
    }

    static func partition(_ value: JSONValue) throws -> Partition {
        let parameters = value["parameters"]?.object
        var partition = Partition(
            name: try string(value["partitionName"], "PART.partitionName"), schemaName: value["schemaName"]?.string,
            objectId: value["objectId"]?.int, bound: value["values"]?.array?.first?.string ?? "",
            owner: parameters?["owner"]?.string, comment: parameters?["comment"]?.string,
            subpartitions: try (value["subpartitions"]?.array ?? []).map(partition),
            options: options(parameters, reserved: partitionReserved))
        if let strategy = parameters?["partitionStrategy"]?.string, let key = parameters?["partitionKey"]?.string {
            partition.partitioning = Partitioning(strategy: PartitionStrategy(rawValue: strategy), key: key)
        }
        return partition
    }

    // MARK: IDX

    static let indexReserved: Set<String> = [
        "unique", "nullsNotDistinct", "predicate", "include", "definition", "comment",
    ]

    func idx(_ index: Index, _ reference: TableReference) -> JSONValue {
        var object: [String: JSONValue] = [
            "indexName": .string(index.name), "indexHandlerClass": .string(index.method.rawValue),
            "origTableName": .string(reference.table), "deferredRebuild": false,
            "sd": ["cols": .array(index.columns.compactMap(\.column).map { ["name": .string($0)] })],
            "columns": .array(index.columns.map(Self.indexColumn)),
        ]
        placement(
            &object, dbKey: "dbName", schemaKey: "schemaName", database: reference.database, schema: reference.schema)
        Self.put(&object, "objectId", index.objectId)
        var parameters = index.options
        parameters["unique"] = index.unique ? "true" : "false"
        parameters["nullsNotDistinct"] = index.nullsNotDistinct ? "true" : "false"
        parameters["predicate"] = index.predicate
        if !index.include.isEmpty { parameters["include"] = Self.listText(index.include) }
        parameters["definition"] = index.definition
        parameters["comment"] = index.comment
        object["parameters"] = Self.stringMap(parameters)
        return .object(object)
    }

    static func indexColumn(_ part: IndexColumn) -> JSONValue {
        var object: [String: JSONValue] = ["descending": .bool(part.descending)]
        put(&object, "column", part.column)
        put(&object, "expression", part.expression)
        if let nullsFirst = part.nullsFirst { object["nullsFirst"] = .bool(nullsFirst) }
        put(&object, "opclass", part.opclass)
        put(&object, "collation", part.collation)
        put(&object, "prefixLength", part.prefixLength.map(Int64.init))
        return .object(object)
    }

    static func index(_ value: JSONValue?) throws -> Index {
        guard let value else { throw DecodingError(description: "missing IDX") }
        let parameters = value["parameters"]?.object
        return Index(
            name: try string(value["indexName"], "IDX.indexName"), objectId: value["objectId"]?.int,
            method: IndexMethod(rawValue: try string(value["indexHandlerClass"], "IDX.indexHandlerClass")),
            unique: parameters?["unique"]?.string == "true",
            columns: (value["columns"]?.array ?? []).map { part in
                IndexColumn(
                    column: part["column"]?.string, expression: part["expression"]?.string,
                    descending: part["descending"]?.bool ?? false, nullsFirst: part["nullsFirst"]?.bool,
                    opclass: part["opclass"]?.string, collation: part["collation"]?.string,
                    prefixLength: part["prefixLength"]?.int.map(Int.init))
            },
            include: try listFromText(parameters?["include"]?.string), predicate: parameters?["predicate"]?.string,
            nullsNotDistinct: parameters?["nullsNotDistinct"]?.string == "true",
            definition: parameters?["definition"]?.string ?? "", comment: parameters?["comment"]?.string,
            options: options(parameters, reserved: indexReserved))
    }

    // MARK: TRG

    func trg(_ trigger: Trigger, _ reference: TableReference) -> JSONValue {
        var object: [String: JSONValue] = [
            "triggerName": .string(trigger.name), "tableName": .string(reference.table),
            "timing": .string(trigger.timing.rawValue), "events": Self.strings(trigger.events.map(\.rawValue)),
            "level": .string(trigger.level.rawValue), "enabled": .bool(trigger.state.firesNormally),
            "definition": .string(trigger.definition), "state": .string(trigger.state.rawValue),
            "updateColumns": Self.strings(trigger.updateColumns), "isConstraint": .bool(trigger.isConstraint),
            "options": Self.stringMap(trigger.options),
        ]
        placement(
            &object, dbKey: "dbName", schemaKey: "schemaName", database: reference.database, schema: reference.schema)
        Self.put(&object, "functionName", trigger.function)
        Self.put(&object, "objectId", trigger.objectId)
        Self.put(&object, "comment", trigger.comment)
        return .object(object)
    }

    static func trigger(_ value: JSONValue?) throws -> Trigger {
        guard let value else { throw DecodingError(description: "missing TRG") }
        return Trigger(
            name: try string(value["triggerName"], "TRG.triggerName"), objectId: value["objectId"]?.int,
            timing: TriggerTiming(rawValue: try string(value["timing"], "TRG.timing")),
            events: stringList(value["events"]).map(TriggerEvent.init),
            updateColumns: stringList(value["updateColumns"]),
            level: TriggerLevel(rawValue: try string(value["level"], "TRG.level")),
            state: TriggerState(rawValue: try string(value["state"], "TRG.state")),
            function: value["functionName"]?.string,
            isConstraint: value["isConstraint"]?.bool ?? false,
            definition: try string(value["definition"], "TRG.definition"),
            comment: value["comment"]?.string, options: (value["options"]?.object ?? [:]).compactMapValues(\.string))
    }

    // MARK: FN

    static let routineReserved: Set<String> = [
        "kind", "arguments", "returns", "definitionHash", "volatility", "security", "comment",
    ]

    func fn(_ routine: Routine, database: String, schema: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "functionName": .string(routine.name), "className": .string(routine.language), "ownerType": "USER",
            "resourceUris": [],
        ]
        placement(&object, dbKey: "dbName", schemaKey: "schemaName", database: database, schema: schema)
        Self.put(&object, "ownerName", routine.owner)
        Self.put(&object, "objectId", routine.objectId)
        var parameters = routine.options
        parameters["kind"] = routine.kind.rawValue
        parameters["arguments"] = routine.arguments
        parameters["returns"] = routine.returns
        parameters["definitionHash"] = routine.bodyHash
        parameters["volatility"] = routine.volatility
        parameters["security"] = routine.security
        parameters["comment"] = routine.comment
        object["parameters"] = Self.stringMap(parameters)
        return .object(object)
    }

    static func routine(_ value: JSONValue?) throws -> (database: String, schema: String?, routine: Routine) {
        guard let value else { throw DecodingError(description: "missing FN") }
        let parameters = value["parameters"]?.object
        let routine = Routine(
            name: try string(value["functionName"], "FN.functionName"), objectId: value["objectId"]?.int,
            kind: RoutineKind(rawValue: try string(parameters?["kind"], "FN.parameters.kind")),
            arguments: parameters?["arguments"]?.string ?? "", returns: parameters?["returns"]?.string,
            language: try string(value["className"], "FN.className"), owner: value["ownerName"]?.string,
            comment: parameters?["comment"]?.string, bodyHash: parameters?["definitionHash"]?.string ?? "",
            volatility: parameters?["volatility"]?.string, security: parameters?["security"]?.string,
            options: options(parameters, reserved: routineReserved))
        return (try string(value["dbName"], "FN.dbName"), value["schemaName"]?.string, routine)
    }

    // MARK: Keys

    func keyRows(_ key: KeyConstraint, _ reference: TableReference, nameKey: String) -> JSONValue {
        .array(
            key.columns.enumerated().map { index, column in
                var row: [String: JSONValue] = [
                    "table_name": .string(reference.table), "column_name": .string(column),
                    "key_seq": .int(Int64(index + 1)), nameKey: .string(key.name), "enable_cstr": true,
                    "validate_cstr": true, "rely_cstr": false, "include": Self.strings(key.include),
                    "nullsNotDistinct": .bool(key.nullsNotDistinct), "deferrable": .bool(key.deferrable),
                    "initiallyDeferred": .bool(key.initiallyDeferred),
                ]
                placement(
                    &row, dbKey: "table_db", schemaKey: "table_schema", database: reference.database,
                    schema: reference.schema)
                Self.put(&row, "objectId", key.objectId)
                Self.put(&row, "comment", key.comment)
                Self.put(&row, "withoutOverlaps", key.withoutOverlaps)
                return .object(row)
            })
    }

    /// `enable_cstr`: false for a constraint that is not enforced (PostgreSQL 18), which the
    /// model records as `enforced: false`; an enforced one records nothing.
    static func enforced(_ value: JSONValue?) -> Bool? {
        value?.bool == false ? false : nil
    }

    static func key(_ rows: JSONValue?, nameKey: String) throws -> (table: TableReference, key: KeyConstraint) {
        let rows = (rows?.array ?? []).sorted { ($0["key_seq"]?.int ?? 0) < ($1["key_seq"]?.int ?? 0) }
        guard let first = rows.first else { throw DecodingError(description: "a key without rows") }
        let key = KeyConstraint(
            name: try string(first[nameKey], nameKey), objectId: first["objectId"]?.int,
            columns: try rows.map { try string($0["column_name"], "column_name") },
            include: stringList(first["include"]),
            nullsNotDistinct: first["nullsNotDistinct"]?.bool ?? false,
            withoutOverlaps: first["withoutOverlaps"]?.bool == true ? true : nil,
            deferrable: first["deferrable"]?.bool ?? false,
            initiallyDeferred: first["initiallyDeferred"]?.bool ?? false, comment: first["comment"]?.string)
        return (try tableReference(first, db: "table_db", schema: "table_schema", table: "table_name"), key)
    }

    func foreignKeyRows(_ key: ForeignKey, _ reference: TableReference, primaryKeyName: String) -> JSONValue {
        .array(
            key.columns.enumerated().map { index, column in
                var row: [String: JSONValue] = [
                    "catName": .string(catalog),
                    "pktable_db": .string(key.referencedDatabase ?? reference.database),
                    "pktable_name": .string(key.referencedTable),
                    "pkcolumn_name": .string(index < key.referencedColumns.count ? key.referencedColumns[index] : ""),
                    "fktable_db": .string(reference.database), "fktable_name": .string(reference.table),
                    "fkcolumn_name": .string(column), "key_seq": .int(Int64(index + 1)),
                    "update_rule": .int(Int64(key.onUpdate.jdbcCode)),
                    "delete_rule": .int(Int64(key.onDelete.jdbcCode)),
                    "fk_name": .string(key.name), "pk_name": .string(primaryKeyName),
                    "enable_cstr": .bool(key.enforced ?? true),
                    "validate_cstr": .bool(key.validated), "rely_cstr": false, "deferrable": .bool(key.deferrable),
                    "initiallyDeferred": .bool(key.initiallyDeferred), "matchType": .string(key.matchType.rawValue),
                    "onDeleteColumns": Self.strings(key.onDeleteColumns),
                ]
                if hasSchemas {
                    row["fktable_schema"] = .string(reference.schema)
                    Self.put(&row, "pktable_schema", key.referencedSchema)
                }
                Self.put(&row, "objectId", key.objectId)
                Self.put(&row, "comment", key.comment)
                Self.put(&row, "period", key.period)
                return .object(row)
            })
    }

    /// JDBC rule codes back to actions (section 4.13).
    static func action(_ code: Int64?) -> ReferentialAction {
        switch code {
        case 0: .cascade
        case 1: .restrict
        case 2: .setNull
        case 4: .setDefault
        default: .noAction
        }
    }

    static func foreignKey(_ rows: JSONValue?) throws -> (table: TableReference, key: ForeignKey) {
        let rows = (rows?.array ?? []).sorted { ($0["key_seq"]?.int ?? 0) < ($1["key_seq"]?.int ?? 0) }
        guard let first = rows.first else { throw DecodingError(description: "a foreign key without rows") }
        let table = try tableReference(first, db: "fktable_db", schema: "fktable_schema", table: "fktable_name")
        let referencedDatabase = try string(first["pktable_db"], "pktable_db")
        let key = ForeignKey(
            name: try string(first["fk_name"], "fk_name"), objectId: first["objectId"]?.int,
            columns: try rows.map { try string($0["fkcolumn_name"], "fkcolumn_name") },
            referencedDatabase: referencedDatabase == table.database ? nil : referencedDatabase,
            referencedSchema: first["pktable_schema"]?.string,
            referencedTable: try string(first["pktable_name"], "pktable_name"),
            referencedColumns: try rows.map { try string($0["pkcolumn_name"], "pkcolumn_name") },
            onUpdate: action(first["update_rule"]?.int), onDelete: action(first["delete_rule"]?.int),
            onDeleteColumns: stringList(first["onDeleteColumns"]),
            matchType: MatchType(rawValue: first["matchType"]?.string ?? "SIMPLE"),
            deferrable: first["deferrable"]?.bool ?? false,
            initiallyDeferred: first["initiallyDeferred"]?.bool ?? false,
            validated: first["validate_cstr"]?.bool ?? true, enforced: enforced(first["enable_cstr"]),
            period: first["period"]?.bool == true ? true : nil, comment: first["comment"]?.string)
        return (table, key)
    }

    func notNullRow(_ constraint: NotNullConstraint, _ reference: TableReference) -> JSONValue {
        var row: [String: JSONValue] = [
            "table_name": .string(reference.table), "column_name": .string(constraint.column),
            "nn_name": .string(constraint.name), "enable_cstr": true, "validate_cstr": .bool(constraint.validated),
            "rely_cstr": false, "noInherit": .bool(constraint.noInherit),
        ]
        Self.put(&row, "objectId", constraint.objectId)
        placement(
            &row, dbKey: "table_db", schemaKey: "table_schema", database: reference.database, schema: reference.schema)
        return .array([.object(row)])
    }

    /// A NOT NULL constraint from its `SQLNotNullConstraint` row.
    static func notNull(_ row: JSONValue) throws -> (table: TableReference, constraint: NotNullConstraint) {
        let reference = try tableReference(row, db: "table_db", schema: "table_schema", table: "table_name")
        let constraint = NotNullConstraint(
            column: try string(row["column_name"], "column_name"), name: try string(row["nn_name"], "nn_name"),
            objectId: row["objectId"]?.int, validated: row["validate_cstr"]?.bool ?? true,
            noInherit: row["noInherit"]?.bool ?? false)
        return (reference, constraint)
    }

    // MARK: TBLREF

    func tblref(_ reference: TableReference) -> JSONValue {
        var object: [String: JSONValue] = ["tableName": .string(reference.table)]
        placement(
            &object, dbKey: "dbName", schemaKey: "schemaName", database: reference.database, schema: reference.schema)
        return .object(object)
    }

    /// A table reference from an object's placement fields (no schema: the database's implicit one).
    static func tableReference(_ value: JSONValue?, db: String, schema: String, table: String) throws -> TableReference
    {
        let database = try string(value?[db], db)
        return TableReference(
            database: database, schema: value?[schema]?.string ?? database, table: try string(value?[table], table))
    }
}
