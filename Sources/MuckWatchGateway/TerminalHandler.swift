import NIOCore
import MuckWatchCore
import MuckWatchIngest

/// One terminal connection: bytes → frame candidates (`StreamFramer`) → the protocol
/// (`TerminalSession`) → replies on the socket and fixes to the `LiveEngine`.
final class TerminalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var framer: StreamFramer
    private var session: TerminalSession
    private let engine: LiveEngine
    private let stats: GatewayStatsBox
    private var out: [UInt8] = []
    private var fixes: [Fix] = []

    init(engine: LiveEngine, auth: AuthCodes, maxRunBytes: Int, stats: GatewayStatsBox) {
        self.engine = engine
        self.stats = stats
        framer = StreamFramer(maxRunBytes: maxRunBytes)
        session = TerminalSession(terminals: engine.terminals, auth: auth)
    }

    func channelActive(context: ChannelHandlerContext) {
        stats.update { $0.connectionsOpen += 1; $0.connectionsTotal += 1 }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stats.update { $0.connectionsOpen -= 1 }
        context.fireChannelInactive()
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
        if !fixes.isEmpty {
            engine.feed(fixes)
            fixes.removeAll(keepingCapacity: true)
        }
        let counts = session.counts
        session.counts = SessionCounts()
        stats.update {
            $0.counts += counts
            if overflow { $0.closedOverflow += 1 }
            if close { $0.closedRefused += 1 }
        }
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
