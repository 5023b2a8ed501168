import SchemaModel

// Reading the canonical JSON of ModelJSON.swift back into the model, key by key, without
// Foundation's `JSONDecoder` (which took about 1.3 s for an 83 MB snapshot of 10,000
// tables). Keys may come in any order and unknown keys are skipped; a key whose property is
// not optional must be present and not null, and an optional one may be absent or null:
// exactly what the synthesized `Decodable` conformances accept (SnapshotCoderTests proves
// the two agree). A field added to a model type must be added here too, as in ModelJSON.swift.

extension Snapshot: JSONReadable {
    init(json r: inout JSONReader) throws {
        var formatVersion: Int?
        var toolVersion: String?
        var capturedAt: String?
        var scope: CaptureScope?
        var catalog: Catalog?
        try r.object { r, field in
            switch field {
            case "formatVersion": formatVersion = try r.int()
            case "toolVersion": toolVersion = try r.string()
            case "capturedAt": capturedAt = try r.string()
            case "scope": scope = try CaptureScope(json: &r)
            case "catalog": catalog = try Catalog(json: &r)
            default: try r.skipValue()
            }
        }
        self.init(
            formatVersion: try r.required(formatVersion, "formatVersion", of: "Snapshot"),
            toolVersion: try r.required(toolVersion, "toolVersion", of: "Snapshot"),
            capturedAt: try r.required(capturedAt, "capturedAt", of: "Snapshot"),
            scope: try r.required(scope, "scope", of: "Snapshot"),
            catalog: try r.required(catalog, "catalog", of: "Snapshot"))
    }
}

extension CaptureScope: JSONReadable {
    init(json r: inout JSONReader) throws {
        var databases: [String]?
        var include: [String]?
        var exclude: [String]?
        try r.object { r, field in
            switch field {
            case "databases": databases = try r.strings()
            case "include": include = try r.strings()
            case "exclude": exclude = try r.strings()
            default: try r.skipValue()
            }
        }
        self.init(
            databases: try r.required(databases, "databases", of: "CaptureScope"),
            include: try r.required(include, "include", of: "CaptureScope"),
            exclude: try r.required(exclude, "exclude", of: "CaptureScope"))
    }
}

extension Catalog: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var kind: SourceKind?
        var serverVersion: String?
        var location: String?
        var databases: [Database]?
        var binaryLog: BinaryLogPosition?
        var nameChanges: NameChangeLog?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "kind": kind = SourceKind(rawValue: try r.string())
            case "serverVersion": serverVersion = try r.string()
            case "location": location = try r.string()
            case "databases": databases = try r.array(of: Database.self)
            case "binaryLog": binaryLog = try r.nullable { r in try BinaryLogPosition(json: &r) }
            case "nameChanges": nameChanges = try r.nullable { r in try NameChangeLog(json: &r) }
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "Catalog"), kind: try r.required(kind, "kind", of: "Catalog"),
            serverVersion: try r.required(serverVersion, "serverVersion", of: "Catalog"),
            location: try r.required(location, "location", of: "Catalog"),
            databases: try r.required(databases, "databases", of: "Catalog"))
        self.binaryLog = binaryLog
        self.nameChanges = nameChanges
    }
}

extension Database: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var objectId: Int64?
        var owner: String?
        var comment: String?
        var encoding: String?
        var collation: String?
        var ctype: String?
        var options: [String: String]?
        var schemas: [Schema]?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "owner": owner = try r.nullable { r in try r.string() }
            case "comment": comment = try r.nullable { r in try r.string() }
            case "encoding": encoding = try r.nullable { r in try r.string() }
            case "collation": collation = try r.nullable { r in try r.string() }
            case "ctype": ctype = try r.nullable { r in try r.string() }
            case "options": options = try r.stringDictionary()
            case "schemas": schemas = try r.array(of: Schema.self)
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "Database"), objectId: objectId, owner: owner, comment: comment,
            encoding: encoding, collation: collation, ctype: ctype,
            options: try r.required(options, "options", of: "Database"),
            schemas: try r.required(schemas, "schemas", of: "Database"))
    }
}

