import EventContract
import Foundation
import SchemaDiff
import SchemaModel
import SchemaTestSupport
import Testing

/// The replay law over the wire: the events of `diff(a, b)`, written to JSON text and read
/// back, applied to `a`, give exactly `b`; and every event validates against its schema.
@Suite struct EventReplayLawTests {
    static let cases: UInt64 = 250
    static let validator = Result { try JSONSchemaValidator.eventSchemas() }

    /// Events written out and parsed back, as a receiver gets them.
    static func overTheWire(_ events: [Event]) throws -> [Event] {
        try events.map { Event(type: $0.type, message: try JSONValue.parse(Data($0.message.serialized.utf8))) }
    }

    /// The schema problems of a request body holding these events.
    static func problems(_ events: [Event]) throws -> [String] {
        let body: JSONValue = [
            "engine": "DWS", "engine_version": "15.18", "instance_id": "i-1",
            "events": .array(events.map { $0.envelopeEntry(timestamp: 1_764_037_800_123) }),
        ]
        return try validator.get().validate(body, against: envelopeID)
    }

    static var envelopeID: String {
        (try? validator.get().ids.first { $0.hasSuffix("/envelope.json") }) ?? "envelope.json"
    }

    @Test func eventsOfADifferenceReplayToTheTarget() throws {
        for seed in 1...Self.cases {
            var generator = CatalogGenerator(seed: seed)
            let a = generator.catalog()
            let b = generator.random.chance(15) ? generator.catalog() : generator.mutate(a)
            let events = EventEncoder.encode(SchemaDiffer.diff(from: a, to: b), from: a, to: b)
            let replayed = try EventApplier.apply(try Self.overTheWire(events), to: a)
            let target = SchemaDiffer.replayTarget(from: a, to: b)
            #expect(replayed == target, "seed \(seed)")
            if replayed != target { return }
        }
    }

    @Test func everythingFromNothingAndBack() throws {
        for seed in 1...Self.cases {
            var generator = CatalogGenerator(seed: seed)
            let b = generator.mutate(generator.catalog())
            let first = EventEncoder.encode(SchemaDiffer.diff(from: nil, to: b), from: nil, to: b)
            #expect(first.first?.type == .createCatalog)
            #expect(try EventApplier.apply(try Self.overTheWire(first), to: nil) == b, "seed \(seed)")
            let retire = EventEncoder.encode(SchemaDiffer.diff(from: b, to: nil), from: b, to: nil)
            #expect(retire.last?.type == .dropCatalog)
            #expect(try EventApplier.apply(try Self.overTheWire(retire), to: b) == nil, "seed \(seed)")
        }
    }

    @Test func everyEventValidatesAgainstItsSchema() throws {
        var seen = Set<EventType>()
        for seed in 1...Self.cases {
            var generator = CatalogGenerator(seed: seed)
            let a = generator.catalog()
            let b = generator.mutate(a)
            var events = EventEncoder.encode(SchemaDiffer.diff(from: a, to: b), from: a, to: b)
            if seed % 10 == 0 {
                events += EventEncoder.encode(SchemaDiffer.diff(from: nil, to: a), from: nil, to: a)
                events += EventEncoder.encode(SchemaDiffer.diff(from: a, to: nil), from: a, to: nil)
            }
            guard !events.isEmpty else { continue }
            seen.formUnion(events.map(\.type))
            let problems = try Self.problems(events)
            #expect(problems.isEmpty, "seed \(seed): \(problems.prefix(5))")
            if !problems.isEmpty { return }
        }
        // The generated changes reach every event type a PostgreSQL source sends.
        #expect(
            Set(EventType.allCases).subtracting(seen).isEmpty,
            "never produced: \(Set(EventType.allCases).subtracting(seen))")
    }
}
