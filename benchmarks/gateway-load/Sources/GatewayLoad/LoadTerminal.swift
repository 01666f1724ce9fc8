import Foundation
import NIOConcurrencyHelpers
import NIOCore
import MuckWatchCore
import MuckWatchIngest

/// Totals of every simulated terminal.
final class LoadTotals: @unchecked Sendable {
    private let lock = NIOLock()
    var authenticated = 0
    var refused = 0
    var fixesSent = 0
    var framesSent = 0
    var acks = 0
    var closed = 0
    func update(_ body: (LoadTotals) -> Void) { lock.withLock { body(self) } }
}

/// Shared by every terminal: when to start streaming and when to stop.
final class LoadPlan: @unchecked Sendable {
    let scripts: [Script]
    let fixesPerTick: Int
    let tick: TimeAmount
    let clock: AlertClock
    let totals: LoadTotals
    private let lock = NIOLock()
    private var _go = false
    private var _stop = false

    init(scripts: [Script], fixesPerTick: Int, tick: TimeAmount, clock: AlertClock, totals: LoadTotals) {
        self.scripts = scripts
        self.fixesPerTick = fixesPerTick
        self.tick = tick
        self.clock = clock
        self.totals = totals
    }

    var go: Bool {
        get { lock.withLock { _go } }
        set { lock.withLock { _go = newValue } }
    }
    var stop: Bool {
        get { lock.withLock { _stop } }
        set { lock.withLock { _stop = newValue } }
    }
}

/// One simulated terminal: registers, authenticates, then every tick sends its next
/// fixes, as separate 0x0200 reports (even terminals) or one 0x0704 batch (odd ones).
final class LoadTerminal: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let index: Int
    let phone: JT808Phone
    let plate: String
    let plan: LoadPlan
    let script: Script
    private var serial: UInt16 = 0
    private var state = 0  // 0 registering, 1 authenticating, 2 streaming
    private var run: [UInt8] = []
    private var position = 0
    private var nextTrigger = 0
    private var acks = 0
    private var task: RepeatedTask?
    private let onReady: (Bool) -> Void

    init(index: Int, phone: JT808Phone, plate: String, plan: LoadPlan, onReady: @escaping (Bool) -> Void) {
        self.index = index
        self.phone = phone
        self.plate = plate
        self.plan = plan
        script = plan.scripts[index % plan.scripts.count]
        self.onReady = onReady
    }

    private func header(_ id: UInt16) -> JT808Header {
        serial &+= 1
        return JT808Header(messageID: id, phone: phone, serial: serial)
    }

    func channelActive(context: ChannelHandlerContext) {
        let body = JT808Registration(province: 50, city: 101, makerID: "LOAD", model: "SIM", terminalID: "0000001",
                                     plateColor: 2, plate: plate).encode(is2019: false)
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: JT808Encoder.frame(header(0x0100), body: body))),
                              promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        task?.cancel()
        plan.totals.update { $0.closed += 1 }
        if state < 2 { onReady(false) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if state == 2 {  // streaming: only count the acks
            var flags = 0
            buffer.withUnsafeReadableBytes { for b in $0 where b == 0x7E { flags += 1 } }
            acks += flags / 2
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
            onReady(true)
            let loop = context.eventLoop
            let ctx = context
            // Spread the terminals' ticks over the tick period.
            let offset = TimeAmount.nanoseconds(Int64(index % 97) * plan.tick.nanoseconds / 97)
            task = loop.scheduleRepeatedTask(initialDelay: offset, delay: plan.tick) { [self] _ in tick(ctx) }
        default:
            break
        }
    }

    private func tick(_ context: ChannelHandlerContext) {
        guard plan.go, !plan.stop, context.channel.isActive else {
            if plan.stop { flushCounts() }
            return
        }
        let n = plan.fixesPerTick
        var bytes: [UInt8] = []
        var sentFixes = 0, frames = 0
        guard position + n <= script.fixes.count else {  // the night is over for this truck: heartbeat
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: JT808Encoder.frame(header(0x0002), body: []))),
                                  promise: nil)
            return
        }
        let slice = position..<(position + n)
        if index % 2 == 0 {
            for k in slice {
                bytes += JT808Encoder.frame(header(0x0200), body: JT808LocationReport(fix: script.fixes[k]).encode())
                frames += 1
            }
        } else {
            let reports = slice.map { JT808LocationReport(fix: script.fixes[$0]) }
            bytes += JT808Encoder.frame(header(0x0704), body: JT808BatchLocation(type: 0, reports: reports).encode())
            frames += 1
        }
        sentFixes = n
        position += n
        let t = now()  // before the write: the alert may come back before the write call returns
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: bytes)), promise: nil)
        while nextTrigger < script.alertTriggers.count, script.alertTriggers[nextTrigger] < position {
            plan.clock.sent(terminal: index, alert: nextTrigger, at: t)
            nextTrigger += 1
        }
        let acked = acks
        acks = 0
        plan.totals.update {
            $0.fixesSent += sentFixes
            $0.framesSent += frames
            $0.acks += acked
        }
    }

    private func flushCounts() {
        let acked = acks
        acks = 0
        if acked > 0 { plan.totals.update { $0.acks += acked } }
    }
}
