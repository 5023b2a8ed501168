import EventContract
import Foundation
import LocalReceiver
import SchemaModel
import SchemaTestSupport
import Testing

/// The resend rule is per catalog: `sync --jobs N` interleaves sources, so the body whose
/// answer was lost need not be the last one the receiver applied, only the last of its catalog.
@Suite struct PerCatalogResendTests {
    /// Two catalogs, `orders` and `shop`, each created by several small bodies.
    static func twoSources() throws -> (orders: Catalog, shop: Catalog, a: [Data], b: [Data]) {
        var generator = CatalogGenerator(seed: 23)
        var orders = generator.catalog()
        orders.name = "orders"
        var shop = generator.catalog()
        shop.name = "shop"
        let a = Fixture.bodies(from: nil, to: orders, maxEvents: 3)
        let b = Fixture.bodies(from: nil, to: shop, maxEvents: 3)
        try #require(a.count >= 3 && b.count >= 2)
        return (orders.canonicalized(), shop.canonicalized(), a, b)
    }

    /// Sends a signed body and reads until the answer or the connection's end (a reset, say).
    static func sendUnanswered(_ body: Data, to running: RunningReceiver) throws -> WireResponse? {
        let client = try running.client(timeout: 10)
        let request = try TestClient.signedPost(body, port: running.port)
        try client.send(request.head + request.body)
        return client.readResponse()
    }

