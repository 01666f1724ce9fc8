import Foundation
import NIOConcurrencyHelpers
import NIOCore
import MuckWatchCore
import MuckWatchIngest
import MuckWatchJT808

/// Totals of every simulated terminal.
final class LoadTotals: @unchecked Sendable {
    private let lock = NIOLock()
    var authenticated = 0
    var refused = 0
    var fixesSent = 0
    var framesSent = 0
    /// 0x7e flags read back while streaming: two per ack frame.
    var ackFlags = 0
    var acks: Int { ackFlags / 2 }
    var closed = 0
    /// How late the tickers' slots ran (ms), once they stopped.
    var slotLatenessMs: [Double] = []
    func update(_ body: (LoadTotals) -> Void) { lock.withLock { body(self) } }
}

/// A script's location bodies (`JT808LocationReport.encode()`), encoded once at start-up.
struct EncodedScript {
    let bodies: [[UInt8]]
    init(_ script: Script) {
        bodies = script.fixes.map { JT808LocationReport(fix: $0).encode() }
    }
}

/// Shared by every terminal: when to start streaming and when to stop.
final class LoadPlan: @unchecked Sendable {
    let scripts: [Script]
    let encoded: [EncodedScript]
    let fixesPerTick: Int
    let tick: TimeAmount
    let clock: AlertClock
    let totals: LoadTotals
    /// Late slots run at once (the schedule is absolute); false: they push the schedule back.
    var catchUp = true
    /// One per client event loop (set before the terminals connect, then read-only).
    var tickers: [ObjectIdentifier: Ticker] = [:]
    private let lock = NIOLock()
    private var _stop = false

    init(scripts: [Script], fixesPerTick: Int, tick: TimeAmount, clock: AlertClock, totals: LoadTotals) {
        self.scripts = scripts
        encoded = scripts.map(EncodedScript.init)
        self.fixesPerTick = fixesPerTick
        self.tick = tick
        self.clock = clock
        self.totals = totals
    }

    func ticker(of loop: any EventLoop) -> Ticker { tickers[ObjectIdentifier(loop)]! }

    /// Starts every terminal's ticks.
    func go() { for t in tickers.values { t.go() } }

    var stop: Bool {
        get { lock.withLock { _stop } }
        set { lock.withLock { _stop = newValue } }
    }
}

/// One simulated terminal: registers, authenticates, then every tick (driven by its event
/// loop's `Ticker`) sends its next fixes in one write, as separate 0x0200 reports (even
/// terminals) or one 0x0704 batch (odd ones).
final class LoadTerminal: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let index: Int
    let phone: JT808Phone
    let plate: String
    let plan: LoadPlan
    let script: Script
    private let bodies: [[UInt8]]
    private var serial: UInt16 = 0
    private var state = 0  // 0 registering, 1 authenticating, 2 streaming
    private var run: [UInt8] = []
    private var position = 0
    private var nextTrigger = 0
    private var context: ChannelHandlerContext?
    private var ticker: Ticker?
    private let onReady: (Bool) -> Void

    init(index: Int, phone: JT808Phone, plate: String, plan: LoadPlan, onReady: @escaping (Bool) -> Void) {
        self.index = index
        self.phone = phone
        self.plate = plate
        self.plan = plan
        script = plan.scripts[index % plan.scripts.count]
        bodies = plan.encoded[index % plan.scripts.count].bodies
        self.onReady = onReady
    }

    private func header(_ id: UInt16) -> JT808Header {
        serial &+= 1
        return JT808Header(messageID: id, phone: phone, serial: serial)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelActive(context: ChannelHandlerContext) {
        let body = JT808Registration(province: 50, city: 101, makerID: "LOAD", model: "SIM", terminalID: "0000001",
                                     plateColor: 2, plate: plate).encode(is2019: false)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: JT808Encoder.frame(header(0x0100), body: body))),
                              promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        plan.totals.update { $0.closed += 1 }
        if state < 2 { onReady(false) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if state == 2 {  // streaming: only count the acks (two flags each)
            var flags = 0
            buffer.withUnsafeReadableBytes { for b in $0 where b == 0x7E { flags += 1 } }
            ticker?.countAcks(flags: flags)
            return
        }
        for b in buffer.readableBytesView {
            guard b == 0x7E else { run.append(b); continue }
            guard !run.isEmpty, let f = try? JT808Frame.decode(run) else { run = []; continue }
            run = []
            handshake(context: context, f)
        }
    }

    private func handshake(context: ChannelHandlerContext, _ f: JT808Frame) {
        guard let m = try? JT808Message.decode(header: f.header, body: f.body) else { return }
        switch (state, m) {
        case (0, .registrationAck(let r)):
            guard r.result == 0, let code = r.authCode else {
                plan.totals.update { $0.refused += 1 }
                onReady(false)
                context.close(promise: nil)
                return
            }
            state = 1
            let frame = JT808Encoder.frame(header(0x0102), body: JT808Authentication(code: code).encode(is2019: false))
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: frame)), promise: nil)
        case (1, .platformGeneralAck(let a)):
            guard a.result == 0 else {
                plan.totals.update { $0.refused += 1 }
                onReady(false)
                return
            }
            state = 2
            plan.totals.update { $0.authenticated += 1 }
            let t = plan.ticker(of: context.eventLoop)
            ticker = t
            t.add(self)
            onReady(true)
        default:
            break
        }
    }

    /// One tick, on the event loop (`Ticker`): the next fixes in one write.
    func tick() {
        guard let context, context.channel.isActive, let ticker else { return }
        let n = plan.fixesPerTick
        ticker.builder.reset()
        guard position + n <= bodies.count else {  // the night is over for this truck: heartbeat
            ticker.builder.append(header(JT808MessageID.heartbeat), body: [])
            write(context, ticker.builder.out)
            return
        }
        if index % 2 == 0 {
            for k in position..<(position + n) {
                ticker.builder.append(header(JT808MessageID.location), body: bodies[k])
            }
            ticker.framesSent += n
        } else {
            ticker.builder.appendBatch(header(JT808MessageID.batchLocation), reports: bodies[position..<(position + n)])
            ticker.framesSent += 1
        }
        ticker.fixesSent += n
        position += n
        let t = now()  // before the write: the alert may come back before the write call returns
        write(context, ticker.builder.out)
        while nextTrigger < script.alertTriggers.count, script.alertTriggers[nextTrigger] < position {
            plan.clock.sent(terminal: index, alert: nextTrigger, at: t)
            nextTrigger += 1
        }
    }

    private func write(_ context: ChannelHandlerContext, _ bytes: [UInt8]) {
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }
}
