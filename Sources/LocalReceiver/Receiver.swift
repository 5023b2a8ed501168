import EventContract
public import Foundation
import NIOCore
public import SchemaModel
import SnapshotStore
import SystemSupport

/// Why the receiver could not start, load or keep its state; never holds a secret.
public struct ReceiverError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public enum Code: Sendable, Hashable {
        /// The options are wrong (a host that is not loopback, no way to authenticate, a bad fault list).
        case invalidOptions
        /// The address could not be bound (the port is taken, say).
        case cannotListen
        /// The state file is damaged or of a newer format.
        case corruptState
        /// The state folder or the record file could not be read or written.
        case io
        /// `--dump` found no catalog, or not the one asked for.
        case noCatalog
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to do.
    public var description: String

    /// An error of `code` with a message.
    public init(code: Code, description: String) {
        self.code = code
        self.description = description
    }
}

/// How many requests the receiver has seen and what they did.
public struct ReceiverStatistics: Sendable, Hashable {
    /// `async-bulk` POSTs received (the numbering that faults use).
    public var requests = 0
    /// Bodies applied.
    public var applied = 0
    /// Bodies acknowledged as a resend of the last body applied to their catalog, not applied again.
    public var duplicates = 0
    /// Events applied, over every applied body.
    public var eventsApplied = 0
    /// Requests answered with a 4xx or 5xx status (injected faults included).
    public var refused = 0
}

/// A local stand-in for DataArts Studio's metadata real-time sync API on loopback: it checks
/// authentication and bodies as the API does, applies the events to its own catalogs (the
/// replay law), records what it accepted, and can inject faults. docs/receiver.md has it all.
///
/// ```swift
/// let receiver = try Receiver(ReceiverOptions(projectID: "p1", auth: .accessKey(ak: "AK", sk: "SK")))
/// let port = try receiver.start()          // POST http://127.0.0.1:\(port)/v1/p1/metadata/async-bulk
/// …
/// receiver.catalog                          // what the events built
/// receiver.stop()
/// ```
public final class Receiver: @unchecked Sendable {
    /// The options it was made with.
    public let options: ReceiverOptions

    private let lock = NSLock()
    private var book: CatalogBook
    private var stats = ReceiverStatistics()
    private var tokens = TokenBook()
    private var pendingFaults: [Int: Fault]
    private let delayMilliseconds: Int
    private let record: RecordFile?
    /// The `--state` folder, open and locked while the receiver lives.
    private let state: StateFolder?
    private var server: HTTPServer?
    private var stopped = false

    /// Checks the options, opens the record file and loads the state folder, if any.
    public init(_ options: ReceiverOptions) throws(ReceiverError) {
        self.options = options
        guard Self.isLoopback(options.host) else {
            throw ReceiverError(
                code: .invalidOptions,
                description: "host \(options.host) is not a loopback address: the receiver serves only 127.0.0.1 or ::1"
            )
        }
        guard !options.projectID.isEmpty, !options.projectID.contains("/") else {
            throw ReceiverError(code: .invalidOptions, description: "the project ID must be non-empty, without /")
        }
        switch options.auth {
        case .accessKey(let ak, let sk) where ak.isEmpty || sk.isEmpty:
            throw ReceiverError(code: .invalidOptions, description: "AK/SK authentication needs both an AK and an SK")
        case .token(let token) where token.isEmpty:
            throw ReceiverError(code: .invalidOptions, description: "token authentication needs a non-empty token")
        case nil where options.iam == nil:
            throw ReceiverError(
                code: .invalidOptions,
                description: "no way to authenticate: give an AK and SK, a token, or an IAM user to emulate")
        default:
            break
        }
        guard options.maxBodyBytes > 0 else {
            throw ReceiverError(code: .invalidOptions, description: "the maximum body size must be positive")
        }
        guard options.ioTimeout > 0, options.maxConnections > 0, options.hangLimit >= 0,
            options.allowedClockSkew >= 0
        else {
            throw ReceiverError(
                code: .invalidOptions,
                description:
                    "the I/O timeout and the connection limit must be positive, the hang limit and clock skew not negative"
            )
        }
        var faults: [Int: Fault] = [:]
        var delay = 0
        for fault in options.faults {
            if case .delay(let milliseconds) = fault {
                delay = milliseconds
            } else if let request = fault.request {
                guard faults[request] == nil else {
                    throw ReceiverError(code: .invalidOptions, description: "two faults for request \(request)")
                }
                faults[request] = fault
            }
        }
        pendingFaults = faults
        delayMilliseconds = delay
        if let folder = options.stateDirectory {
            let (opened, stored) = try StateFolder.load(folder, compactionFloor: options.journalCompactionFloor)
            state = opened
            book = stored
        } else {
            state = nil
            book = CatalogBook()
        }
        record = try options.recordPath.map { path throws(ReceiverError) in try RecordFile(path: path) }
    }

