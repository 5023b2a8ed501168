import DataArtsAuth
import EventContract
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `schemasync receive` as a process: the listening line, a signed POST, SIGTERM, `--dump`.
@Suite struct ReceiveCommandTests {
    static let ak = "HPUACOMMANDTESTAK"
    static let sk = "cmd-test-secret-key-5b4a39"

    /// One creating event as the sync would send it.
    static var body: Data {
        let event = Event(
            type: .createCatalog,
            message: [
                "catalog": [
                    "name": "src", "description": "", "locationUri": "postgresql://h/db",
                    "parameters": ["kind": "postgresql", "serverVersion": "15.18"],
                ]
            ])
        let body: JSONValue = [
            "engine": "PostgreSQL", "engine_version": "15.18",
            "events": [event.envelopeEntry(timestamp: 1_764_037_800_123)],
        ]
        return Data(body.bytes)
    }

    /// A started `schemasync receive` and the port it printed.
    final class ReceiverProcess {
        let process = Process()
        let stdout = Pipe()
        let stderr = Pipe()
        var port = 0

        init(_ arguments: [String], environment: [String: String]) throws {
            process.executableURL = try CommandRunner.executable
            process.arguments = ["receive"] + arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.standardOutput = stdout
            process.standardError = stderr
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let line = try Self.firstLine(stdout.fileHandleForReading, timeout: 30)
            guard line.hasPrefix("listening http://127.0.0.1:"), let port = Int(line.split(separator: ":").last ?? "")
            else {
                process.terminate()
                throw CommandError(description: "unexpected first line: \(line)")
            }
            self.port = port
        }

        deinit {
            if process.isRunning { process.terminate() }
        }

        /// The first line written to `handle`, waiting at most `timeout`.
        static func firstLine(_ handle: FileHandle, timeout: TimeInterval) throws -> String {
            let box = LineBox()
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                var data = Data()
                for _ in 0..<1000 {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                    if data.contains(0x0A) { break }
                }
                box.set(String(decoding: data, as: UTF8.self))
                done.signal()
            }
            guard done.wait(timeout: .now() + timeout) == .success else {
                throw CommandError(description: "schemasync receive printed no line in \(Int(timeout)) s")
            }
            return box.value.split(separator: "\n").first.map(String.init) ?? ""
        }

