public import SchemaModel

/// What a PostgreSQL major upgrade renews without changing anything.
///
/// `pg_upgrade` moves a cluster to a new major by restoring its schema (pg_dump
/// --binary-upgrade) and reusing the data files. It keeps what the data files need: relation
/// OIDs (tables, indexes, views, partitions), columns' `attnum`s, and from 15 on database
/// OIDs. It renews the OIDs of schemas, constraints, functions and triggers (and of
/// databases before 15), and 18 gives NOT NULL constraints a record of their own. None of
/// that is a change of the schema: across a major upgrade the differ takes the identities
/// the upgrade renews from the old snapshot wherever the object is matched by name (the ones
/// it keeps are compared as they are), and a NOT NULL
/// record that says no more than the derived name and flags did is no change either. So the
/// upgrade sends AlterCatalogEvent (the server version) and only what the new server really
/// describes differently (docs/capture-postgresql.md lists what that is, major by major).
/// A rename in the same interval as the upgrade pairs only by what the upgrade kept.
public enum ServerUpgrade {
    /// Whether `old` and `new` are PostgreSQL catalogs of different major versions.
    public static func crossesMajor(_ old: Catalog, _ new: Catalog) -> Bool {
        old.kind == .postgresql && new.kind == .postgresql && !old.serverVersion.isEmpty
            && major(old.serverVersion) != major(new.serverVersion)
    }

    /// `15.18` → `15`; `9.6.24` → `9.6`.
    static func major(_ version: String) -> String {
        let parts = version.split(separator: ".")
        guard let first = parts.first else { return version }
        return (Int(first) ?? 10) >= 10 || parts.count < 2 ? String(first) : "\(first).\(parts[1])"
    }

    /// `new` with the identities of `old` on every object matched by name, and no NOT NULL
    /// record where `old` had none and the record says what the derived name and flags said:
    /// the catalog the differ compares `old` with across a major upgrade, and the catalog the
    /// events of that difference build.
    public static func keepingIdentities(of old: Catalog, in new: Catalog) -> Catalog {
        var result = new
        let oldDatabases = Dictionary(old.databases.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for d in result.databases.indices {
            guard let before = oldDatabases[result.databases[d].name] else { continue }
            keep(before, in: &result.databases[d])
        }
        return result
    }

    private static func keep(_ old: Database, in new: inout Database) {
        if let kept = old.objectId { new.objectId = kept }
        let oldSchemas = byName(old.schemas, \.name)
        for s in new.schemas.indices {
            guard let before = oldSchemas[new.schemas[s].name] else { continue }
            if let kept = before.objectId { new.schemas[s].objectId = kept }
            let oldRoutines = byName(before.routines, \.identityKey)
            for r in new.schemas[s].routines.indices {
                if let kept = oldRoutines[new.schemas[s].routines[r].identityKey]?.objectId {
                    new.schemas[s].routines[r].objectId = kept
                }
            }
            let oldRelations = byName(before.relations, \.name)
            for r in new.schemas[s].relations.indices {
                guard let relation = oldRelations[new.schemas[s].relations[r].name] else { continue }
                keep(relation, in: &new.schemas[s].relations[r])
            }
        }
    }

    /// Only what pg_upgrade renews is taken from `old`: relation, index, partition and column
    /// identities it keeps, so a table dropped and created again in the interval stays new.
    private static func keep(_ old: Relation, in new: inout Relation) {
        if let key = old.primaryKey, let renewed = new.primaryKey, renewed.name == key.name {
            new.primaryKey?.objectId = key.objectId ?? renewed.objectId
        }
        keepIdentities(old.uniqueConstraints, &new.uniqueConstraints, name: \.name, identity: \.objectId)
        keepIdentities(old.foreignKeys, &new.foreignKeys, name: \.name, identity: \.objectId)
        keepIdentities(old.checkConstraints, &new.checkConstraints, name: \.name, identity: \.objectId)
        keepIdentities(old.exclusionConstraints, &new.exclusionConstraints, name: \.name, identity: \.objectId)
        keepIdentities(old.triggers, &new.triggers, name: \.name, identity: \.objectId)
        let oldColumns = byName(old.columns, \.name)
        for c in new.columns.indices {
            guard let before = oldColumns[new.columns[c].name] else { continue }
            guard let record = new.columns[c].notNullConstraint else { continue }
            if let kept = before.notNullConstraint?.objectId {
                new.columns[c].notNullConstraint?.objectId = kept
            } else if before.notNullConstraint != nil {
                continue
            } else if !before.nullable, record.validated, !record.noInherit,
                record.name == NotNullConstraintInfo.derivedName(table: new.name, column: new.columns[c].name)
            {
                new.columns[c].notNullConstraint = nil
            }
        }
    }

    private static func keepIdentities<T, Key: Hashable>(
        _ old: [T], _ new: inout [T], name: (T) -> Key, identity: WritableKeyPath<T, Int64?>
    ) {
        let before = byName(old, name)
        for i in new.indices {
            if let kept = before[name(new[i])]?[keyPath: identity] { new[i][keyPath: identity] = kept }
        }
    }

    private static func byName<T, Key: Hashable>(_ objects: [T], _ name: (T) -> Key) -> [Key: T] {
        Dictionary(objects.map { (name($0), $0) }, uniquingKeysWith: { first, _ in first })
    }
}
