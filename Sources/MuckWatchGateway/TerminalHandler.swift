import NIOCore
import MuckWatchCore
import MuckWatchIngest

/// One terminal connection: bytes → frame candidates (`StreamFramer`) → the protocol
/// (`TerminalSession`) → replies on the socket and fixes to the `LiveEngine`.
///
/// Back-pressure: when the analysis shard of this terminal's vehicle is over its bound,
/// the handler stops asking the socket for more (it holds back `read`), so the kernel's
/// buffers fill and the terminal's TCP stream slows; the shard resumes it when drained.
final class TerminalHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var framer: StreamFramer
    private var session: TerminalSession
    private let engine: LiveEngine
    private let stats: GatewayStatsBox
    private var out: [UInt8] = []
    private var fixes: [Fix] = []
    private var context: ChannelHandlerContext?
    private var resumer: ReadResumer?
    /// Reads are held back until the shard drains.
    private var paused = false
    /// A `read` arrived while paused: issue it on resume.
    private var readHeld = false

    init(engine: LiveEngine, auth: AuthCodes, maxRunBytes: Int, stats: GatewayStatsBox) {
        self.engine = engine
        self.stats = stats
        framer = StreamFramer(maxRunBytes: maxRunBytes)
        session = TerminalSession(terminals: engine.terminals, auth: auth)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        resumer = ReadResumer(handler: self, eventLoop: context.eventLoop)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        resumer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        stats.update { $0.connectionsOpen += 1; $0.connectionsTotal += 1 }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stats.update { $0.connectionsOpen -= 1 }
        context.fireChannelInactive()
    }

    func read(context: ChannelHandlerContext) {
        if paused {
            readHeld = true
        } else {
            context.read()
        }
    }

    /// Called on the event loop by the shard once it has room again.
    func resumeReading() {
        guard paused else { return }
        paused = false
        if readHeld, let context {
            readHeld = false
            context.read()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        var close = false
        var overflow = false
        do throws(StreamFramer.Overflow) {
            try buffer.withUnsafeReadableBytes { (bytes: UnsafeRawBufferPointer) throws(StreamFramer.Overflow) in
                try framer.push(bytes) { run in
                    guard !close else { return }
                    if session.handle(run, out: &out, fixes: &fixes) { close = true }
                }
            }
        } catch {
            overflow = true
        }
        var pause = false
        if !fixes.isEmpty, let resumer {
            pause = engine.feed(fixes, vehicle: session.vehicle, resumer: resumer)
            fixes.removeAll(keepingCapacity: true)
        }
        let counts = session.counts
        session.counts = SessionCounts()
        stats.update {
            $0.counts += counts
            if overflow { $0.closedOverflow += 1 }
            if close { $0.closedRefused += 1 }
            if pause && !paused { $0.readPauses += 1 }
        }
        if pause { paused = true }
        if !out.isEmpty {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: out)), promise: nil)
            out.removeAll(keepingCapacity: true)
        }
        if close || overflow { context.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let e = event as? IdleStateHandler.IdleStateEvent, e == .read {
            stats.update { $0.closedIdle += 1 }
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
