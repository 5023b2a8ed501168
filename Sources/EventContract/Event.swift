/// One event of the contract (docs/events.md): its type and its message.
public struct Event: Sendable, Hashable {
    /// The event type: one of the 31 names of `EventType`.
    public var type: EventType
    /// The message, shaped as docs/events.md section 5 says for the type.
    public var message: JSONValue

    /// An event of a type with its message.
    public init(type: EventType, message: JSONValue) {
        self.type = type
        self.message = message
    }

    /// `{event_ts, event_type, event_message}`, as the request body's `events` holds it.
    public func envelopeEntry(timestamp: Int64) -> JSONValue {
        ["event_ts": .int(timestamp), "event_type": .string(type.rawValue), "event_message": message]
    }
}

/// The 31 event types of the DataArts Studio metadata sync API.
public enum EventType: String, CaseIterable, Sendable, Hashable, Codable {
    case createCatalog = "CreateCatalogEvent"
    case alterCatalog = "AlterCatalogEvent"
    case dropCatalog = "DropCatalogEvent"
    case createDatabase = "CreateDatabaseEvent"
    case alterDatabase = "AlterDatabaseEvent"
    case dropDatabase = "DropDatabaseEvent"
    case createSchema = "CreateSchemaEvent"
    case alterSchema = "AlterSchemaEvent"
    case dropSchema = "DropSchemaEvent"
    case createTable = "CreateTableEvent"
    case alterTable = "AlterTableEvent"
    case dropTable = "DropTableEvent"
    case addColumn = "AddColumnEvent"
    case alterColumn = "AlterColumnEvent"
    case dropColumn = "DropColumnEvent"
    case addPartition = "AddPartitionEvent"
    case alterPartition = "AlterPartitionEvent"
    case dropPartition = "DropPartitionEvent"
    case addPrimaryKey = "AddPrimaryKeyEvent"
    case addForeignKey = "AddForeignKeyEvent"
    case addUniqueConstraint = "AddUniqueConstraintEvent"
    case addNotNullConstraint = "AddNotNullConstraintEvent"
    case dropConstraint = "DropConstraintEvent"
    case addIndex = "AddIndexEvent"
    case alterIndex = "AlterIndexEvent"
    case dropIndex = "DropIndexEvent"
    case addTrigger = "AddTriggerEvent"
    case alterTrigger = "AlterTriggerEvent"
    case dropTrigger = "DropTriggerEvent"
    case createFunction = "CreateFunctionEvent"
    case dropFunction = "DropFunctionEvent"
}
