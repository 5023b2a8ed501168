import ArgumentParser
import Dispatch
import Foundation
import LocalReceiver
import SchemaModel
import SnapshotStore

#if canImport(Glibc)
    import Glibc
#endif

extension SchemaSyncCommand {
    /// `schemasync receive`: a local DataArts-compatible endpoint on loopback (docs/receiver.md).
    struct Receive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a local DataArts Studio metadata sync API on loopback, applying what it receives.",
            discussion: """
                Checks AK/SK signatures or tokens and request bodies as the API does, applies the \
                events to its own catalog, and answers {"success": true}. Prints one line, \
                `listening http://127.0.0.1:<port>`, then serves until SIGTERM or SIGINT and exits 0. \
                Secrets come best from the environment, out of `ps`: SCHEMASYNC_RECEIVER_SK, \
                SCHEMASYNC_RECEIVER_TOKEN, SCHEMASYNC_RECEIVER_IAM_PASSWORD. `--dump --state DIR` \
                prints the stored catalog and exits. See docs/receiver.md.
                """)

        @Option(name: .long, help: "The loopback address to listen on: 127.0.0.1 (any 127.x.y.z), ::1, or localhost.")
        var host: String = "127.0.0.1"

        @Option(name: .long, help: "The port; 0 picks a free one (printed on the first line).")
        var port: Int = 0

        @Option(name: .long, help: "The project ID of the API path /v1/{project_id}/metadata/async-bulk.")
        var projectID: String?

        @Option(name: .long, help: "Accept requests signed with this access key (AK/SK).")
        var ak: String?

        @Option(name: .long, help: "The secret key of --ak (better: $SCHEMASYNC_RECEIVER_SK).")
        var sk: String?

        @Option(name: .long, help: "Accept requests whose X-Auth-Token is this (better: $SCHEMASYNC_RECEIVER_TOKEN).")
        var token: String?

        @Option(name: .long, help: "Emulate IAM password login (POST /v3/auth/tokens) for this user.")
        var iamUser: String?

        @Option(name: .long, help: "The IAM user's password (better: $SCHEMASYNC_RECEIVER_IAM_PASSWORD).")
        var iamPassword: String?

        @Option(name: .long, help: "The IAM user's account (domain) name.")
        var iamDomain: String?

        @Option(name: .long, help: "The project name an IAM login may scope to instead of its ID.")
        var iamProjectName: String = "cn-north-4"

        @Option(name: .long, help: "How long IAM tokens live, in seconds.")
        var iamTokenLifetime: Int = 86_400

        @Option(name: .long, help: "Append every body answered 200 to this NDJSON file.")
        var record: String?

        @Option(name: .long, help: "Keep the catalog here across restarts.")
        var state: String?

        @Option(
            name: .customLong("fault"),
            help: "Inject a fault: STATUS@N, 429:SECONDS@N, hang@N, drop@N, reset@N, recorded-500@N, delay:MS.")
        var faults: [String] = []

        @Option(name: .long, help: "The largest request body accepted (413 above).")
        var maxBodyBytes: Int = 16 * 1024 * 1024

        @Flag(name: .long, help: "Print the catalog stored in --state as snapshot JSON and exit.")
        var dump = false

        @Option(name: .long, help: "With --dump: the catalog to print, when several were received.")
        var catalog: String?

        @Flag(name: .long, help: "With --dump: counts per object kind instead of the JSON.")
        var summary = false

        func run() async throws {
            try await reportingErrors {
                if dump {
                    try dumpState()
                    return
                }
                let options = try receiverOptions(environment: ProcessInfo.processInfo.environment)
                let receiver = try Receiver(options)
                try await serve(receiver)
            }
        }

        private func dumpState() throws {
            guard let state else {
                throw UsageError(description: "--dump needs --state DIR: the folder a receiver kept its catalog in")
            }
            let snapshots = try Receiver.storedSnapshots(stateDirectory: state)
            if let catalog {
                guard let snapshot = snapshots.first(where: { $0.catalog.name == catalog }) else {
                    throw ReceiverError(code: .noCatalog, description: "\(state) holds no catalog \(catalog)")
                }
                try print(snapshot)
                return
            }
            guard let only = snapshots.first else {
                throw ReceiverError(code: .noCatalog, description: "\(state) holds no catalog: nothing was received")
            }
            guard snapshots.count == 1 else {
                let names = snapshots.map(\.catalog.name).joined(separator: ", ")
                throw UsageError(description: "\(state) holds several catalogs (\(names)): choose one with --catalog")
            }
            try print(only)
        }

        private func print(_ snapshot: Snapshot) throws {
            printOut(summary ? Data(SnapshotSummary(snapshot).text.utf8) : try SnapshotCoder.encode(snapshot))
        }

        /// The receiver's options from the flags and, for secrets, the environment.
        func receiverOptions(environment: [String: String]) throws -> ReceiverOptions {
            guard let projectID, !projectID.isEmpty else {
                throw UsageError(description: "--project-id is required: the {project_id} of the API path")
            }
            let secretKey = sk ?? environment["SCHEMASYNC_RECEIVER_SK"]
            let auth: ReceiverAuth?
            if let ak {
                guard token == nil else {
                    throw UsageError(description: "choose one of --ak (with its SK) and --token")
                }
                guard let secretKey, !secretKey.isEmpty else {
                    throw UsageError(description: "--ak needs its secret key: set SCHEMASYNC_RECEIVER_SK (or --sk)")
                }
                auth = .accessKey(ak: ak, sk: secretKey)
            } else if sk != nil {
                throw UsageError(description: "--sk needs --ak: the access key it belongs to")
            } else if let value = token ?? environment["SCHEMASYNC_RECEIVER_TOKEN"], !value.isEmpty {
                auth = .token(value)
            } else {
                auth = nil
            }
            var iam: IAMEmulation?
            let password = iamPassword ?? environment["SCHEMASYNC_RECEIVER_IAM_PASSWORD"]
            if iamUser != nil || iamDomain != nil || iamPassword != nil {
                guard let iamUser, let iamDomain, let password, !password.isEmpty else {
                    throw UsageError(
                        description:
                            "IAM emulation needs --iam-user, --iam-domain and a password "
                            + "(SCHEMASYNC_RECEIVER_IAM_PASSWORD or --iam-password)")
                }
                guard iamTokenLifetime > 0 else {
                    throw UsageError(description: "--iam-token-lifetime must be a positive number of seconds")
                }
                iam = IAMEmulation(
                    user: iamUser, password: password, domain: iamDomain, projectName: iamProjectName,
                    tokenLifetime: TimeInterval(iamTokenLifetime))
            }
            guard auth != nil || iam != nil else {
                throw UsageError(
                    description:
                        "no way to authenticate: give --ak with SCHEMASYNC_RECEIVER_SK, or --token (or "
                        + "SCHEMASYNC_RECEIVER_TOKEN), or --iam-user/--iam-domain with SCHEMASYNC_RECEIVER_IAM_PASSWORD"
                )
            }
            guard (0...65_535).contains(port) else { throw UsageError(description: "--port must be 0…65535") }
            guard maxBodyBytes > 0 else { throw UsageError(description: "--max-body-bytes must be positive") }
            var parsed: [Fault] = []
            for spec in faults.flatMap({ $0.split(separator: ",").map(String.init) }) {
                do {
                    parsed.append(try Fault.parse(spec))
                } catch {
                    throw UsageError(description: error.description)
                }
            }
            return ReceiverOptions(
                host: host, port: port, projectID: projectID, auth: auth, iam: iam, recordPath: record,
                stateDirectory: state, faults: parsed, maxBodyBytes: maxBodyBytes)
        }

        /// Serves until SIGTERM or SIGINT.
        private func serve(_ receiver: Receiver) async throws {
            let port = try receiver.start()
            // The signal sources are made only now (libdispatch traps when a source is released
            // without being resumed), and watch before the line is printed: a client that sends
            // SIGTERM as soon as it reads the line is heard.
            signal(SIGTERM, SIG_IGN)
            signal(SIGINT, SIG_IGN)
            let queue = DispatchQueue(label: "schemasync.receive.signals")
            let stop = StopSignal()
            let sources = [SIGTERM, SIGINT].map { DispatchSource.makeSignalSource(signal: $0, queue: queue) }
            for source in sources {
                source.setEventHandler { stop.fire() }
                source.resume()
            }
            let url = receiver.baseURL?.absoluteString ?? "http://127.0.0.1:\(port)"
            printOut(Data("listening \(url)\n".utf8))
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                stop.wait(continuation)
            }
            for source in sources { source.cancel() }
            receiver.stop()
            FileHandle.standardError.write(Data("receive: stopped\n".utf8))
        }
    }
}

/// A stop request that may come before or after someone waits for it; resumes once.
private final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var continuation: CheckedContinuation<Void, Never>?

    /// Records the stop, and resumes the waiter if there is one.
    func fire() {
        lock.lock()
        fired = true
        let waiter = continuation
        continuation = nil
        lock.unlock()
        waiter?.resume()
    }

    /// Resumes `continuation` once the stop has come (at once if it already has).
    func wait(_ continuation: CheckedContinuation<Void, Never>) {
        lock.lock()
        if fired {
            lock.unlock()
            continuation.resume()
            return
        }
        self.continuation = continuation
        lock.unlock()
    }
}
