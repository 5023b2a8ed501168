import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The receiver's HTTP/1.1 server on swift-nio, for loopback only.
///
/// SwiftNIO's `HTTPRequestDecoder` (llhttp) reads requests and `HTTPResponseEncoder` writes
/// answers; `HTTPConnectionHandler` (one per connection) holds the receiver's own rules: the
/// limits, the framing checks, running the request handler off the event loop, and the
/// faults the tests inject. One event loop serves every connection; the request handler
/// (which writes files and takes the receiver's lock) runs on a small thread pool.
///
/// Connections: at most `maxConnections` open at once. When a new client comes and every
/// slot is taken, the connection that has been idle longest (between requests, no request
/// in progress) is closed to make room, as nginx reuses its idle keep-alive connections;
/// only when every connection is busy is the new one answered 503 and closed.
final class HTTPServer: @unchecked Sendable {
    /// The server's limits.
    struct Limits: Sendable {
        /// The largest request head (request target and header fields).
        var maxHeadBytes = 64 * 1024
        /// The largest body.
        var maxBodyBytes = 16 * 1024 * 1024
        /// How long a connection may wait for the client (idle, or a stalled write) before it is closed.
        var ioTimeout: TimeInterval = 30
        /// At most this many connections at once (the idle ones give way to new clients).
        var maxConnections = 32
        /// How long a `.hang` reply holds a connection at most.
        var hangLimit: TimeInterval = 120
    }

    /// Why the server could not start.
    struct StartError: Error, Sendable {
        var message: String
    }

    typealias Handler = @Sendable (HTTPRequest) -> HTTPReply
    typealias Log = @Sendable (String) -> Void

    private let host: String
    private let requestedPort: Int
    private let limits: Limits
    private let handler: Handler
    private let log: Log
    private let table: ConnectionTable

    private let lock = NSLock()
    private var group: MultiThreadedEventLoopGroup?
    private var pool: NIOThreadPool?
    private var listener: (any Channel)?
    private var boundPort: Int?

    init(host: String, port: Int, limits: Limits, log: @escaping Log, handler: @escaping Handler) {
        self.host = host
        self.log = log
        requestedPort = port
        self.limits = limits
        self.handler = handler
        table = ConnectionTable(maxConnections: limits.maxConnections)
    }

    deinit {
        // Not `stop()`: that waits, and the last reference may go on one of the server's threads.
        listener?.close(promise: nil)
        group?.shutdownGracefully { _ in }
        pool?.shutdownGracefully { _ in }
    }

    /// The bound port once started.
    var port: Int? {
        lock.lock()
        defer { lock.unlock() }
        return boundPort
    }

    /// Binds and listens, and returns the bound port.
    func start() throws(StartError) -> Int {
        guard (0...65_535).contains(requestedPort) else {
            throw StartError(message: "port \(requestedPort) is not in 0…65535")
        }
        // A literal address only: no name lookup can send the listener elsewhere.
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: host, port: requestedPort)
        } catch {
            throw StartError(message: "\(host) is not an IP address")
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        let channel: any Channel
        do {
            channel = try bootstrap(group: group, pool: pool).bind(to: address).wait()
        } catch {
            try? group.syncShutdownGracefully()
            try? pool.syncShutdownGracefully()
            throw StartError(message: "cannot listen on \(host) port \(requestedPort): \(error)")
        }
        let port = channel.localAddress?.port ?? requestedPort
        lock.lock()
        self.group = group
        self.pool = pool
        listener = channel
        boundPort = port
        lock.unlock()
        return port
    }

    private func bootstrap(group: MultiThreadedEventLoopGroup, pool: NIOThreadPool) -> ServerBootstrap {
        let limits = self.limits
        let table = self.table
        let handler = self.handler
        let log = self.log
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 128)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.configure(
                        channel, table: table, limits: limits, pool: pool, log: log, handler: handler)
                }
            }
    }

    /// The pipeline of one accepted connection, or of one turned away with a 503.
    private static func configure(
        _ channel: any Channel, table: ConnectionTable, limits: Limits, pool: NIOThreadPool, log: @escaping Log,
        handler: @escaping Handler
    ) throws {
        let operations = channel.pipeline.syncOperations
        guard let slot = table.admit(channel) else {
            try operations.addHandlers([HTTPResponseEncoder(), RefusingHandler(log: log, limit: table.maxConnections)])
            return
        }
        channel.closeFuture.whenComplete { _ in table.remove(slot) }
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderFieldSize = limits.maxHeadBytes
        decoderLimits.maxHeaderListSize = limits.maxHeadBytes
        let timeout = TimeAmount.nanoseconds(Int64(max(0.001, limits.ioTimeout) * 1_000_000_000))
        try operations.addHandlers([
            IdleStateHandler(readTimeout: timeout, writeTimeout: timeout),
            HTTPResponseEncoder(),
            ByteToMessageHandler(
                HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: decoderLimits)),
            HTTPConnectionHandler(slot: slot, table: table, limits: limits, pool: pool, log: log, handler: handler),
        ])
    }

    /// Stops accepting, closes every open connection, and waits for the event loop and the
    /// request threads to finish (a request being handled finishes first). Safe to call more
    /// than once.
    func stop() {
        lock.lock()
        let listener = self.listener
        let group = self.group
        let pool = self.pool
        self.listener = nil
        self.group = nil
        self.pool = nil
        lock.unlock()
        table.closeAll()
        try? listener?.close().wait()
        // The pool first: a request it still runs hands its answer to a loop that is still there.
        try? pool?.syncShutdownGracefully()
        try? group?.syncShutdownGracefully()
    }
}

