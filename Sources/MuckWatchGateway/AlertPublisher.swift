import Dispatch
import MuckWatchCore
import MuckWatchLive
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The live store writer's totals (stats and load tests).
public struct StoreActivity: Sendable, Equatable {
    /// Transactions written, and failed.
    public var writes = 0
    public var errors = 0
    /// Seconds spent in those transactions, and the cases they wrote.
    public var secondsWriting = 0.0
    /// The writing thread's CPU seconds in them: what the transactions cost, without the
    /// time the thread waited for a core (which `secondsWriting` counts on a busy machine).
    public var cpuSecondsWriting = 0.0
    public var casesWritten = 0
    /// Of those, the transactions that wrote alerted cases (before their alerts).
    public var alertWrites = 0
    public var secondsWritingAlerted = 0.0
    public var alertedCasesWritten = 0
    /// The longest refreshes were held (`RefreshPacing`), seconds.
    public var longestRefreshHold = 0.0
    /// Per alert: from the event loop handing over the fixes that raised it to its sending
    /// (shard queue, analysis, store writer), and from the shard handing it over to its
    /// sending (the store writer's part: waiting for the queue, writing its case).
    public var alertSinceRead = LatencyHistogram()
    public var alertSinceRaised = LatencyHistogram()
}

/// The store writer's queue: merges the shards' judged changes and alerts and writes them,
/// the cases an alert names first, so a case is in the store before its alert leaves.
///
/// Two kinds of writes, because an alert must not wait behind bulk work:
/// - **Alerted cases** (new cases, new violations) are written as soon as the queue gets
///   to them, in one transaction, and their alerts sent right after.
/// - **Refreshes** (content of cases already alerted, closed trips, retractions) are held
///   (a second, longer when the store is busy: `RefreshPacing`) and merged meanwhile (a
///   case re-judged five times in that time is written once), then written in small
///   transactions: an alert that arrives during a refresh waits for one of them, not for
///   all of it.
final class AlertPublisher: Sendable {
    /// What the store writer's queue owns.
    private struct Desk {
        let writer: LiveStoreWriter?
        var pacing: RefreshPacing
        /// Submitted, not yet written (newest content of each case).
        var writes = LiveWrites()
        /// Taken from `writes` at the last refresh tick, being written chunk by chunk.
        var refreshing = LiveWrites()
        var alerts: [LiveAlert] = []
        /// For each of `alerts`: when its fixes were handed to the shard (0: not from a read)
        /// and when the shard submitted it (uptime nanoseconds).
        var alertTimes: [(fed: UInt64, raised: UInt64)] = []
        var publishQueued = false
        var refreshQueued = false
        var state = StoreActivity()
    }
    private let hub: AlertHub
    private let desk: QueueConfined<Desk>

    init(writer: LiveStoreWriter?, hub: AlertHub, pacing: RefreshPacing) {
        self.hub = hub
        desk = QueueConfined(Desk(writer: writer, pacing: pacing), label: "muckwatch.live.store", qos: .userInitiated)
    }

    /// Takes one shard's changes and the alerts about them (the shard's order is kept).
    /// - Parameter fed: when the fixes that raised `a` were handed to the shard (uptime
    ///   nanoseconds; 0 when no read raised them), for `StoreActivity.alertSinceRead`.
    func submit(_ w: LiveWrites, _ a: [LiveAlert], fed: UInt64 = 0) {
        let raised = a.isEmpty ? 0 : DispatchTime.now().uptimeNanoseconds
        desk.async { [self] d in
            d.writes.merge(w)
            d.alerts += a
            d.alertTimes += repeatElement((fed: fed, raised: raised), count: a.count)
            if !d.alerts.isEmpty, !d.publishQueued {
                d.publishQueued = true
                desk.async { [self] in publish(&$0) }
            }
            if !d.writes.isEmpty, !d.refreshQueued {
                d.refreshQueued = true
                desk.asyncAfter(deadline: .now() + d.pacing.delay) { [self] in refresh(&$0) }
            }
        }
    }

