import EventDelivery
import Foundation
import SchemaCapture
import SchemaModel
import SchemaTestSupport
import SnapshotStore
import SyncEngine
import Testing

/// The delivery protocol in-process: a sink that fails at request N, then the next run.
@Suite struct DeliveryEngineTests {
    @Test(arguments: StoreKind.allCases) func aSyncSendsThenCommitsThenSendsOnlyChanges(store: StoreKind) async throws {
        var rig = try Rig(store)
        defer { rig.remove() }
        let first = try await rig.sync(FailingSink(rig.received)).run()
        #expect(first.committed && first.batches > 1 && first.resumedBatches == 0)
        try rig.expectReplayEqualsCommitted()
        rig.reader.catalog = rig.generator.mutate(rig.reader.catalog)
        let second = try await rig.sync(FailingSink(rig.received)).run()
        #expect(second.changes > 0)
        try rig.expectReplayEqualsCommitted()
        let quiet = try await rig.sync(FailingSink(rig.received)).run()
        #expect(quiet.changes == 0 && quiet.batches == 0)
    }

    @Test(
        arguments: StoreKind.allCases,
        [1, 2, 3].flatMap { n in [FailingSink.Failure.refused, .acknowledgementLost].map { (n, $0) } })
    func aDeliveryThatFailsAtRequestNIsFinishedByTheNextRun(
        store: StoreKind, failing: (Int, FailingSink.Failure)
    ) async throws {
        let (failAt, failure) = failing
        var rig = try Rig(store)
        defer { rig.remove() }
        await #expect(throws: FailingSink.Injected.self) {
            try await rig.sync(FailingSink(rig.received, failAt: failAt, failure: failure)).run()
        }
        let pending = try #require(try rig.store.pending("shop"))
        #expect(pending.acknowledged == failAt - 1)
        #expect(try rig.store.committed("shop") == nil)
        // A change made meanwhile waits: the pending delivery goes first, byte for byte.
        let before = rig.reader.catalog
        rig.reader.catalog = rig.generator.mutate(before)
        let resumed = try await rig.sync(FailingSink(rig.received)).run()
        #expect(resumed.resumedBatches == pending.bodies.count - (failAt - 1))
        try rig.expectReplayEqualsCommitted()
        #expect(try rig.store.committed("shop")?.catalog == rig.reader.catalog.canonicalized())
        let sentTwice = zip(rig.received.bodies, rig.received.bodies.dropFirst()).filter { $0 == $1 }.count
        #expect(sentTwice == (failure == .acknowledgementLost ? 1 : 0))
    }

    @Test(arguments: StoreKind.allCases) func anotherURLToTheSameCatalogFinishesTheDelivery(store: StoreKind)
        async throws
    {
        let rig = try Rig(store)
        defer { rig.remove() }
        let old = FailingSink(rig.received, failAt: 2, target: "dataarts:http://127.0.0.1:8080 project=p1")
        await #expect(throws: FailingSink.Injected.self) { try await rig.sync(old).run() }
        #expect(try rig.store.pending("shop")?.sentTo == "dataarts:http://127.0.0.1:8080 project=p1")
        // Another port, `region:` instead of `endpoint:`, a proxy: the same project.
        let new = FailingSink(rig.received, target: "dataarts:https://dayu.cn-north-4.myhuaweicloud.com project=p1")
        let resumed = try await rig.sync(new).run()
        #expect(resumed.resumedBatches > 0)
        try rig.expectReplayEqualsCommitted()
    }

    @Test(arguments: StoreKind.allCases) func anotherCatalogIsRefusedWithWhatEachWayOutCosts(store: StoreKind)
        async throws
    {
        let rig = try Rig(store)
        defer { rig.remove() }
        await #expect(throws: FailingSink.Injected.self) {
            try await rig.sync(FailingSink(rig.received, failAt: 2)).run()
        }
        let elsewhere = [
            (SinkDestination(kind: "dataarts", catalog: "p2"), Rig.envelope),
            (
                SinkDestination(kind: "dataarts", catalog: "p1"),
                EnvelopeSettings(engine: "DWS", instanceID: "i-2", projectID: nil)
            ),
            (SinkDestination(kind: "file", catalog: "/tmp/x"), Rig.envelope),
        ]
        for (destination, envelope) in elsewhere {
            let error = await #expect(throws: DeliveryEngine.DestinationChanged.self) {
                try await rig.sync(FailingSink(rig.received, destination: destination), envelope: envelope).run()
            }
            let text = error?.description ?? ""
            #expect(text.contains("--empty") && text.contains("send the whole catalog again"))
            #expect(text.contains("--baseline") && text.contains("dropped and never sent"))
            #expect(text.contains("project p1"))
        }
        #expect(rig.received.bodies.count == 1)
        #expect(try rig.store.pending("shop")?.acknowledged == 1)
    }

    @Test(arguments: StoreKind.allCases) func aFullyAcknowledgedJournalIsFinishedWhateverTheDestinationNow(
        store: StoreKind
    ) async throws {
        let rig = try Rig(store)
        defer { rig.remove() }
        await #expect(throws: FailingSink.Injected.self) {
            try await rig.sync(FailingSink(rig.received, failAt: 2)).run()
        }
        // Every body acknowledged, the journal not yet removed (a run stopped right there).
        let pending = try #require(try rig.store.pending("shop"))
        for index in pending.acknowledged..<pending.bodies.count {
            try rig.store.recordProgress(index + 1, for: "shop")
        }
        // The config now names another catalog: nothing is left to send, so it is finished.
        let elsewhere = FailingSink(rig.received, destination: SinkDestination(kind: "dataarts", catalog: "p2"))
        _ = try await rig.sync(elsewhere).run()
        #expect(try rig.store.pending("shop") == nil)
    }

    @Test(arguments: StoreKind.allCases) func aRetirementFailsMidwayThenFinishesAndForgets(store: StoreKind)
        async throws
    {
        let rig = try Rig(store)
        defer { rig.remove() }
        _ = try await rig.sync(FailingSink(rig.received)).run()
        let sent = rig.received.bodies.count
        await #expect(throws: FailingSink.Injected.self) {
            try await rig.retirement(FailingSink(rig.received, failAt: 2)).run(confirm: { true })
        }
        #expect(try rig.store.committed("shop") != nil)
        #expect(try rig.store.pending("shop")?.isRetirement == true)
        // A sync never sends over a half-sent retirement.
        let error = await #expect(throws: DeliveryEngine.DestinationChanged.self) {
            try await rig.sync(FailingSink(rig.received)).run()
        }
        #expect(error?.description.contains("--retire") == true)
        await #expect(throws: SourceReset.RetirementPending.self) {
            try await SourceReset(store: rig.store, source: "shop").run(to: .empty) { _ in true }
        }
        var resumed = false
        let outcome = try await rig.retirement(FailingSink(rig.received)).run(
            confirm: {
                Issue.record("a resumed retirement asks nothing")
                return false
            }, resuming: { resumed = true })
        #expect(resumed)
        guard case .retired(let requests, true) = outcome else {
            Issue.record("not resumed: \(outcome)")
            return
        }
        #expect(rig.received.bodies.count == sent + requests)
        try rig.expectReplayEqualsCommitted()
        #expect(try rig.store.committed("shop") == nil)
    }

    @Test(arguments: StoreKind.allCases) func aRetirementWaitsForAnInterruptedSync(store: StoreKind) async throws {
        let rig = try Rig(store)
        defer { rig.remove() }
        await #expect(throws: FailingSink.Injected.self) {
            try await rig.sync(FailingSink(rig.received, failAt: 2)).run()
        }
        let error = await #expect(throws: DeliveryEngine.DestinationChanged.self) {
            try await rig.retirement(FailingSink(rig.received)).run(confirm: { true })
        }
        #expect(error?.description.contains("schemasync sync shop") == true)
    }

    @Test(arguments: StoreKind.allCases) func aBaselineResetDiscardsAnInterruptedDeliveryAndSaysSo(store: StoreKind)
        async throws
    {
        var rig = try Rig(store)
        defer { rig.remove() }
        await #expect(throws: FailingSink.Injected.self) {
            try await rig.sync(FailingSink(rig.received, failAt: 2)).run()
        }
        rig.reader.catalog = rig.generator.mutate(rig.reader.catalog)
        let live = rig.sync(FailingSink(rig.received), baseline: true)
        var heard: PendingDelivery?
        let outcome = try await SourceReset(store: rig.store, source: "shop").run(
            to: .baseline { _ in
                let (catalog, _) = try live.reader.capture(live.options)
                return Snapshot(
                    toolVersion: "test", capturedAt: "2026-01-01T00:00:00.000Z", scope: live.options.scope,
                    catalog: catalog)
            }
        ) { pending in
            heard = pending
            return true
        }
        #expect(heard?.acknowledged == 1)
        #expect(outcome.discarded?.acknowledged == 1)
        #expect(try rig.store.pending("shop") == nil)
        #expect(try rig.store.committed("shop")?.catalog == rig.reader.catalog.canonicalized())
    }

    @Test(arguments: StoreKind.allCases) func aDamagedJournalStopsTheSyncAndOnlyEmptyDiscardsIt(store: StoreKind)
        async throws
    {
        let rig = try Rig(store)
        defer { rig.remove() }
        await #expect(throws: FailingSink.Injected.self) {
            try await rig.sync(FailingSink(rig.received, failAt: 2)).run()
        }
        try rig.damageJournal()
        let stopped = await #expect(throws: SnapshotStoreError.self) {
            try await rig.sync(FailingSink(rig.received)).run()
        }
        #expect(stopped?.code == .damagedJournal)
        // --baseline would lose what the journal held: refused.
        let baseline = await #expect(throws: SnapshotStoreError.self) {
            try await SourceReset(store: rig.store, source: "shop").run(
                to: .baseline { _ in throw FailingSink.Injected() }
            ) { _ in true }
        }
        #expect(baseline?.code == .damagedJournal)
        let emptied = try await SourceReset(store: rig.store, source: "shop").run(to: .empty) { _ in true }
        #expect(emptied.discardedDamagedJournal)
        _ = try await rig.sync(FailingSink(rig.received)).run()
        #expect(try rig.store.pending("shop") == nil)
        #expect(try rig.store.committed("shop")?.catalog == rig.reader.catalog.canonicalized())
    }
}