extension Schema: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var objectId: Int64?
        var owner: String?
        var comment: String?
        var relations: [Relation]?
        var routines: [Routine]?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "owner": owner = try r.nullable { r in try r.string() }
            case "comment": comment = try r.nullable { r in try r.string() }
            case "relations": relations = try r.array(of: Relation.self)
            case "routines": routines = try r.array(of: Routine.self)
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "Schema"), objectId: objectId, owner: owner, comment: comment,
            relations: try r.required(relations, "relations", of: "Schema"),
            routines: try r.required(routines, "routines", of: "Schema"))
    }
}

extension Relation: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var kind: RelationKind?
        var objectId: Int64?
        var owner: String?
        var comment: String?
        var columns: [Column]?
        var primaryKey: KeyConstraint?
        var uniqueConstraints: [KeyConstraint]?
        var foreignKeys: [ForeignKey]?
        var checkConstraints: [CheckConstraint]?
        var exclusionConstraints: [ExclusionConstraint]?
        var indexes: [Index]?
        var triggers: [Trigger]?
        var partitioning: Partitioning?
        var partitions: [Partition]?
        var view: ViewDefinition?
        var options: [String: String]?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "kind": kind = RelationKind(rawValue: try r.string())
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "owner": owner = try r.nullable { r in try r.string() }
            case "comment": comment = try r.nullable { r in try r.string() }
            case "columns": columns = try r.array(of: Column.self)
            case "primaryKey": primaryKey = try r.nullable { r in try KeyConstraint(json: &r) }
            case "uniqueConstraints": uniqueConstraints = try r.array(of: KeyConstraint.self)
            case "foreignKeys": foreignKeys = try r.array(of: ForeignKey.self)
            case "checkConstraints": checkConstraints = try r.array(of: CheckConstraint.self)
            case "exclusionConstraints": exclusionConstraints = try r.array(of: ExclusionConstraint.self)
            case "indexes": indexes = try r.array(of: Index.self)
            case "triggers": triggers = try r.array(of: Trigger.self)
            case "partitioning": partitioning = try r.nullable { r in try Partitioning(json: &r) }
            case "partitions": partitions = try r.array(of: Partition.self)
            case "view": view = try r.nullable { r in try ViewDefinition(json: &r) }
            case "options": options = try r.stringDictionary()
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "Relation"), kind: try r.required(kind, "kind", of: "Relation"),
            objectId: objectId, owner: owner, comment: comment,
            columns: try r.required(columns, "columns", of: "Relation"), primaryKey: primaryKey,
            uniqueConstraints: try r.required(uniqueConstraints, "uniqueConstraints", of: "Relation"),
            foreignKeys: try r.required(foreignKeys, "foreignKeys", of: "Relation"),
            checkConstraints: try r.required(checkConstraints, "checkConstraints", of: "Relation"),
            exclusionConstraints: try r.required(exclusionConstraints, "exclusionConstraints", of: "Relation"),
            indexes: try r.required(indexes, "indexes", of: "Relation"),
            triggers: try r.required(triggers, "triggers", of: "Relation"), partitioning: partitioning,
            partitions: try r.required(partitions, "partitions", of: "Relation"), view: view,
            options: try r.required(options, "options", of: "Relation"))
    }
}

extension ViewDefinition: JSONReadable {
    init(json r: inout JSONReader) throws {
        var definition: String?
        var checkOption: String?
        var definer: String?
        var securityType: String?
        try r.object { r, field in
            switch field {
            case "definition": definition = try r.string()
            case "checkOption": checkOption = try r.nullable { r in try r.string() }
            case "definer": definer = try r.nullable { r in try r.string() }
            case "securityType": securityType = try r.nullable { r in try r.string() }
            default: try r.skipValue()
            }
        }
        self.init(
            definition: try r.required(definition, "definition", of: "ViewDefinition"), checkOption: checkOption,
            definer: definer, securityType: securityType)
    }
}

