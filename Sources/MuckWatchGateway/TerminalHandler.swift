import NIOCore
import MuckWatchCore
import MuckWatchJT808
import MuckWatchJournal

/// One terminal connection: bytes → the protocol (`TerminalSession`, which frames them)
/// → replies on the socket and fixes to the `LiveEngine`.
///
/// A read's replies are written at once but flushed, and its fixes and counts handed on,
/// at the end of the event loop's iteration, together with every other connection's of
/// that loop (`LoopBatch`): one feed per shard and one lock per iteration instead of per
/// read. A connection still gets one ack per message, in order, after its fixes are
/// queued. Closing (a refused registration, an overlong run) flushes at once.
///
/// Back-pressure: when the analysis shard of this terminal's vehicle is over its bound,
/// the handler stops asking the socket for more (it holds back `read`), so the kernel's
/// buffers fill and the terminal's TCP stream slows; the shard resumes it when drained.
final class TerminalHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var session: TerminalSession
    private let engine: LiveEngine
    private let stats: GatewayStatsBox
    private let batch: LoopBatch
    private var out: [UInt8] = []
    private var fixes: [Fix] = []
    /// Reply bytes handed to the channel (reused: see `channelRead`).
    private var reply = ByteBuffer()
    private var context: ChannelHandlerContext?
    private var resumer: ReadResumer?
    /// Reads are held back until the shard drains.
    private var paused = false
    /// A `read` arrived while paused: issue it on resume.
    private var readHeld = false
    /// With a journal: replies written but waiting for the commit of their loop iteration,
    /// and where each iteration's end in them is (`hold`, `release`).
    private var held: [UInt8] = []
    private var holds: [(sequence: UInt64, end: Int)] = []
    /// Close once the held replies have left (a refusal, an overlong run).
    private var closeAfterRelease = false

    init(engine: LiveEngine, auth: AuthCodes, maxRunBytes: Int, stats: GatewayStatsBox, batch: LoopBatch) {
        self.engine = engine
        self.stats = stats
        self.batch = batch
        session = TerminalSession(terminals: engine.terminals, auth: auth, maxRunBytes: maxRunBytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        reply = context.channel.allocator.buffer(capacity: 256)
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
        let wasRefused = session.isRefused
        var overflow = false
        do throws(JT808FrameSplitter.Overflow) {
            // The socket boundary: NIO lends its storage only as raw bytes, and reading it
            // through a ByteSpan instead of copying it out is what keeps a read allocation-free.
            try buffer.withUnsafeReadableBytes { (raw: UnsafeRawBufferPointer) throws(JT808FrameSplitter.Overflow) in
                try raw.withMemoryRebound(to: UInt8.self) { (bytes) throws(JT808FrameSplitter.Overflow) in
                    try session.receive(ByteSpan(unsafeBorrowing: bytes), out: &out, fixes: &fixes)
                }
            }
        } catch {
            overflow = true
        }
        let close = session.isRefused && !wasRefused
        if !fixes.isEmpty, let resumer {
            let shard = engine.shard(of: session.vehicle)
            if batch.isJournaled, let phone = session.phone {
                let received = JournalWriter.wallClockMs()
                batch.journal(zip(fixes, session.origins).lazy.map { f, o in
                    JournalEntry(fix: f, phoneHigh: phone.high, phoneLow: phone.low, messageID: o.messageID,
                                 serial: o.serial, receivedMs: received)
                })
            }
            if batch.add(fixes, shard: shard), !paused {
                paused = true
                batch.pause(resumer, shard: shard)
            }
            fixes.removeAll(keepingCapacity: true)
        }
        session.origins.removeAll(keepingCapacity: true)
        if session.counts != SessionCounts() {
            batch.count(session.counts)
            session.counts = SessionCounts()
        }
        if !out.isEmpty, batch.isJournaled {
            held.append(contentsOf: out)
            out.removeAll(keepingCapacity: true)
            batch.needsFlush(self)
        } else if !out.isEmpty {
            // Into the connection's own buffer: once its last write has left (on loopback,
            // within the flush) it is uniquely owned again and `clear` keeps its storage,
            // so no allocation per read; if a write is still queued, `clear` allocates anew.
            reply.clear()
            reply.writeBytes(out)
            out.removeAll(keepingCapacity: true)
            context.write(wrapOutboundOut(reply), promise: nil)
            batch.needsFlush(self)
        }
        if close || overflow {
            stats.update {
                if overflow { $0.closedOverflow += 1 }
                if close { $0.closedRefused += 1 }
            }
            // The replies (a refusal) and this iteration's counts leave before the close.
            batch.flush()
            if held.isEmpty {
                context.close(promise: nil)
            } else {
                closeAfterRelease = true
            }
        }
    }

    /// The replies held so far belong to loop iteration `sequence` (with a journal).
    func hold(_ sequence: UInt64) {
        if held.count > (holds.last?.end ?? 0) { holds.append((sequence, held.count)) }
    }

    /// Iteration `sequence` is settled: its held replies (and earlier ones) leave, or,
    /// when its commit failed, are dropped (`send` false): the terminal resends what has no ack.
    func release(_ sequence: UInt64, send: Bool) {
        let n = holds.prefix { $0.sequence <= sequence }.count
        guard n > 0 else { return }
        let end = holds[n - 1].end
        if send, let context {
            reply.clear()
            reply.writeBytes(held[0..<end])
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
        }
        held.removeFirst(end)
        holds.removeFirst(n)
        for k in holds.indices { holds[k].end -= end }
        if closeAfterRelease, held.isEmpty { context?.close(promise: nil) }
    }

    /// Sends the replies written during this loop iteration (`LoopBatch.flush`).
    func flushReplies() {
        context?.flush()
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
