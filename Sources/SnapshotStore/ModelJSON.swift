import SchemaModel

// The canonical JSON of every model type: keys in sorted order, nil optionals left out, the
// same bytes as `JSONEncoder` with `.sortedKeys` (SnapshotCoderTests proves it). A field
// added to a model type must be added here too; that test fails until it is.

extension Snapshot: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("capturedAt", capturedAt)
        w.field("catalog", catalog)
        w.field("formatVersion", formatVersion)
        w.field("scope", scope)
        w.field("toolVersion", toolVersion)
        w.endObject()
    }
}

extension CaptureScope: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("databases", databases)
        w.field("exclude", exclude)
        w.field("include", include)
        w.endObject()
    }
}

extension Catalog: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("binaryLog", binaryLog)
        w.field("databases", databases)
        w.field("kind", kind)
        w.field("location", location)
        w.field("name", name)
        w.field("nameChanges", nameChanges)
        w.field("serverVersion", serverVersion)
        w.endObject()
    }
}

extension Database: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("collation", collation)
        w.field("comment", comment)
        w.field("ctype", ctype)
        w.field("encoding", encoding)
        w.field("name", name)
        w.field("objectId", objectId)
        w.field("options", options)
        w.field("owner", owner)
        w.field("schemas", schemas)
        w.endObject()
    }
}

extension Schema: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("comment", comment)
        w.field("name", name)
        w.field("objectId", objectId)
        w.field("owner", owner)
        w.field("relations", relations)
        w.field("routines", routines)
        w.endObject()
    }
}

extension Relation: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("checkConstraints", checkConstraints)
        w.field("columns", columns)
        w.field("comment", comment)
        w.field("exclusionConstraints", exclusionConstraints)
        w.field("foreignKeys", foreignKeys)
        w.field("indexes", indexes)
        w.field("kind", kind)
        w.field("name", name)
        w.field("objectId", objectId)
        w.field("options", options)
        w.field("owner", owner)
        w.field("partitioning", partitioning)
        w.field("partitions", partitions)
        w.field("primaryKey", primaryKey)
        w.field("triggers", triggers)
        w.field("uniqueConstraints", uniqueConstraints)
        w.field("view", view)
        w.endObject()
    }
}

extension ViewDefinition: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("checkOption", checkOption)
        w.field("definer", definer)
        w.field("definition", definition)
        w.field("securityType", securityType)
        w.endObject()
    }
}

extension Column: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("charset", charset)
        w.field("collation", collation)
        w.field("comment", comment)
        w.field("defaultValue", defaultValue)
        w.field("generated", generated)
        w.field("identity", identity)
        w.field("invisible", invisible)
        w.field("name", name)
        w.field("notNullConstraint", notNullConstraint)
        w.field("nullable", nullable)
        w.field("objectId", objectId)
        w.field("onUpdate", onUpdate)
        w.field("position", position)
        w.field("type", type)
        w.endObject()
    }
}

extension GeneratedColumn: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("expression", expression)
        w.field("stored", stored)
        w.endObject()
    }
}

extension Partitioning: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("key", key)
        w.field("strategy", strategy)
        w.endObject()
    }
}

extension Partition: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("bound", bound)
        w.field("comment", comment)
        w.field("name", name)
        w.field("objectId", objectId)
        w.field("options", options)
        w.field("owner", owner)
        w.field("partitioning", partitioning)
        w.field("schemaName", schemaName)
        w.field("subpartitions", subpartitions)
        w.endObject()
    }
}

extension KeyConstraint: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("columns", columns)
        w.field("comment", comment)
        w.field("deferrable", deferrable)
        w.field("include", include)
        w.field("initiallyDeferred", initiallyDeferred)
        w.field("name", name)
        w.field("nullsNotDistinct", nullsNotDistinct)
        w.field("objectId", objectId)
        w.field("withoutOverlaps", withoutOverlaps)
        w.endObject()
    }
}

extension NotNullConstraintInfo: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("name", name)
        w.field("noInherit", noInherit)
        w.field("objectId", objectId)
        w.field("validated", validated)
        w.endObject()
    }
}

extension ForeignKey: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("columns", columns)
        w.field("comment", comment)
        w.field("deferrable", deferrable)
        w.field("enforced", enforced)
        w.field("initiallyDeferred", initiallyDeferred)
        w.field("matchType", matchType)
        w.field("name", name)
        w.field("objectId", objectId)
        w.field("onDelete", onDelete)
        w.field("onDeleteColumns", onDeleteColumns)
        w.field("onUpdate", onUpdate)
        w.field("period", period)
        w.field("referencedColumns", referencedColumns)
        w.field("referencedDatabase", referencedDatabase)
        w.field("referencedSchema", referencedSchema)
        w.field("referencedTable", referencedTable)
        w.field("validated", validated)
        w.endObject()
    }
}

extension CheckConstraint: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("columns", columns)
        w.field("comment", comment)
        w.field("enforced", enforced)
        w.field("expression", expression)
        w.field("name", name)
        w.field("noInherit", noInherit)
        w.field("objectId", objectId)
        w.field("validated", validated)
        w.endObject()
    }
}

extension ExclusionConstraint: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("comment", comment)
        w.field("deferrable", deferrable)
        w.field("definition", definition)
        w.field("initiallyDeferred", initiallyDeferred)
        w.field("name", name)
        w.field("objectId", objectId)
        w.endObject()
    }
}

extension Index: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("columns", columns)
        w.field("comment", comment)
        w.field("definition", definition)
        w.field("include", include)
        w.field("method", method)
        w.field("name", name)
        w.field("nullsNotDistinct", nullsNotDistinct)
        w.field("objectId", objectId)
        w.field("options", options)
        w.field("predicate", predicate)
        w.field("unique", unique)
        w.endObject()
    }
}

extension IndexColumn: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("collation", collation)
        w.field("column", column)
        w.field("descending", descending)
        w.field("expression", expression)
        w.field("nullsFirst", nullsFirst)
        w.field("opclass", opclass)
        w.field("prefixLength", prefixLength)
        w.endObject()
    }
}

extension Trigger: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("comment", comment)
        w.field("definition", definition)
        w.field("events", events)
        w.field("function", function)
        w.field("isConstraint", isConstraint)
        w.field("level", level)
        w.field("name", name)
        w.field("objectId", objectId)
        w.field("options", options)
        w.field("state", state)
        w.field("timing", timing)
        w.field("updateColumns", updateColumns)
        w.endObject()
    }
}

extension Routine: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("arguments", arguments)
        w.field("bodyHash", bodyHash)
        w.field("comment", comment)
        w.field("kind", kind)
        w.field("language", language)
        w.field("name", name)
        w.field("objectId", objectId)
        w.field("options", options)
        w.field("owner", owner)
        w.field("returns", returns)
        w.field("security", security)
        w.field("volatility", volatility)
        w.endObject()
    }
}