extension Column: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var position: Int?
        var objectId: Int64?
        var type: String?
        var nullable: Bool?
        var notNullConstraint: NotNullConstraintInfo?
        var defaultValue: String?
        var identity: IdentityKind?
        var generated: GeneratedColumn?
        var collation: String?
        var charset: String?
        var onUpdate: String?
        var invisible: Bool?
        var comment: String?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "position": position = try r.int()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "type": type = try r.string()
            case "nullable": nullable = try r.bool()
            case "notNullConstraint": notNullConstraint = try r.nullable { r in try NotNullConstraintInfo(json: &r) }
            case "defaultValue": defaultValue = try r.nullable { r in try r.string() }
            case "identity": identity = try r.nullable { r in IdentityKind(rawValue: try r.string()) }
            case "generated": generated = try r.nullable { r in try GeneratedColumn(json: &r) }
            case "collation": collation = try r.nullable { r in try r.string() }
            case "charset": charset = try r.nullable { r in try r.string() }
            case "onUpdate": onUpdate = try r.nullable { r in try r.string() }
            case "invisible": invisible = try r.nullable { r in try r.bool() }
            case "comment": comment = try r.nullable { r in try r.string() }
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "Column"),
            position: try r.required(position, "position", of: "Column"), objectId: objectId,
            type: try r.required(type, "type", of: "Column"),
            nullable: try r.required(nullable, "nullable", of: "Column"), notNullConstraint: notNullConstraint,
            defaultValue: defaultValue, identity: identity, generated: generated, collation: collation,
            charset: charset, onUpdate: onUpdate, invisible: invisible, comment: comment)
    }
}

extension GeneratedColumn: JSONReadable {
    init(json r: inout JSONReader) throws {
        var expression: String?
        var stored: Bool?
        try r.object { r, field in
            switch field {
            case "expression": expression = try r.string()
            case "stored": stored = try r.bool()
            default: try r.skipValue()
            }
        }
        self.init(
            expression: try r.required(expression, "expression", of: "GeneratedColumn"),
            stored: try r.required(stored, "stored", of: "GeneratedColumn"))
    }
}

extension Partitioning: JSONReadable {
    init(json r: inout JSONReader) throws {
        var strategy: PartitionStrategy?
        var key: String?
        try r.object { r, field in
            switch field {
            case "strategy": strategy = PartitionStrategy(rawValue: try r.string())
            case "key": key = try r.string()
            default: try r.skipValue()
            }
        }
        self.init(
            strategy: try r.required(strategy, "strategy", of: "Partitioning"),
            key: try r.required(key, "key", of: "Partitioning"))
    }
}

extension Partition: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var schemaName: String?
        var objectId: Int64?
        var bound: String?
        var owner: String?
        var comment: String?
        var partitioning: Partitioning?
        var subpartitions: [Partition]?
        var options: [String: String]?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "schemaName": schemaName = try r.nullable { r in try r.string() }
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "bound": bound = try r.string()
            case "owner": owner = try r.nullable { r in try r.string() }
            case "comment": comment = try r.nullable { r in try r.string() }
            case "partitioning": partitioning = try r.nullable { r in try Partitioning(json: &r) }
            case "subpartitions": subpartitions = try r.array(of: Partition.self)
            case "options": options = try r.stringDictionary()
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "Partition"), schemaName: schemaName, objectId: objectId,
            bound: try r.required(bound, "bound", of: "Partition"), owner: owner, comment: comment,
            partitioning: partitioning, subpartitions: try r.required(subpartitions, "subpartitions", of: "Partition"),
            options: try r.required(options, "options", of: "Partition"))
    }
}

extension KeyConstraint: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var objectId: Int64?
        var columns: [String]?
        var include: [String]?
        var nullsNotDistinct: Bool?
        var withoutOverlaps: Bool?
        var deferrable: Bool?
        var initiallyDeferred: Bool?
        var comment: String?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "columns": columns = try r.strings()
            case "include": include = try r.strings()
            case "nullsNotDistinct": nullsNotDistinct = try r.bool()
            case "withoutOverlaps": withoutOverlaps = try r.nullable { r in try r.bool() }
            case "deferrable": deferrable = try r.bool()
            case "initiallyDeferred": initiallyDeferred = try r.bool()
            case "comment": comment = try r.nullable { r in try r.string() }
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "KeyConstraint"), objectId: objectId,
            columns: try r.required(columns, "columns", of: "KeyConstraint"),
            include: try r.required(include, "include", of: "KeyConstraint"),
            nullsNotDistinct: try r.required(nullsNotDistinct, "nullsNotDistinct", of: "KeyConstraint"),
            withoutOverlaps: withoutOverlaps, deferrable: try r.required(deferrable, "deferrable", of: "KeyConstraint"),
            initiallyDeferred: try r.required(initiallyDeferred, "initiallyDeferred", of: "KeyConstraint"),
            comment: comment)
    }
}

