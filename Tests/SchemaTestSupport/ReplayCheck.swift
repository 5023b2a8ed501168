public import EventContract
import Foundation
public import SchemaDiff
public import SchemaModel
import Testing

/// The replay law checked for one step of a scripted DDL sequence against a real server:
/// the changes from `previous` to `next` applied to `previous` give `next` (MySQL table ids,
/// which are hints, set aside: `SchemaDiffer.comparable`; across a PostgreSQL major upgrade,
/// the identities it renews kept: `SchemaDiffer.replayTarget`), the same through the events
/// written out and read back, and every event valid against the JSON Schemas.
/// Returns the changes and the events; failures are recorded as test issues, with `label`.
public func checkedStep(from previous: Catalog, to next: Catalog, label: String) throws -> (
    changes: [SchemaChange], events: [Event]
) {
    let changes = SchemaDiffer.diff(from: previous, to: next)
    let target = SchemaDiffer.replayTarget(from: previous, to: next)
    #expect(
        SchemaDiffer.comparable(try CatalogApplier.apply(changes, to: previous)) == SchemaDiffer.comparable(target),
        "replay law after: \(label)")
    let events = EventEncoder.encode(changes, from: previous, to: next)
    let wire = try events.map { Event(type: $0.type, message: try JSONValue.parse(Data($0.message.serialized.utf8))) }
    #expect(
        SchemaDiffer.comparable(try EventApplier.apply(wire, to: previous)) == SchemaDiffer.comparable(target),
        "replay over events after: \(label)")
    if !events.isEmpty {
        let problems = try JSONSchemaValidator.eventSchemas().problems(
            ofEvents: events.map { $0.envelopeEntry(timestamp: 1) })
        #expect(problems.isEmpty, "\(label): \(problems.prefix(3))")
    }
    return (changes, events)
}
