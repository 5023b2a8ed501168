import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

/// The replay-law test proves something only if its random changes reach every kind of
/// change: this counts them over the same seeds.
@Suite struct GeneratorCoverageTests {
    @Test func theRandomChangesCoverEveryKind() {
        var seen = Set<String>()
        for seed in 1...UInt64(ReplayLawTests.cases) {
            var generator = CatalogGenerator(seed: seed)
            let a = generator.catalog()
            let b = generator.mutate(a)
            for change in SchemaDiffer.diff(from: a, to: b) { seen.formUnion(Self.kinds(of: change)) }
        }
        let expected: Set<String> = [
            "catalog alter", "database create", "database drop", "database rename", "schema create", "schema drop",
            "schema rename", "routine create", "routine drop", "relation create", "relation drop", "relation rename",
            "relation move", "relation alter", "column create", "column drop", "column rename", "column alter",
            "column move", "notNull create", "notNull drop", "notNull alter", "primaryKey create", "primaryKey drop",
            "foreignKey create", "foreignKey drop", "foreignKey alter", "index create", "index drop", "index rename",
            "partition create", "partition alter", "partition drop", "trigger create", "trigger alter", "trigger drop",
        ]
        #expect(expected.subtracting(seen).isEmpty, "never generated: \(expected.subtracting(seen).sorted())")
    }

    static func kinds(of change: SchemaChange) -> Set<String> {
        func verb<T>(_ change: Change<T>) -> String {
            switch change {
            case .create: "create"
            case .alter: "alter"
            case .drop: "drop"
            }
        }
        switch change {
        case .catalog(let c): return ["catalog \(verb(c))"]
        case .database(let c):
            if case .alter(let old, let new) = c, old.name != new.name { return ["database rename"] }
            return ["database \(verb(c))"]
        case .schema(_, let c):
            if case .alter(let old, let new) = c, old.name != new.name { return ["schema rename"] }
            return ["schema \(verb(c))"]
        case .routine(_, _, let c): return ["routine \(verb(c))"]
        case .relation(let c):
            if case .alter(let old, let new) = c {
                var kinds: Set<String> = ["relation alter"]
                if old.relation.name != new.relation.name { kinds.insert("relation rename") }
                if old.schema != new.schema { kinds.insert("relation move") }
                return kinds
            }
            return ["relation \(verb(c))"]
        case .column(_, let c):
            if case .alter(let old, let new) = c {
                if old.name != new.name { return ["column rename"] }
                if old.position != new.position && old.type == new.type && old.comment == new.comment {
                    return ["column move"]
                }
            }
            return ["column \(verb(c))"]
        case .notNull(_, let c): return ["notNull \(verb(c))"]
        case .primaryKey(_, let c): return ["primaryKey \(verb(c))"]
        case .unique(_, let c): return ["unique \(verb(c))"]
        case .foreignKey(_, let c): return ["foreignKey \(verb(c))"]
        case .index(_, let c):
            if case .alter(let old, let new) = c, old.name != new.name { return ["index rename"] }
            return ["index \(verb(c))"]
        case .partition(_, let c): return ["partition \(verb(c))"]
        case .trigger(_, let c): return ["trigger \(verb(c))"]
        }
    }
}