extension ForeignKey: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var objectId: Int64?
        var columns: [String]?
        var referencedDatabase: String?
        var referencedSchema: String?
        var referencedTable: String?
        var referencedColumns: [String]?
        var onUpdate: ReferentialAction?
        var onDelete: ReferentialAction?
        var onDeleteColumns: [String]?
        var matchType: MatchType?
        var deferrable: Bool?
        var initiallyDeferred: Bool?
        var validated: Bool?
        var enforced: Bool?
        var period: Bool?
        var comment: String?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "columns": columns = try r.strings()
            case "referencedDatabase": referencedDatabase = try r.nullable { r in try r.string() }
            case "referencedSchema": referencedSchema = try r.nullable { r in try r.string() }
            case "referencedTable": referencedTable = try r.string()
            case "referencedColumns": referencedColumns = try r.strings()
            case "onUpdate": onUpdate = ReferentialAction(rawValue: try r.string())
            case "onDelete": onDelete = ReferentialAction(rawValue: try r.string())
            case "onDeleteColumns": onDeleteColumns = try r.strings()
            case "matchType": matchType = MatchType(rawValue: try r.string())
            case "deferrable": deferrable = try r.bool()
            case "initiallyDeferred": initiallyDeferred = try r.bool()
            case "validated": validated = try r.bool()
            case "enforced": enforced = try r.nullable { r in try r.bool() }
            case "period": period = try r.nullable { r in try r.bool() }
            case "comment": comment = try r.nullable { r in try r.string() }
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "ForeignKey"), objectId: objectId,
            columns: try r.required(columns, "columns", of: "ForeignKey"), referencedDatabase: referencedDatabase,
            referencedSchema: referencedSchema,
            referencedTable: try r.required(referencedTable, "referencedTable", of: "ForeignKey"),
            referencedColumns: try r.required(referencedColumns, "referencedColumns", of: "ForeignKey"),
            onUpdate: try r.required(onUpdate, "onUpdate", of: "ForeignKey"),
            onDelete: try r.required(onDelete, "onDelete", of: "ForeignKey"),
            onDeleteColumns: try r.required(onDeleteColumns, "onDeleteColumns", of: "ForeignKey"),
            matchType: try r.required(matchType, "matchType", of: "ForeignKey"),
            deferrable: try r.required(deferrable, "deferrable", of: "ForeignKey"),
            initiallyDeferred: try r.required(initiallyDeferred, "initiallyDeferred", of: "ForeignKey"),
            validated: try r.required(validated, "validated", of: "ForeignKey"), enforced: enforced, period: period,
            comment: comment)
    }
}

extension CheckConstraint: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var objectId: Int64?
        var expression: String?
        var columns: [String]?
        var validated: Bool?
        var noInherit: Bool?
        var enforced: Bool?
        var comment: String?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "expression": expression = try r.string()
            case "columns": columns = try r.strings()
            case "validated": validated = try r.bool()
            case "noInherit": noInherit = try r.bool()
            case "enforced": enforced = try r.nullable { r in try r.bool() }
            case "comment": comment = try r.nullable { r in try r.string() }
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "CheckConstraint"), objectId: objectId,
            expression: try r.required(expression, "expression", of: "CheckConstraint"),
            columns: try r.required(columns, "columns", of: "CheckConstraint"),
            validated: try r.required(validated, "validated", of: "CheckConstraint"),
            noInherit: try r.required(noInherit, "noInherit", of: "CheckConstraint"), enforced: enforced,
            comment: comment)
    }
}

extension NotNullConstraintInfo: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var objectId: Int64?
        var validated: Bool?
        var noInherit: Bool?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "validated": validated = try r.bool()
            case "noInherit": noInherit = try r.bool()
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "NotNullConstraintInfo"), objectId: objectId,
            validated: try r.required(validated, "validated", of: "NotNullConstraintInfo"),
            noInherit: try r.required(noInherit, "noInherit", of: "NotNullConstraintInfo"))
    }
}

