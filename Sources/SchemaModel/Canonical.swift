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
        copy.routines = routines.sorted { $0.identityKey < $1.identityKey }
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
        copy.partitions = partitions.map { $0.canonicalized() }.sorted { $0.identityKey < $1.identityKey }
        return copy
    }
}

extension Partition {
    /// This partition with its sub-partitions sorted by name.
    public func canonicalized() -> Partition {
        var copy = self
        copy.subpartitions = subpartitions.map { $0.canonicalized() }.sorted { $0.identityKey < $1.identityKey }
        return copy
    }
}

// MARK: Checking without copying

extension Catalog {
    /// Whether every list is already in canonical order (what `canonicalized()` would give),
    /// checked without copying anything.
    public var isCanonical: Bool {
        isSorted(databases, by: { $0.name < $1.name }) && databases.allSatisfy { $0.isCanonical }
    }
}

extension Database {
    var isCanonical: Bool {
        isSorted(schemas, by: { $0.name < $1.name }) && schemas.allSatisfy { $0.isCanonical }
    }
}

extension Schema {
    var isCanonical: Bool {
        isSorted(relations, by: { $0.name < $1.name })
            && isSorted(routines, by: { $0.identityKey < $1.identityKey })
            && relations.allSatisfy { $0.isCanonical }
    }
}

extension Relation {
    var isCanonical: Bool {
        isSorted(columns, by: { $0.position < $1.position })
            && isSorted(uniqueConstraints, by: { $0.name < $1.name })
            && isSorted(foreignKeys, by: { $0.name < $1.name })
            && isSorted(checkConstraints, by: { $0.name < $1.name })
            && isSorted(exclusionConstraints, by: { $0.name < $1.name })
            && isSorted(indexes, by: { $0.name < $1.name })
            && isSorted(triggers, by: { $0.name < $1.name })
            && isSorted(partitions, by: { $0.identityKey < $1.identityKey })
            && partitions.allSatisfy { $0.isCanonical }
    }
}

extension Partition {
    var isCanonical: Bool {
        isSorted(subpartitions, by: { $0.identityKey < $1.identityKey }) && subpartitions.allSatisfy { $0.isCanonical }
    }
}

/// Whether no element sorts before its predecessor (ties keep their order, as a stable sort would).
private func isSorted<T>(_ values: [T], by areInIncreasingOrder: (T, T) -> Bool) -> Bool {
    guard values.count > 1 else { return true }
    for index in 1..<values.count where areInIncreasingOrder(values[index], values[index - 1]) {
        return false
    }
    return true
}

extension Routine {
    /// What names a routine in its schema: name, argument types and kind (MySQL keeps
    /// functions and procedures apart, so `FUNCTION f()` and `PROCEDURE f()` can both exist).
    public var identityKey: String { name + "\u{0}" + arguments + "\u{0}" + kind.rawValue }
}

extension Partition {
    /// What names a partition under its parent: its name and its own schema (PostgreSQL lets
    /// two partitions of one table share a name in different schemas).
    public var identityKey: String { name + "\u{0}" + (schemaName ?? "") }
}
