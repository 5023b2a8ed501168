import SchemaModel

// The canonical JSON of the binary log position and name changes a MySQL capture records
// (see ModelJSON.swift for the rules).

extension BinaryLogPosition: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("file", file)
        w.field("position", position)
        w.field("server", server)
        w.endObject()
    }
}

extension NameChangeLog: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("changes", changes)
        w.field("since", since)
        w.endObject()
    }
}

extension NameChange: JSONWritable {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("action", action.rawValue)
        w.field("database", database)
        w.field("name", name)
        w.field("newDatabase", newDatabase)
        w.field("newName", newName)
        w.field("object", object.rawValue)
        w.field("statement", statement)
        w.field("table", table)
        w.endObject()
    }
}