    /// Stores cases with `cameras` as their evidence from now on: called before the shards
    /// judge with them, so no case judged with a read is written without it.
    func updateCameras(_ cameras: CameraReads) {
        desk.async { $0.writer?.updateCameras(cameras) }
    }

    /// Writes the cases the pending alerts name, then sends the alerts.
    private func publish(_ d: inout Desk) {
        d.publishQueued = false
        let out = d.alerts
        let times = d.alertTimes
        d.alerts = []
        d.alertTimes = []
        guard !out.isEmpty else { return }
        // From both sets: a refresh tick may have moved the case on already.
        let ids = Set(out.map(\.caseID))
        var named = d.refreshing.take(cases: ids)
        named.merge(d.writes.take(cases: ids))
        let seconds = write(named, &d)
        d.state.alertWrites += 1
        d.state.secondsWritingAlerted += seconds
        d.state.alertedCasesWritten += named.cases.count
        hub.publish(out)
        let now = DispatchTime.now().uptimeNanoseconds
        for t in times {
            d.state.alertSinceRaised.record(nanoseconds: now &- t.raised)
            if t.fed > 0 { d.state.alertSinceRead.record(nanoseconds: now &- t.fed) }
        }
    }

    /// One refresh tick: what was submitted until now, chunk by chunk.
    private func refresh(_ d: inout Desk) {
        d.refreshQueued = false
        let running = !d.refreshing.isEmpty  // a chain of chunks still under way takes these too
        if running { d.pacing.overran() }
        d.refreshing.merge(d.writes)
        d.writes = LiveWrites()
        if !running { writeRefreshChunk(&d) }
    }

    private func writeRefreshChunk(_ d: inout Desk) {
        // Alerts submitted since the last chunk go first (their publish may be queued
        // behind this chunk).
        if !d.alerts.isEmpty { publish(&d) }
        guard !d.refreshing.isEmpty else { return }
        let chunk = d.refreshing.takeChunk(cases: d.pacing.chunk)
        let seconds = write(chunk, &d)
        d.pacing.wrote(cases: chunk.cases.count, seconds: seconds)
        // Queued work (an alert's publish) runs before the next chunk.
        if d.refreshing.isEmpty {
            d.pacing.cycleEnded()
            d.state.longestRefreshHold = max(d.state.longestRefreshHold, d.pacing.delay)
        } else {
            desk.async { [self] in writeRefreshChunk(&$0) }
        }
    }

    /// Writes `w` in one transaction; returns the seconds it took.
    @discardableResult
    private func write(_ w: LiveWrites, _ d: inout Desk) -> Double {
        guard let writer = d.writer, !w.isEmpty else { return 0 }
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = Self.threadCPUSeconds()
        writer.write(w)
        d.state.cpuSecondsWriting += Self.threadCPUSeconds() - cpuStart
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        d.state.writes = writer.writes
        d.state.errors = writer.errors
        d.state.secondsWriting += seconds
        d.state.casesWritten += w.cases.count
        // Right after the background checkpointer caught up (little left to copy): let
        // the log start over.
        writer.settleLog()
        return seconds
    }

    /// CPU time of the calling thread, seconds.
    private static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Writes and sends everything submitted so far (alerted cases first).
    private func publishAll(_ d: inout Desk) {
        publish(&d)
        d.refreshing.merge(d.writes)
        d.writes = LiveWrites()
        let all = d.refreshing
        write(all, &d)
        d.refreshing = LiveWrites()
    }

    /// The totals now, without writing what is pending (waits for a transaction under way).
    var activity: StoreActivity { desk.sync { $0.state } }

    /// Runs `body` after everything submitted so far is written and sent.
    func sync<R>(_ body: (StoreActivity) -> R) -> R {
        desk.sync { d in
            publishAll(&d)
            return body(d.state)
        }
    }

    /// Writes and sends everything submitted, then closes the store session.
    func finish(trips: Int, cases: Int) {
        desk.sync { d in
            publishAll(&d)
            d.writer?.finish(trips: trips, cases: cases)
            if let writer = d.writer {
                d.state.writes = writer.writes
                d.state.errors = writer.errors
            }
        }
    }
}
