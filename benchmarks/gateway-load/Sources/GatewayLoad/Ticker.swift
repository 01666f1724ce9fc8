import NIOCore

/// Drives the streaming terminals of one event loop: one timer per loop instead of one
/// `RepeatedTask` per terminal (10,000 of those spent a quarter of the simulator's CPU
/// in the scheduler's heap and futures). The tick period is cut into `slots` slots;
/// terminal i ticks in slot `i % slots`, so the terminals' sends stay spread over the
/// period as before. Slots run on an absolute schedule (start + k × period / slots): a
/// late slot runs as soon as it can instead of pushing every later one back, so falling
/// behind shows as late sends, not as a silently lower offered rate.
///
/// Counts are kept here, on the loop, and added into `LoadTotals` once per slot.
final class Ticker {
    static let slots = 97

    let loop: any EventLoop
    let plan: LoadPlan
    private var terminals: [[LoadTerminal]] = Array(repeating: [], count: Ticker.slots)
    private var start = NIODeadline.uptimeNanoseconds(0)
    private var k: Int64 = 0
    private var stopped = false
    /// One terminal's frames, built in place (the loop runs one terminal at a time).
    var builder = FrameBuilder()
    var fixesSent = 0
    var framesSent = 0
    /// 0x7e flags read from the gateway: two per ack.
    var ackFlags = 0
    /// How late each slot ran after its deadline (ms): the simulator keeping its schedule.
    private var lateness: [Double] = []

    init(loop: any EventLoop, plan: LoadPlan) {
        self.loop = loop
        self.plan = plan
    }

    /// On `loop`: acks read by a streaming terminal (counted after the stop too).
    func countAcks(flags: Int) {
        ackFlags += flags
        if stopped { merge() }
    }

    /// On `loop`: terminal `t` ticks from now on.
    func add(_ t: LoadTerminal) {
        terminals[t.index % Ticker.slots].append(t)
    }

    /// Starts the slots (from any thread).
    func go() {
        loop.execute { [self] in
            start = .now()
            k = 0
            schedule()
        }
    }

    private var deadline: NIODeadline { start + .nanoseconds(k * plan.tick.nanoseconds / Int64(Ticker.slots)) }

    private func schedule() {
        if !plan.catchUp, NIODeadline.now() > deadline {
            // `--no-catch-up`: a late slot moves the schedule back (the old pacing: a
            // starved simulator offers less instead of sending what it owes in a burst).
            start = start + (NIODeadline.now() - deadline)
        }
        loop.scheduleTask(deadline: deadline) { [self] in runSlot() }
    }

    private func runSlot() {
        guard !stopped else { return }
        if plan.stop {
            stopped = true
            merge()
            plan.totals.update { $0.slotLatenessMs += lateness }
            return
        }
        lateness.append(Double((NIODeadline.now() - deadline).nanoseconds) / 1e6)
        for t in terminals[Int(k % Int64(Ticker.slots))] { t.tick() }
        merge()
        k += 1
        schedule()
    }

    private func merge() {
        let (f, fr, a) = (fixesSent, framesSent, ackFlags)
        fixesSent = 0
        framesSent = 0
        ackFlags = 0
        plan.totals.update {
            $0.fixesSent += f
            $0.framesSent += fr
            $0.ackFlags += a
        }
    }
}