extension ExclusionConstraint: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var objectId: Int64?
        var definition: String?
        var deferrable: Bool?
        var initiallyDeferred: Bool?
        var comment: String?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "definition": definition = try r.string()
            case "deferrable": deferrable = try r.bool()
            case "initiallyDeferred": initiallyDeferred = try r.bool()
            case "comment": comment = try r.nullable { r in try r.string() }
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "ExclusionConstraint"), objectId: objectId,
            definition: try r.required(definition, "definition", of: "ExclusionConstraint"),
            deferrable: try r.required(deferrable, "deferrable", of: "ExclusionConstraint"),
            initiallyDeferred: try r.required(initiallyDeferred, "initiallyDeferred", of: "ExclusionConstraint"),
            comment: comment)
    }
}

extension Index: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var objectId: Int64?
        var method: IndexMethod?
        var unique: Bool?
        var columns: [IndexColumn]?
        var include: [String]?
        var predicate: String?
        var nullsNotDistinct: Bool?
        var definition: String?
        var comment: String?
        var options: [String: String]?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "method": method = IndexMethod(rawValue: try r.string())
            case "unique": unique = try r.bool()
            case "columns": columns = try r.array(of: IndexColumn.self)
            case "include": include = try r.strings()
            case "predicate": predicate = try r.nullable { r in try r.string() }
            case "nullsNotDistinct": nullsNotDistinct = try r.bool()
            case "definition": definition = try r.string()
            case "comment": comment = try r.nullable { r in try r.string() }
            case "options": options = try r.stringDictionary()
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "Index"), objectId: objectId,
            method: try r.required(method, "method", of: "Index"),
            unique: try r.required(unique, "unique", of: "Index"),
            columns: try r.required(columns, "columns", of: "Index"),
            include: try r.required(include, "include", of: "Index"), predicate: predicate,
            nullsNotDistinct: try r.required(nullsNotDistinct, "nullsNotDistinct", of: "Index"),
            definition: try r.required(definition, "definition", of: "Index"), comment: comment,
            options: try r.required(options, "options", of: "Index"))
    }
}

extension IndexColumn: JSONReadable {
    init(json r: inout JSONReader) throws {
        var column: String?
        var expression: String?
        var descending: Bool?
        var nullsFirst: Bool?
        var opclass: String?
        var collation: String?
        var prefixLength: Int?
        try r.object { r, field in
            switch field {
            case "column": column = try r.nullable { r in try r.string() }
            case "expression": expression = try r.nullable { r in try r.string() }
            case "descending": descending = try r.bool()
            case "nullsFirst": nullsFirst = try r.nullable { r in try r.bool() }
            case "opclass": opclass = try r.nullable { r in try r.string() }
            case "collation": collation = try r.nullable { r in try r.string() }
            case "prefixLength": prefixLength = try r.nullable { r in try r.int() }
            default: try r.skipValue()
            }
        }
        self.init(
            column: column, expression: expression,
            descending: try r.required(descending, "descending", of: "IndexColumn"), nullsFirst: nullsFirst,
            opclass: opclass, collation: collation, prefixLength: prefixLength)
    }
}

extension Trigger: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var objectId: Int64?
        var timing: TriggerTiming?
        var events: [TriggerEvent]?
        var updateColumns: [String]?
        var level: TriggerLevel?
        var state: TriggerState?
        var function: String?
        var isConstraint: Bool?
        var definition: String?
        var comment: String?
        var options: [String: String]?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "timing": timing = TriggerTiming(rawValue: try r.string())
            case "events": events = try r.strings().map(TriggerEvent.init(rawValue:))
            case "updateColumns": updateColumns = try r.strings()
            case "level": level = TriggerLevel(rawValue: try r.string())
            case "state": state = TriggerState(rawValue: try r.string())
            case "function": function = try r.nullable { r in try r.string() }
            case "isConstraint": isConstraint = try r.bool()
            case "definition": definition = try r.string()
            case "comment": comment = try r.nullable { r in try r.string() }
            case "options": options = try r.stringDictionary()
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "Trigger"), objectId: objectId,
            timing: try r.required(timing, "timing", of: "Trigger"),
            events: try r.required(events, "events", of: "Trigger"),
            updateColumns: try r.required(updateColumns, "updateColumns", of: "Trigger"),
            level: try r.required(level, "level", of: "Trigger"), state: try r.required(state, "state", of: "Trigger"),
            function: function, isConstraint: try r.required(isConstraint, "isConstraint", of: "Trigger"),
            definition: try r.required(definition, "definition", of: "Trigger"), comment: comment,
            options: try r.required(options, "options", of: "Trigger"))
    }
}