        /// Sends SIGTERM and waits (bounded) for the exit status.
        func terminate(timeout: TimeInterval = 15) throws -> (status: Int32, stderr: String) {
            process.terminate()
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            guard !process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                throw CommandError(description: "schemasync receive did not exit after SIGTERM")
            }
            let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (process.terminationStatus, errors)
        }
    }

    final class LineBox: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func set(_ value: String) {
            lock.lock()
            text = value
            lock.unlock()
        }
        var value: String {
            lock.lock()
            defer { lock.unlock() }
            return text
        }
    }

    /// POSTs `body` signed with `sk` to the receiver on `port`; returns the status and body.
    static func post(_ body: Data, port: Int, sk: String) async throws -> (Int, String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/v1/p1/metadata/async-bulk"))
        let signing = try #require(
            SigningRequest(
                method: "POST", url: url, headers: [HeaderField("Content-Type", "application/json")], body: body))
        let signed = try Signer.sign(
            signing, credentials: Credentials(ak: ak, sk: sk), sdkDate: Signer.sdkDate(Date()), projectID: "p1")
        var request = URLRequest(url: url, timeoutInterval: 20)
        request.httpMethod = "POST"
        request.httpBody = body
        for field in signed.all where field.name.lowercased() != "host" {
            request.setValue(field.value, forHTTPHeaderField: field.name)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func servesASignedPostUntilSIGTERMThenDumpsItsState() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("receive-cmd-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state").path
        let record = folder.appendingPathComponent("record.ndjson").path
        let receiver = try ReceiverProcess(
            ["--port", "0", "--project-id", "p1", "--ak", Self.ak, "--state", state, "--record", record],
            environment: ["SCHEMASYNC_RECEIVER_SK": Self.sk])
        let (refused, refusal) = try await Self.post(Self.body, port: receiver.port, sk: "wrong-" + Self.sk)
        #expect(refused == 401)
        #expect(refusal.contains("APIG.0301"))
        let (status, answer) = try await Self.post(Self.body, port: receiver.port, sk: Self.sk)
        #expect(status == 200)
        #expect(answer == "{\"success\":true}")
        // The port is taken: a second receiver says so and exits with 74.
        let taken = try CommandRunner.run(
            ["receive", "--port", "\(receiver.port)", "--project-id", "p1", "--token", "t"], timeout: 20)
        #expect(taken.status == 74)
        #expect(taken.stderr.contains("cannot listen on 127.0.0.1 port \(receiver.port)"))

        let (code, errors) = try receiver.terminate()
        #expect(code == 0)
        #expect(errors.contains("receive: POST /v1/p1/metadata/async-bulk 200"))
        let leaked = errors.contains(Self.sk)  // not compared in #expect: a failure must not print the SK
        #expect(!leaked, "the SK appears on standard error")
        #expect(
            try String(contentsOfFile: record, encoding: .utf8) == String(decoding: Self.body, as: UTF8.self) + "\n")

        let dump = try CommandRunner.run(["receive", "--dump", "--state", state])
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.stdout.contains("\"name\" : \"src\""))
        #expect(dump.stdout.contains("\"serverVersion\" : \"15.18\""))
        let summary = try CommandRunner.run(["receive", "--dump", "--state", state, "--summary"])
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.stdout.hasPrefix("source:      src (postgresql 15.18)"))
        #expect(summary.stdout.contains("databases:   "))
    }

    /// A receiver killed (SIGKILL: no clean stop, no compaction) after answering keeps every
    /// body it acknowledged: the journal is replayed by the next one, and `--dump` reads it.
    @Test func aKilledReceiverKeepsWhatItAcknowledged() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("receive-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state").path
        let arguments = ["--port", "0", "--project-id", "p1", "--ak", Self.ak, "--state", state]
        let environment = ["SCHEMASYNC_RECEIVER_SK": Self.sk]
        do {
            let receiver = try ReceiverProcess(arguments, environment: environment)
            let (status, _) = try await Self.post(Self.body, port: receiver.port, sk: Self.sk)
            #expect(status == 200)
            kill(receiver.process.processIdentifier, SIGKILL)
            receiver.process.waitUntilExit()
            #expect(receiver.process.terminationReason == .uncaughtSignal)
        }
        let journal = try String(contentsOfFile: state + "/receiver-journal.ndjson", encoding: .utf8)
        #expect(journal.hasPrefix("{\"sequence\":1,"))
        #expect(!FileManager.default.fileExists(atPath: state + "/receiver-state.json"))
        let dump = try CommandRunner.run(["receive", "--dump", "--state", state])
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.stdout.contains("\"name\" : \"src\""))

        let restarted = try ReceiverProcess(arguments, environment: environment)
        // The resend of the body whose answer was the last one: recognised, not applied again.
        let (status, _) = try await Self.post(Self.body, port: restarted.port, sk: Self.sk)
        #expect(status == 200)
        let (code, errors) = try restarted.terminate()
        #expect(code == 0)
        #expect(errors.contains("duplicate of its catalog's last applied body"), "\(errors)")
        #expect(try String(contentsOfFile: state + "/receiver-journal.ndjson", encoding: .utf8).isEmpty)
        #expect(FileManager.default.fileExists(atPath: state + "/receiver-state.json"))
    }

    @Test func badOptionsAreUsageErrors() throws {
        let noAuth = try CommandRunner.run(
            ["receive", "--project-id", "p1"], environment: ["SCHEMASYNC_RECEIVER_TOKEN": ""])
        #expect(noAuth.status == 64)
        #expect(noAuth.stderr.contains("no way to authenticate"))
        let noSK = try CommandRunner.run(
            ["receive", "--project-id", "p1", "--ak", "AK"], environment: ["SCHEMASYNC_RECEIVER_SK": ""])
        #expect(noSK.status == 64)
        #expect(noSK.stderr.contains("SCHEMASYNC_RECEIVER_SK"))
        let badFault = try CommandRunner.run(
            ["receive", "--project-id", "p1", "--token", "t", "--fault", "explode@1"])
        #expect(badFault.status == 64)
        #expect(badFault.stderr.contains("fault \"explode@1\""))
        let badHost = try CommandRunner.run(["receive", "--project-id", "p1", "--token", "t", "--host", "0.0.0.0"])
        #expect(badHost.status == 64)
        #expect(badHost.stderr.contains("not a loopback address"))
        let noProject = try CommandRunner.run(["receive", "--token", "t"])
        #expect(noProject.status == 64)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("receive-empty-\(UUID().uuidString)")
        let nothing = try CommandRunner.run(["receive", "--dump", "--state", empty.path])
        #expect(nothing.status == 66)
        #expect(nothing.stderr.contains("nothing was received"))
    }
}