/// The open connections, each with the time it became idle (nil while a request is in
/// progress): so that idle clients can never lock out a new one.
final class ConnectionTable: @unchecked Sendable {
    /// One open connection.
    final class Slot: @unchecked Sendable {
        let channel: any Channel
        /// Since when the connection waits for a request; nil while one is in progress.
        fileprivate var idleSince: NIODeadline?

        init(_ channel: any Channel) {
            self.channel = channel
            idleSince = .now()
        }
    }

    let maxConnections: Int
    private let lock = NSLock()
    private var slots: [ObjectIdentifier: Slot] = [:]
    private var closed = false

    init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    /// A slot for a new connection: when every slot is taken, the longest-idle connection is
    /// closed to make room. Nil when every connection is busy, or the server stops.
    func admit(_ channel: any Channel) -> Slot? {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else { return nil }
        if slots.count >= maxConnections {
            let idle = slots.values.compactMap { slot in slot.idleSince.map { (slot, $0) } }
            guard let victim = idle.min(by: { $0.1 < $1.1 })?.0 else { return nil }
            slots[ObjectIdentifier(victim)] = nil
            victim.channel.close(promise: nil)
        }
        let slot = Slot(channel)
        slots[ObjectIdentifier(slot)] = slot
        return slot
    }

    /// Marks a connection idle (waiting for its next request) or busy.
    func setIdle(_ slot: Slot, _ idle: Bool) {
        lock.lock()
        slot.idleSince = idle ? .now() : nil
        lock.unlock()
    }

    func remove(_ slot: Slot) {
        lock.lock()
        slots[ObjectIdentifier(slot)] = nil
        lock.unlock()
    }

    /// Closes every connection and admits no more.
    func closeAll() {
        lock.lock()
        closed = true
        let all = slots.values
        slots = [:]
        lock.unlock()
        for slot in all { slot.channel.close(promise: nil) }
    }
}

/// Answers a connection that finds every slot busy with 503 `APIG.0203`, then closes it.
final class RefusingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = HTTPServerResponsePart

    private let log: HTTPServer.Log
    private let limit: Int

    init(log: @escaping HTTPServer.Log, limit: Int) {
        self.log = log
        self.limit = limit
    }

    func channelActive(context: ChannelHandlerContext) {
        log("- - 503 APIG.0203")
        let body = ReceiverAnswer.errorBody(
            "APIG.0203", "too many connections: at most \(limit), each busy with a request")
        let parts = HTTPResponse.json(503, body).parts(close: true, allocator: context.channel.allocator)
        for part in parts.dropLast() {
            context.write(wrapOutboundOut(part), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(parts[parts.count - 1])).assumeIsolated().whenComplete { _ in
            HTTPConnectionHandler.lingeringClose(context)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // What the client sends is not read.
    }
}
