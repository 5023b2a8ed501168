import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

/// The replay law, over random catalogs and random mutations: applying the changes of
/// `diff(a, b)` to `a` gives exactly `b`, and replaying from nothing gives `b`.
@Suite struct ReplayLawTests {
    static let cases = 300

    @Test func applyingTheDifferenceGivesTheTarget() throws {
        for seed in 1...UInt64(Self.cases) {
            var generator = CatalogGenerator(seed: seed)
            let a = generator.catalog()
            let b = generator.random.chance(15) ? generator.catalog() : generator.mutate(a)
            let changes = SchemaDiffer.diff(from: a, to: b)
            let replayed: Catalog?
            do {
                replayed = try CatalogApplier.apply(changes, to: a)
            } catch {
                let lines = changes.map { "  " + $0.summary }.joined(separator: "\n")
                Issue.record(Comment(rawValue: "seed \(seed): \(error)\n\(lines)"))
                return
            }
            let target = SchemaDiffer.replayTarget(from: a, to: b)
            #expect(replayed == target, "seed \(seed): \(changes.count) changes")
            if replayed != target { return }
        }
    }

    @Test func noChangesBetweenEqualCatalogs() {
        for seed in 1...UInt64(Self.cases) {
            var generator = CatalogGenerator(seed: seed)
            let a = generator.catalog()
            #expect(SchemaDiffer.diff(from: a, to: a).isEmpty, "seed \(seed)")
        }
    }

    @Test func replayFromNothingAndToNothing() throws {
        for seed in 1...UInt64(Self.cases) {
            var generator = CatalogGenerator(seed: seed)
            let b = generator.mutate(generator.catalog())
            #expect(try CatalogApplier.apply(SchemaDiffer.diff(from: nil, to: b), to: nil) == b, "seed \(seed)")
            #expect(try CatalogApplier.apply(SchemaDiffer.diff(from: b, to: nil), to: b) == nil, "seed \(seed)")
        }
    }

    @Test func aChainOfDifferencesReplaysToTheEnd() throws {
        for seed in 1...UInt64(Self.cases / 10) {
            var generator = CatalogGenerator(seed: seed)
            var state: Catalog? = nil
            var current: Catalog? = nil
            for _ in 0..<10 {
                let next = current.map { generator.mutate($0) } ?? generator.catalog()
                state = try CatalogApplier.apply(SchemaDiffer.diff(from: current, to: next), to: state)
                current = next
            }
            #expect(state == current, "seed \(seed)")
        }
    }
}
