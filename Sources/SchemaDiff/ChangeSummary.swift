import SchemaModel

extension SchemaChange {
    /// One line naming the change (`alter relation db.s.t -> db.s.u`), for logs and tests.
    public var summary: String {
        func verb<T>(_ change: Change<T>) -> String {
            switch change {
            case .create: "create"
            case .alter: "alter"
            case .drop: "drop"
            }
        }
        switch self {
        case .catalog(let change): return "\(verb(change)) catalog"
        case .database(let change):
            return "\(verb(change)) database \(change.old?.name ?? "-") -> \(change.new?.name ?? "-")"
        case .schema(let database, let change):
            return "\(verb(change)) schema \(database).\(change.old?.name ?? "-") -> \(change.new?.name ?? "-")"
        case .routine(let database, let schema, let change):
            return "\(verb(change)) routine \(database).\(schema).\((change.new ?? change.old)!.signature)"
        case .relation(let change):
            let old = change.old.map { "\($0.database).\($0.schema).\($0.relation.name)" } ?? "-"
            let new = change.new.map { "\($0.database).\($0.schema).\($0.relation.name)" } ?? "-"
            return "\(verb(change)) relation \(old) -> \(new)"
        case .column(let reference, let change):
            return "\(verb(change)) column \(reference.table).\(change.old?.name ?? "-") -> \(change.new?.name ?? "-")"
        case .notNull(let reference, let change):
            return "\(verb(change)) not null \(reference.table).\((change.new ?? change.old)!.column)"
        case .primaryKey(let reference, let change): return "\(verb(change)) primary key on \(reference.table)"
        case .unique(let reference, let change): return "\(verb(change)) unique on \(reference.table)"
        case .foreignKey(let reference, let change): return "\(verb(change)) foreign key on \(reference.table)"
        case .index(let reference, let change):
            return "\(verb(change)) index \(reference.table).\(change.old?.name ?? "-") -> \(change.new?.name ?? "-")"
        case .partition(let reference, let change): return "\(verb(change)) partition of \(reference.table)"
        case .trigger(let reference, let change): return "\(verb(change)) trigger on \(reference.table)"
        }
    }
}