    /// Starts listening and returns the bound port.
    @discardableResult
    public func start() throws(ReceiverError) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let server, let port = server.port, !stopped { return port }
        guard !stopped else {
            throw ReceiverError(
                code: .invalidOptions, description: "a stopped receiver does not start again: make a new one")
        }
        var limits = HTTPServer.Limits()
        limits.maxBodyBytes = options.maxBodyBytes
        limits.ioTimeout = options.ioTimeout
        limits.maxConnections = options.maxConnections
        limits.hangLimit = options.hangLimit
        let host = Self.bindAddress(options.host)
        let log = options.log
        let handler: HTTPServer.Handler = { [weak self] request in
            guard let self else { return .drop }
            return self.handle(request)
        }
        let server = HTTPServer(
            host: host, port: options.port, limits: limits, log: { log("receive: " + $0) }, handler: handler)
        do {
            let port = try server.start()
            self.server = server
            return port
        } catch {
            throw ReceiverError(code: .cannotListen, description: error.message)
        }
    }

    /// The bound port, once started.
    public var port: Int? {
        lock.lock()
        defer { lock.unlock() }
        return server?.port
    }

    /// The base URL, `http://127.0.0.1:<port>`, once started.
    public var baseURL: URL? {
        guard let port else { return nil }
        let host = Self.bindAddress(options.host)
        return URL(string: host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)")
    }

    /// Stops listening, closes open connections and waits (a few seconds at most) for them,
    /// then compacts the state folder's journal into its state file and releases the folder.
    /// A stopped receiver does not start again.
    public func stop() {
        lock.lock()
        let server = self.server
        stopped = true
        lock.unlock()
        server?.stop()
        lock.lock()
        defer { lock.unlock() }
        guard let state else { return }
        do {
            try state.compact(book)
        } catch {
            // Nothing is lost: the journal still holds the bodies, replayed at the next start.
            options.log("receive: \(error)")
        }
        state.release()
    }

    /// Every catalog received, sorted by name.
    public var catalogs: [Catalog] {
        lock.lock()
        defer { lock.unlock() }
        return book.snapshots.map(\.catalog)
    }

    /// The catalog, when exactly one was received (a single source); nil otherwise.
    public var catalog: Catalog? {
        let all = catalogs
        return all.count == 1 ? all[0] : nil
    }

    /// The counts of requests so far.
    public var statistics: ReceiverStatistics {
        lock.lock()
        defer { lock.unlock() }
        return stats
    }

    /// The snapshots stored in a state folder (what `schemasync receive --dump` prints),
    /// sorted by catalog name; empty when nothing was stored.
    public static func storedSnapshots(stateDirectory: String) throws(ReceiverError) -> [Snapshot] {
        try StateFolder.read(stateDirectory).book.snapshots
    }

    /// Whether `host` is this machine itself: the one check the client shares
    /// (`SystemSupport.Loopback`).
    static func isLoopback(_ host: String) -> Bool { Loopback.isLoopback(host) }

    /// The literal address to bind for a loopback `host`: `localhost` is `127.0.0.1`, brackets
    /// go, and an IPv4-mapped `::ffff:127.x.y.z` is bound as the IPv4 address it maps.
    static func bindAddress(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasPrefix("[") && name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "localhost." { return "127.0.0.1" }
        if name.hasPrefix("::ffff:"), name.dropFirst(7).contains(".") { return String(name.dropFirst(7)) }
        return name
    }

    // MARK: - Requests

    private func handle(_ request: HTTPRequest) -> HTTPReply {
        let path = request.path
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let reply: HTTPReply
        var note = ""
        if segments.count == 5, segments[0].isEmpty, segments[1] == "v1", segments[3] == "metadata",
            segments[4] == "async-bulk"
        {
            if request.method == "POST" {
                (reply, note) = asyncBulk(request, project: segments[2])
            } else {
                reply = errorReply(404, "APIG.0101", "The API does not exist: async-bulk takes POST only")
            }
        } else if segments.count == 4, segments[0].isEmpty, segments[1] == "v1", segments[3] == "instances",
            request.method == "GET"
        {
            reply = listInstances(request, project: segments[2])
        } else if path == "/v3/auth/tokens" && request.method == "POST" {
            reply = iamLogin(request)
        } else if path == "/health" && request.method == "GET" {
            reply = .respond(.json(200, JSONValue.object(["status": "ok"]).data))
        } else if path == "/catalog" && request.method == "GET" {
            reply = catalogReply(query: request.query)
        } else if path == "/catalogs" && request.method == "GET" {
            let names = catalogs.map { JSONValue.string($0.name) }
            reply = .respond(.json(200, JSONValue.array(names).data))
        } else {
            reply = errorReply(
                404, "APIG.0101",
                "The API does not exist or has not been published in the environment: "
                    + "\(request.method) \(path)")
        }
        log(request, reply, note)
        return reply
    }

    /// One log line: method, path, status, and what happened; never a header value.
    private func log(_ request: HTTPRequest, _ reply: HTTPReply, _ note: String) {
        let outcome: String
        switch reply {
        case .respond(let response, _, _): outcome = "\(response.status)"
        case .hang: outcome = "hang"
        case .drop: outcome = "drop"
        case .reset: outcome = "reset"
        }
        let path = String(request.path.prefix(200))
        options.log("receive: \(request.method) \(path) \(outcome)\(note.isEmpty ? "" : " " + note)")
    }

    private func errorReply(
        _ status: Int, _ code: String, _ message: String, headers: [(name: String, value: String)] = []
    )
        -> HTTPReply
    {
        .respond(.json(status, ReceiverAnswer.errorBody(code, message), headers: headers))
    }

    private func asyncBulk(_ request: HTTPRequest, project: String) -> (HTTPReply, String) {
        lock.lock()
        defer { lock.unlock() }
        stats.requests += 1
        let number = stats.requests
        let fault = pendingFaults.removeValue(forKey: number)
        let delay = delayMilliseconds
        var note = "request \(number)"
        switch fault {
        case .status(let status, let retryAfter, _)?:
            stats.refused += 1
            let headers: [(name: String, value: String)] = retryAfter.map { [("Retry-After", String($0))] } ?? []
            let code = status == 429 ? "APIG.0308" : status >= 500 ? "DLM.5001" : "DLM.4000"
            let message =
                status == 429
                ? "The throttling threshold has been reached (injected fault \(status)@\(number))"
                : "injected fault \(status)@\(number): nothing was applied"
            let response = HTTPResponse.json(status, ReceiverAnswer.errorBody(code, message), headers: headers)
            return (.respond(response, delayMilliseconds: delay), note + " fault \(status)")
        case .hang?:
            return (.hang, note + " fault hang")
        case .drop?:
            return (.drop, note + " fault drop")
        default:
            break
        }
        var (response, outcome) = process(request, project: project)
        note += " " + outcome
        let processRefused = response.status >= 400
        if processRefused { stats.refused += 1 }
        switch fault {
        case .reset?:
            return (.reset(partial: Array("HTTP/1.1 2".utf8)), note + " fault reset")
        case .recorded500?:
            if !processRefused { stats.refused += 1 }
            response = .json(500, ReceiverAnswer.errorBody("DLM.5001", "injected fault recorded-500@\(number)"))
            return (.respond(response, delayMilliseconds: delay), note + " fault recorded-500")
        default:
            return (.respond(response, delayMilliseconds: delay), note)
        }
    }

    /// `GET /v1/{project_id}/instances`: the authenticated, side-effect-free request of
    /// `schemasync check`. Answers as DataArts Studio's instance list does, with no instances.
    private func listInstances(_ request: HTTPRequest, project: String) -> HTTPReply {
        guard project == options.projectID else {
            return errorReply(
                404, "DLM.4041", "project \(project) is not served here: the path must be /v1/\(options.projectID)/…")
        }
        lock.lock()
        let failure = authenticate(request)
        lock.unlock()
        if let failure { return errorReply(401, "APIG.0301", failure) }
        return .respond(.json(200, JSONValue.object(["total": 0, "instances": []]).data))
    }

    /// Checks project, authentication and body, then applies and records. Called with the lock held.
    private func process(_ request: HTTPRequest, project: String) -> (HTTPResponse, String) {
        func refuse(_ status: Int, _ code: String, _ message: String) -> (HTTPResponse, String) {
            (.json(status, ReceiverAnswer.errorBody(code, message)), code)
        }
        guard project == options.projectID else {
            return refuse(
                404, "DLM.4041", "project \(project) is not served here: the path must be /v1/\(options.projectID)/…")
        }
        if let header = request.header("X-Project-Id"), header != project {
            return refuse(403, "APIG.0302", "X-Project-Id \(header) disagrees with the project \(project) in the path")
        }
        if let failure = authenticate(request) {
            return refuse(401, "APIG.0301", failure)
        }
        let hash = CatalogBook.hash(request.body)
        if book.isResend(bodyHash: hash) {
            do {
                try record?.append(request.body)
            } catch {
                return refuse(500, "DLM.5002", "\(error)")
            }
            stats.duplicates += 1
            return (.json(200, Self.success), "duplicate of its catalog's last applied body, not applied again")
        }
        let root: JSONValue
        let checked: CheckedBody
        let next: CatalogBook
        let receivedAtMillis = WallClock.nowMillis()
        do {
            root = try CatalogBook.parse(request.body)
            checked = try CatalogBook.check(root)
            next = try book.applying(checked, bodyHash: hash, receivedAtMillis: receivedAtMillis)
        } catch {
            return refuse(400, error.code, error.message)
        }
        var mark: Int64?
        if let state {
            do {
                mark = try state.append(root, hash: hash, receivedAtMillis: receivedAtMillis)
            } catch {
                return refuse(500, "DLM.5002", "\(error)")
            }
        }
        do {
            try record?.append(request.body)
        } catch {
            // "Nothing was applied" must hold after a restart too: take the journal's line back.
            if let state, let mark {
                do {
                    try state.undo(to: mark)
                } catch {
                    options.log("receive: cannot take back the state journal's line after a failed record: \(error)")
                }
            }
            return refuse(500, "DLM.5002", "\(error)")
        }
        book = next
        if let state, state.compactionDue {
            do {
                try state.compact(book)
            } catch {
                // The body is in the journal, flushed: acknowledged all the same.
                options.log("receive: cannot compact the state journal (it keeps growing): \(error)")
            }
        }
        stats.applied += 1
        stats.eventsApplied += checked.events.count
        return (.json(200, Self.success), "applied \(checked.events.count) events")
    }

    private static let success = JSONValue.object(["success": true]).data

    /// Nil when the request is authentic, else why not (never a secret).
    private func authenticate(_ request: HTTPRequest) -> String? {
        let prefix = Authentication.prefix
        if request.header("Authorization") != nil {
            guard case .accessKey(let ak, let sk) = options.auth else {
                return prefix + "AK/SK signing is not enabled on this receiver: send X-Auth-Token"
            }
            return Authentication.verifySignature(
                request, ak: ak, sk: sk, now: Date(), allowedSkew: options.allowedClockSkew)
        }
        guard let token = request.header("X-Auth-Token") else {
            return prefix + "x-auth-token not found (and no Authorization header)"
        }
        if case .token(let expected) = options.auth, Authentication.constantTimeEqual(token, expected) {
            return nil
        }
        if let expiry = tokens.expiry(of: token) {
            return expiry > Date()
                ? nil : prefix + "token expires, expires_at: \(IAMLogin.iamTime(expiry))"
        }
        return prefix + "decrypt token fail"
    }

    private func iamLogin(_ request: HTTPRequest) -> HTTPReply {
        guard let iam = options.iam else {
            return errorReply(404, "APIG.0101", "IAM emulation is not enabled on this receiver")
        }
        if let failure = IAMLogin.check(request.body, iam: iam, projectID: options.projectID) {
            return .respond(failure)
        }
        let now = Date()
        let expiry = now.addingTimeInterval(iam.tokenLifetime)
        lock.lock()
        let token = tokens.issue(until: expiry)
        lock.unlock()
        return .respond(
            IAMLogin.issued(token: token, issuedAt: now, expiresAt: expiry, iam: iam, projectID: options.projectID))
    }

    private func catalogReply(query: String) -> HTTPReply {
        lock.lock()
        let snapshots = book.snapshots
        lock.unlock()
        var name: String?
        for item in query.split(separator: "&") where item.hasPrefix("name=") {
            name = String(item.dropFirst(5)).removingPercentEncoding
        }
        let chosen: Snapshot
        if let name {
            guard let found = snapshots.first(where: { $0.catalog.name == name }) else {
                return errorReply(404, "DLM.4042", "no catalog \(name) was received")
            }
            chosen = found
        } else {
            guard let only = snapshots.first else {
                return errorReply(404, "DLM.4042", "no catalog was received yet")
            }
            guard snapshots.count == 1 else {
                let names = snapshots.map(\.catalog.name).joined(separator: ", ")
                return errorReply(409, "DLM.4090", "several catalogs were received (\(names)): ask /catalog?name=NAME")
            }
            chosen = only
        }
        return .respond(.json(200, Data(SnapshotCoder.encodeBytes(chosen))))
    }
}

/// The API's error answer: `{"error_code": …, "error_msg": …}`.
enum ReceiverAnswer {
    static func errorBody(_ code: String, _ message: String) -> Data {
        JSONValue.object(["error_code": .string(code), "error_msg": .string(message)]).data
    }
}
