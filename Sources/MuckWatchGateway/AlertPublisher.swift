import Dispatch
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
final class AlertPublisher: @unchecked Sendable {
    private let writer: LiveStoreWriter?
    private let hub: AlertHub
    private let queue = DispatchQueue(label: "muckwatch.live.store", qos: .userInitiated)
    private var pacing: RefreshPacing
    /// Submitted, not yet written (newest content of each case).
    private var writes = LiveWrites()
    /// Taken from `writes` at the last refresh tick, being written chunk by chunk.
    private var refreshing = LiveWrites()
    private var alerts: [LiveAlert] = []
    /// For each of `alerts`: when its fixes were handed to the shard (0: not from a read)
    /// and when the shard submitted it (uptime nanoseconds).
    private var alertTimes: [(fed: UInt64, raised: UInt64)] = []
    private var publishQueued = false
    private var refreshQueued = false
    private var state = StoreActivity()

    init(writer: LiveStoreWriter?, hub: AlertHub, pacing: RefreshPacing) {
        self.writer = writer
        self.hub = hub
        self.pacing = pacing
    }

    /// Takes one shard's changes and the alerts about them (the shard's order is kept).
    /// - Parameter fed: when the fixes that raised `a` were handed to the shard (uptime
    ///   nanoseconds; 0 when no read raised them), for `StoreActivity.alertSinceRead`.
    func submit(_ w: LiveWrites, _ a: [LiveAlert], fed: UInt64 = 0) {
        let raised = a.isEmpty ? 0 : DispatchTime.now().uptimeNanoseconds
        queue.async { [self] in
            writes.merge(w)
            alerts += a
            alertTimes += repeatElement((fed: fed, raised: raised), count: a.count)
            if !alerts.isEmpty, !publishQueued {
                publishQueued = true
                queue.async { [self] in publish() }
            }
            if !writes.isEmpty, !refreshQueued {
                refreshQueued = true
                queue.asyncAfter(deadline: .now() + pacing.delay) { [self] in refresh() }
            }
        }
    }

    /// Writes the cases the pending alerts name, then sends the alerts.
    private func publish() {
        publishQueued = false
        let out = alerts
        let times = alertTimes
        alerts = []
        alertTimes = []
        guard !out.isEmpty else { return }
        // From both sets: a refresh tick may have moved the case on already.
        let ids = Set(out.map(\.caseID))
        var named = refreshing.take(cases: ids)
        named.merge(writes.take(cases: ids))
        let seconds = write(named)
        state.alertWrites += 1
        state.secondsWritingAlerted += seconds
        state.alertedCasesWritten += named.cases.count
        hub.publish(out)
        let now = DispatchTime.now().uptimeNanoseconds
        for t in times {
            state.alertSinceRaised.record(nanoseconds: now &- t.raised)
            if t.fed > 0 { state.alertSinceRead.record(nanoseconds: now &- t.fed) }
        }
    }

    /// One refresh tick: what was submitted until now, chunk by chunk.
    private func refresh() {
        refreshQueued = false
        let running = !refreshing.isEmpty  // a chain of chunks still under way takes these too
        if running { pacing.overran() }
        refreshing.merge(writes)
        writes = LiveWrites()
        if !running { writeRefreshChunk() }
    }

    private func writeRefreshChunk() {
        // Alerts submitted since the last chunk go first (their publish may be queued
        // behind this chunk).
        if !alerts.isEmpty { publish() }
        guard !refreshing.isEmpty else { return }
        let chunk = refreshing.takeChunk(cases: pacing.chunk)
        pacing.wrote(cases: chunk.cases.count, seconds: write(chunk))
        // Queued work (an alert's publish) runs before the next chunk.
        if refreshing.isEmpty {
            pacing.cycleEnded()
            state.longestRefreshHold = max(state.longestRefreshHold, pacing.delay)
        } else {
            queue.async { [self] in writeRefreshChunk() }
        }
    }

    /// Writes `w` in one transaction; returns the seconds it took.
    @discardableResult
    private func write(_ w: LiveWrites) -> Double {
        guard let writer, !w.isEmpty else { return 0 }
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = Self.threadCPUSeconds()
        writer.write(w)
        state.cpuSecondsWriting += Self.threadCPUSeconds() - cpuStart
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        state.writes = writer.writes
        state.errors = writer.errors
        state.secondsWriting += seconds
        state.casesWritten += w.cases.count
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
    private func publishAll() {
        publish()
        refreshing.merge(writes)
        writes = LiveWrites()
        write(refreshing)
        refreshing = LiveWrites()
    }

    /// The totals now, without writing what is pending (waits for a transaction under way).
    var activity: StoreActivity { queue.sync { state } }

    /// Runs `body` after everything submitted so far is written and sent.
    func sync<R>(_ body: (StoreActivity) -> R) -> R {
        queue.sync {
            publishAll()
            return body(state)
        }
    }

    /// Writes and sends everything submitted, then closes the store session.
    func finish(trips: Int, cases: Int) {
        queue.sync {
            publishAll()
            writer?.finish(trips: trips, cases: cases)
            if let writer {
                state.writes = writer.writes
                state.errors = writer.errors
            }
        }
    }
}
