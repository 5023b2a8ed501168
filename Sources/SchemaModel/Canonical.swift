/// Sorting into the canonical order, so that the same catalog always gives the same value
/// (and the same JSON bytes), whatever order the server returned its rows in.
extension Catalog {
    /// This catalog with every list sorted into canonical order.
    public func canonicalized() -> Catalog {
        var copy = self
        copy.databases = databases.map { $0.canonicalized() }.sorted { $0.name < $1.name }
        return copy
    }
}

extension Database {
    /// This database with every list sorted into canonical order.
    public func canonicalized() -> Database {
        var copy = self
        copy.schemas = schemas.map { $0.canonicalized() }.sorted { $0.name < $1.name }
        return copy
    }
}

extension Schema {
    /// This schema with every list sorted into canonical order.
    public func canonicalized() -> Schema {
        var copy = self
        copy.relations = relations.map { $0.canonicalized() }.sorted { $0.name < $1.name }
        copy.routines = routines.sorted { ($0.name, $0.arguments) < ($1.name, $1.arguments) }
        return copy
    }
}

extension Relation {
    /// This relation with every list sorted into canonical order (columns by position).
    public func canonicalized() -> Relation {
        var copy = self
        copy.columns = columns.sorted { $0.position < $1.position }
        copy.uniqueConstraints = uniqueConstraints.sorted { $0.name < $1.name }
        copy.foreignKeys = foreignKeys.sorted { $0.name < $1.name }
        copy.checkConstraints = checkConstraints.sorted { $0.name < $1.name }
        copy.exclusionConstraints = exclusionConstraints.sorted { $0.name < $1.name }
        copy.indexes = indexes.sorted { $0.name < $1.name }
        copy.triggers = triggers.sorted { $0.name < $1.name }
        copy.partitions = partitions.map { $0.canonicalized() }.sorted { $0.name < $1.name }
        return copy
    }
}

extension Partition {
    /// This partition with its sub-partitions sorted by name.
    public func canonicalized() -> Partition {
        var copy = self
        copy.subpartitions = subpartitions.map { $0.canonicalized() }.sorted { $0.name < $1.name }
        return copy
    }
}
