import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One connection of the receiver, behind NIO's HTTP/1.1 decoder and encoder: the limits and
/// framing rules of docs/receiver.md, the request handler run off the event loop, and the
/// faults (`HTTPReply`) written as channel operations.
///
/// One request at a time: parts of a next request that arrive while one is answered wait in
/// a queue (bounded), and are read once the answer is written. The decoder refuses what is
/// not HTTP/1.1 (a bad request line or header, a `Content-Length` that is not digits, both
/// `Content-Length` and `Transfer-Encoding`, a chunk size that is not hexadecimal, a head
/// beyond the limit): answered 400 (431 for the head) and closed, the server lives on.
///
/// Timeouts (`ioTimeout`, from `IdleStateHandler`'s events and two deadlines): a connection
/// that waits for a request is closed when the client sends nothing for `ioTimeout`, or when
/// no whole head came within twice that; a body must arrive within four times that of its
/// head, with no pause as long as `ioTimeout`; an answer the client does not take within
/// `ioTimeout` closes the connection. Nothing is timed while the receiver answers, hangs or delays.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for a request (the decoder reads its head).
        case waiting
        /// A head was read; its body arrives.
        case reading
        /// The request handler runs, or its answer is delayed or being written.
        case answering
        /// A `hang` fault: no answer until the client goes, the server stops or the hang limit passes.
        case hanging
        /// Refused, dropped, or answered with `Connection: close`: nothing more is read.
        case closing
    }

    /// What arrived while a request was being answered.
    private enum Queued {
        case part(HTTPServerRequestPart)
        case error(any Error)
    }

    private let slot: ConnectionTable.Slot
    private let table: ConnectionTable
    private let limits: HTTPServer.Limits
    private let pool: NIOThreadPool
    private let log: HTTPServer.Log
    private let handler: HTTPServer.Handler

    private var state = State.waiting
    private var waitingSince = NIODeadline.now()
    private var head: HTTPRequestHead?
    private var label = "- -"
    private var body = ByteBuffer()
    private var queued: [Queued] = []
    private var queuedBytes = 0
    /// Since when an answer is being written; nil when none is.
    private var writingSince: NIODeadline?
    private var deadline: Scheduled<Void>?

    init(
        slot: ConnectionTable.Slot, table: ConnectionTable, limits: HTTPServer.Limits, pool: NIOThreadPool,
        log: @escaping HTTPServer.Log, handler: @escaping HTTPServer.Handler
    ) {
        self.slot = slot
        self.table = table
        self.limits = limits
        self.pool = pool
        self.log = log
        self.handler = handler
    }

    static func amount(_ seconds: TimeInterval) -> TimeAmount {
        .nanoseconds(Int64(min(max(0.001, seconds), 1e9) * 1_000_000_000))
    }

    // MARK: - Events

    func channelActive(context: ChannelHandlerContext) {
        enterWaiting(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        state = .closing
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch state {
        case .waiting, .reading:
            read(part, context)
        case .answering:
            if case .body(let buffer) = part { queuedBytes += buffer.readableBytes }
            queued.append(.part(part))
            // A client that pipelines more than a request's worth meanwhile is cut off.
            if queuedBytes > limits.maxBodyBytes + limits.maxHeadBytes || queued.count > 100_000 {
                close(context)
            }
        case .hanging, .closing:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch state {
        case .waiting, .reading:
            fail(error, context)
        case .answering:
            queued.append(.error(error))
        case .hanging, .closing:
            break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch (idle, state) {
        case (.read, .reading):
            close(context)
        case (.read, .waiting) where NIODeadline.now() - waitingSince >= Self.amount(limits.ioTimeout):
            close(context)
        case (.write, _) where writingSince.map { NIODeadline.now() - $0 >= Self.amount(limits.ioTimeout) } ?? false:
            close(context)
        default:
            break
        }
    }

    // MARK: - Reading a request

    private func read(_ part: HTTPServerRequestPart, _ context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            begin(head, context)
        case .body(var buffer):
            guard state == .reading else { return }
            guard body.readableBytes + buffer.readableBytes <= limits.maxBodyBytes else {
                refuse(413, tooLarge("exceeds that"), context)
                return
            }
            body.writeBuffer(&buffer)
        case .end:
            guard state == .reading, let head else { return }
            finish(head, context)
        }
    }

    private func begin(_ head: HTTPRequestHead, _ context: ChannelHandlerContext) {
        state = .reading
        table.setIdle(slot, false)
        self.head = head
        body = context.channel.allocator.buffer(capacity: 0)
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        label = "\(head.method.rawValue) \(path.prefix(200))"
        schedule(after: 4 * limits.ioTimeout, in: .reading, context)

        guard head.version.major == 1 else {
            refuse(505, "only HTTP/1.1 and HTTP/1.0 are served, not HTTP/\(head.version.major)", context)
            return
        }
        let codings = head.headers["Transfer-Encoding"].flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        var length = 0
        if !codings.isEmpty {
            // The decoder already refused chunked that is not last, and Content-Length beside it.
            guard codings == ["chunked"] else {
                refuse(501, "only the chunked transfer coding is supported, not \(codings)", context)
                return
            }
        } else if let text = head.headers["Content-Length"].first {
            // The decoder already refused anything but one run of digits.
            guard head.headers["Content-Length"].count == 1, let value = Int(text),
                text.allSatisfy({ $0.isASCII && $0.isNumber })
            else {
                refuse(400, "Content-Length is not one number", context)
                return
            }
            guard value <= limits.maxBodyBytes else {
                refuse(413, tooLarge("is \(value) bytes"), context)
                return
            }
            length = value
        } else if head.method == .POST || head.method == .PUT {
            refuse(411, "a \(head.method.rawValue) needs a Content-Length or a chunked body", context)
            return
        }
        let expectsContinue = head.headers["Expect"].first?.lowercased() == "100-continue"
        if expectsContinue && (length > 0 || !codings.isEmpty) {
            let interim = HTTPResponseHead(version: .http1_1, status: .continue)
            context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
        }
    }

    private func finish(_ head: HTTPRequestHead, _ context: ChannelHandlerContext) {
        cancelDeadline()
        state = .answering
        let request = HTTPRequest(
            method: head.method.rawValue, target: head.uri,
            version: "HTTP/\(head.version.major).\(head.version.minor)",
            headers: head.headers.map { (name: $0.name, value: $0.value) }, body: Data(body.readableBytesView))
        body = context.channel.allocator.buffer(capacity: 0)
        let keepAlive = request.keepAlive
        let handler = self.handler
        // The handler writes files and takes the receiver's lock: off the event loop.
        pool.runIfActive(eventLoop: context.eventLoop) { handler(request) }.assumeIsolated().whenComplete {
            result in
            switch result {
            case .success(let reply): self.answer(reply, keepAlive: keepAlive, context)
            case .failure: self.close(context)
            }
        }
    }

    // MARK: - Answering

    private func answer(_ reply: HTTPReply, keepAlive: Bool, _ context: ChannelHandlerContext) {
        guard state == .answering else { return }
        switch reply {
        case .respond(let response, let delay, let close):
            let closing = close || !keepAlive
            if delay > 0 {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(delay))) {
                    self.write(response, closing: closing, context)
                }
            } else {
                write(response, closing: closing, context)
            }
        case .drop:
            close(context)
        case .hang:
            state = .hanging
            queued = []
            queuedBytes = 0
            schedule(after: limits.hangLimit, in: .hanging, context)
        case .reset(let partial):
            state = .closing
            reset(partial, context)
        }
    }

    private func write(_ response: HTTPResponse, closing: Bool, _ context: ChannelHandlerContext) {
        guard state == .answering else { return }
        if closing { state = .closing }
        writingSince = .now()
        let parts = response.parts(close: closing, allocator: context.channel.allocator)
        for part in parts.dropLast() {
            context.write(wrapOutboundOut(part), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(parts[parts.count - 1])).assumeIsolated().whenComplete { result in
            self.writingSince = nil
            guard case .success = result else {
                context.close(promise: nil)
                return
            }
            if closing {
                Self.lingeringClose(context)
                return
            }
            self.enterWaiting(context)
            self.readQueued(context)
        }
    }

    /// Closes after an answer that ends the connection: FIN first, then what the client still
    /// sends is read and dropped until it closes (at most 2 s), so that unread bytes do not make
    /// the kernel reset the connection before the client read the answer (as nginx's lingering close).
    static func lingeringClose(_ context: ChannelHandlerContext) {
        context.close(mode: .output).assumeIsolated().whenComplete { result in
            if case .failure = result { context.close(promise: nil) }
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(2)) { context.close(promise: nil) }
    }

    /// Writes `partial` as raw bytes (past the response encoder), then resets the connection.
    private func reset(_ partial: [UInt8], _ context: ChannelHandlerContext) {
        guard let encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) else {
            context.close(promise: nil)
            return
        }
        let channel = context.channel
        // Written on the encoder's context, the bytes go to the handlers before it: the socket.
        encoder.writeAndFlush(NIOAny(channel.allocator.buffer(bytes: partial))).assumeIsolated().whenComplete { _ in
            guard let socket = channel as? any SocketOptionProvider else {
                channel.close(promise: nil)
                return
            }
            // SO_LINGER 0: close sends RST instead of FIN.
            socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// Refuses the request at the HTTP level: logs `METHOD PATH STATUS APIG.0201` (`- -` when no
    /// head was read), answers with an error body and `Connection: close`, and closes.
    private func refuse(_ status: Int, _ message: String, _ context: ChannelHandlerContext) {
        guard state == .waiting || state == .reading else { return }
        log("\(state == .reading ? label : "- -") \(status) APIG.0201")
        state = .answering
        cancelDeadline()
        write(.json(status, ReceiverAnswer.errorBody("APIG.0201", message)), closing: true, context)
    }

    private func fail(_ error: any Error, _ context: ChannelHandlerContext) {
        guard let parserError = error as? HTTPParserError else {
            close(context)
            return
        }
        let status = parserError == .headerOverflow ? 431 : 400
        refuse(status, Self.explain(parserError, limit: limits.maxHeadBytes), context)
    }

    /// What a decoder error means, for the answer's message.
    static func explain(_ error: HTTPParserError, limit: Int) -> String {
        switch error {
        case .headerOverflow: "the request head is larger than \(limit / 1024) KiB"
        case .invalidChunkSize: "a chunk size is not a hexadecimal number"
        case .invalidContentLength: "Content-Length is not a number"
        case .unexpectedContentLength:
            "Content-Length beside Transfer-Encoding, or several Content-Length values (RFC 9112 section 6.3)"
        case .invalidMethod, .invalidURL, .invalidVersion:
            "the request line is not `METHOD /target HTTP/1.1`"
        case .invalidHeaderToken: "a header line is not `Name: value`"
        case .unknown:
            "the request is not valid HTTP/1.1 (a Transfer-Encoding whose last coding is not chunked, say)"
        default: "the request is not valid HTTP/1.1: \(error)"
        }
    }

    private func tooLarge(_ what: String) -> String {
        "Request entity too large: the body \(what), this receiver takes at most \(limits.maxBodyBytes)"
    }

    // MARK: - Between requests

    private func enterWaiting(_ context: ChannelHandlerContext) {
        state = .waiting
        head = nil
        label = "- -"
        waitingSince = .now()
        table.setIdle(slot, true)
        schedule(after: 2 * limits.ioTimeout, in: .waiting, context)
    }

    /// Reads what arrived while the last request was answered, until a request needs answering.
    private func readQueued(_ context: ChannelHandlerContext) {
        var rest = queued[...]
        queued = []
        queuedBytes = 0
        while let item = rest.first {
            switch state {
            case .waiting, .reading:
                rest = rest.dropFirst()
                switch item {
                case .part(let part): read(part, context)
                case .error(let error): fail(error, context)
                }
            case .answering:
                queued = Array(rest)
                queuedBytes = queued.reduce(0) { total, item in
                    if case .part(.body(let buffer)) = item { return total + buffer.readableBytes }
                    return total
                }
                return
            case .hanging, .closing:
                return
            }
        }
    }

    /// Closes the connection after `seconds` if it is still in `expected` then.
    private func schedule(after seconds: TimeInterval, in expected: State, _ context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: Self.amount(seconds)) {
            if self.state == expected { self.close(context) }
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }

    private func close(_ context: ChannelHandlerContext) {
        state = .closing
        cancelDeadline()
        context.close(promise: nil)
    }
}