    @Test func aLostAnswerIsResentAfterAnotherCatalogsBody() throws {
        let (orders, shop, a, b) = try Self.twoSources()
        // Request 2 is orders' body 2: applied and recorded, then the connection is reset.
        let running = try RunningReceiver { $0.faults = [.reset(request: 2)] }
        #expect(try running.postSigned(a[0]).status == 200)
        #expect(try Self.sendUnanswered(a[1], to: running) == nil)
        // The other source goes on meanwhile.
        #expect(try running.postSigned(b[0]).status == 200)
        // orders' body 2 again, no longer the last body received but still the last of orders.
        let resend = try running.postSigned(a[1])
        #expect(resend.status == 200, "\(resend.errorMessage)")
        #expect(running.receiver.statistics.duplicates == 1)
        // Both sources finish, interleaved.
        let restA = Array(a.dropFirst(2))
        let restB = Array(b.dropFirst())
        for index in 0..<max(restA.count, restB.count) {
            if index < restA.count { #expect(try running.postSigned(restA[index]).status == 200) }
            if index < restB.count { #expect(try running.postSigned(restB[index]).status == 200) }
        }
        #expect(running.receiver.catalogs == [orders, shop])
        #expect(running.receiver.statistics.applied == a.count + b.count)
        #expect(running.receiver.statistics.duplicates == 1)
        #expect(running.log.lines.contains { $0.contains("duplicate") })
    }

    @Test func aBodyNamingTwoCatalogsIsTheLastOfEach() throws {
        var generator = CatalogGenerator(seed: 24)
        var first = generator.catalog()
        first.name = "left"
        var second = generator.catalog()
        second.name = "right"
        let createFirst = Fixture.bodies(from: nil, to: first, maxEvents: 100_000)
        let createSecond = Fixture.bodies(from: nil, to: second, maxEvents: 100_000)
        try #require(createFirst.count == 1 && createSecond.count == 1)
        let events = try [createFirst[0], createSecond[0]].flatMap { try JSONValue.parse($0)["events"]?.array ?? [] }
        let both = Fixture.body(events: events)
        let changedSecond = generator.mutate(second)
        let changeSecond = Fixture.bodies(from: second, to: changedSecond)
        let changedFirst = generator.mutate(first)
        let changeFirst = Fixture.bodies(from: first, to: changedFirst)
        try #require(!changeSecond.isEmpty && !changeFirst.isEmpty)

        let running = try RunningReceiver()
        #expect(try running.postSigned(both).status == 200)
        for body in changeSecond { #expect(try running.postSigned(body).status == 200) }
        // `right` has seen a later body, `left` has not: the two-catalog body is still a resend.
        #expect(try running.postSigned(both).status == 200)
        #expect(running.receiver.statistics.duplicates == 1)
        for body in changeFirst { #expect(try running.postSigned(body).status == 200) }
        // Now neither catalog's last body is it: sent again, it is applied, and refused.
        let older = try running.postSigned(both)
        #expect(older.status == 400)
        #expect(older.errorCode == "DLM.4004")
        #expect(running.receiver.catalogs == [changedFirst.canonicalized(), changedSecond.canonicalized()])
        #expect(running.receiver.statistics.duplicates == 1)
    }

    static func stateFile(_ state: String) -> String { state + "/receiver-state.json" }

    @Test func eachCatalogsLastBodySurvivesARestart() throws {
        let (orders, shop, a, b) = try Self.twoSources()
        let folder = RunningReceiver.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state").path
        do {
            let running = try RunningReceiver(folder: folder) { $0.stateDirectory = state }
            #expect(try running.postSigned(a[0]).status == 200)
            #expect(try running.postSigned(a[1]).status == 200)
            #expect(try running.postSigned(b[0]).status == 200)
            running.receiver.stop()
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.stateFile(state)))
        let file = try JSONValue.parse(data)
        #expect(file["formatVersion"]?.int == 3)
        let hashes = try #require(file["lastBodySHA256ByCatalog"]?.object)
        #expect(hashes.keys.sorted() == ["orders", "shop"])
        #expect(file["lastBodySHA256"] == nil)

        do {
            let restarted = try RunningReceiver(folder: folder) { $0.stateDirectory = state }
            // Both sources resend their last body after the restart: neither is applied again.
            #expect(try restarted.postSigned(a[1]).status == 200)
            #expect(try restarted.postSigned(b[0]).status == 200)
            #expect(restarted.receiver.statistics.duplicates == 2)
            #expect(restarted.receiver.statistics.applied == 0)
            for body in a.dropFirst(2) + b.dropFirst() {
                #expect(try restarted.postSigned(body).status == 200)
            }
            #expect(restarted.receiver.catalogs == [orders, shop])
            restarted.receiver.stop()
        }
        #expect(try Receiver.storedSnapshots(stateDirectory: state).map(\.catalog) == [orders, shop])
    }

    @Test func aFormat1StateFileIsReadAndRewrittenInTheCurrentFormat() throws {
        let (orders, shop, a, b) = try Self.twoSources()
        let folder = RunningReceiver.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state").path
        do {
            let running = try RunningReceiver(folder: folder) { $0.stateDirectory = state }
            #expect(try running.postSigned(a[0]).status == 200)
            #expect(try running.postSigned(b[0]).status == 200)
            running.receiver.stop()
        }
        // The same state as format 1 wrote it: one hash, of the last body received (shop's).
        let path = Self.stateFile(state)
        let current = try String(contentsOfFile: path, encoding: .utf8)
        let hashes = try #require(try JSONValue.parse(Data(current.utf8))["lastBodySHA256ByCatalog"]?.object)
        let last = try #require(hashes["shop"]?.string)
        var lines = current.components(separatedBy: "\n")
        try #require(
            lines.count > 4 && lines[1] == "\"formatVersion\": 3," && lines[2].hasPrefix("\"journalSequence\"")
                && lines[3].hasPrefix("\"lastBody"))
        lines[1] = "\"formatVersion\": 1,"
        lines[3] = "\"lastBodySHA256\": \"\(last)\","
        lines.remove(at: 2)
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))

        do {
            let restarted = try RunningReceiver(folder: folder) { $0.stateDirectory = state }
            #expect(restarted.receiver.catalogs.map(\.name) == ["orders", "shop"])
            #expect(try restarted.postSigned(b[0]).status == 200)
            #expect(restarted.receiver.statistics.duplicates == 1)
            for body in a.dropFirst() + b.dropFirst() {
                #expect(try restarted.postSigned(body).status == 200)
            }
            #expect(restarted.receiver.catalogs == [orders, shop])
            restarted.receiver.stop()
        }
        let rewritten = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(rewritten["formatVersion"]?.int == 3)
        #expect(rewritten["lastBodySHA256ByCatalog"]?.object?.keys.sorted() == ["orders", "shop"])

        // A newer format is refused, not misread.
        try Data("{\"formatVersion\": 4, \"snapshots\": []}".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ReceiverError.self) {
            try Receiver(ReceiverOptions(projectID: "p", auth: .token("t"), stateDirectory: state))
        }
        #expect(error?.code == .corruptState)
        #expect(error?.description.contains("format version 4") == true)
    }
}