extension Routine: JSONReadable {
    init(json r: inout JSONReader) throws {
        var name: String?
        var objectId: Int64?
        var kind: RoutineKind?
        var arguments: String?
        var returns: String?
        var language: String?
        var owner: String?
        var comment: String?
        var bodyHash: String?
        var volatility: String?
        var security: String?
        var options: [String: String]?
        try r.object { r, field in
            switch field {
            case "name": name = try r.string()
            case "objectId": objectId = try r.nullable { r in try r.int64() }
            case "kind": kind = RoutineKind(rawValue: try r.string())
            case "arguments": arguments = try r.string()
            case "returns": returns = try r.nullable { r in try r.string() }
            case "language": language = try r.string()
            case "owner": owner = try r.nullable { r in try r.string() }
            case "comment": comment = try r.nullable { r in try r.string() }
            case "bodyHash": bodyHash = try r.string()
            case "volatility": volatility = try r.nullable { r in try r.string() }
            case "security": security = try r.nullable { r in try r.string() }
            case "options": options = try r.stringDictionary()
            default: try r.skipValue()
            }
        }
        self.init(
            name: try r.required(name, "name", of: "Routine"), objectId: objectId,
            kind: try r.required(kind, "kind", of: "Routine"),
            arguments: try r.required(arguments, "arguments", of: "Routine"), returns: returns,
            language: try r.required(language, "language", of: "Routine"), owner: owner, comment: comment,
            bodyHash: try r.required(bodyHash, "bodyHash", of: "Routine"), volatility: volatility, security: security,
            options: try r.required(options, "options", of: "Routine"))
    }
}

extension BinaryLogPosition: JSONReadable {
    init(json r: inout JSONReader) throws {
        var file: String?
        var position: Int64?
        var server: String?
        try r.object { r, field in
            switch field {
            case "file": file = try r.string()
            case "position": position = try r.int64()
            case "server": server = try r.string()
            default: try r.skipValue()
            }
        }
        self.init(
            file: try r.required(file, "file", of: "BinaryLogPosition"),
            position: try r.required(position, "position", of: "BinaryLogPosition"),
            server: try r.required(server, "server", of: "BinaryLogPosition"))
    }
}

extension NameChangeLog: JSONReadable {
    init(json r: inout JSONReader) throws {
        var since: BinaryLogPosition?
        var changes: [NameChange]?
        try r.object { r, field in
            switch field {
            case "since": since = try BinaryLogPosition(json: &r)
            case "changes": changes = try r.array(of: NameChange.self)
            default: try r.skipValue()
            }
        }
        self.init(
            since: try r.required(since, "since", of: "NameChangeLog"),
            changes: try r.required(changes, "changes", of: "NameChangeLog"))
    }
}

extension NameChange: JSONReadable {
    init(json r: inout JSONReader) throws {
        var object: NameChange.Object?
        var action: NameChange.Action?
        var database: String?
        var table: String?
        var name: String?
        var newDatabase: String?
        var newName: String?
        var statement: Int?
        try r.object { r, field in
            switch field {
            case "object": object = try r.closedSet(NameChange.Object.self)
            case "action": action = try r.closedSet(NameChange.Action.self)
            case "database": database = try r.string()
            case "table": table = try r.string()
            case "name": name = try r.nullable { r in try r.string() }
            case "newDatabase": newDatabase = try r.nullable { r in try r.string() }
            case "newName": newName = try r.nullable { r in try r.string() }
            case "statement": statement = try r.int()
            default: try r.skipValue()
            }
        }
        self.init(
            object: try r.required(object, "object", of: "NameChange"),
            action: try r.required(action, "action", of: "NameChange"),
            database: try r.required(database, "database", of: "NameChange"),
            table: try r.required(table, "table", of: "NameChange"), name: name, newDatabase: newDatabase,
            newName: newName, statement: try r.required(statement, "statement", of: "NameChange"))
    }
}
