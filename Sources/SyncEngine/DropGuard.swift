package import SchemaDiff
package import SchemaModel

/// Stops a run whose changes would drop a whole database, or more than `maxDropRatio` of
/// the source's tables, before anything is sent (as catalog ingesters do): a misconfigured
/// filter or a wrong URL must not empty the catalog. `--allow-drops` lets it go on.
package struct DropGuard: Sendable {
    /// The largest share of the tables one run may drop.
    package var maxDropRatio: Double

    /// A guard with this limit.
    package init(maxDropRatio: Double) {
        self.maxDropRatio = maxDropRatio
    }

    /// Why a run was stopped.
    package struct Stop: Error, CustomStringConvertible, Sendable {
        /// What would have been dropped, and what to do.
        package var description: String
    }

    /// Throws `Stop` when the changes drop too much of `previous`.
    package func check(_ changes: [SchemaChange], previous: Catalog) throws {
        var droppedDatabases: [String] = []
        var droppedRelations = 0
        for change in changes {
            switch change {
            case .database(.drop(let database)): droppedDatabases.append(database.name)
            case .relation(.drop): droppedRelations += 1
            default: break
            }
        }
        let hint =
            "check the source's URL, databases, include and exclude; if it is meant, run again with --allow-drops"
        if !droppedDatabases.isEmpty {
            throw Stop(
                description: "this run would drop the whole database\(droppedDatabases.count > 1 ? "s" : "") "
                    + droppedDatabases.joined(separator: ", ") + "; nothing was sent. \(hint)")
        }
        let total = previous.databases.reduce(0) { $0 + $1.schemas.reduce(0) { $0 + $1.relations.count } }
        if total > 0, Double(droppedRelations) / Double(total) > maxDropRatio {
            throw Stop(
                description: "this run would drop \(droppedRelations) of \(total) tables and views, more than "
                    + "max_drop_ratio \(maxDropRatio); nothing was sent. \(hint)")
        }
    }
}
