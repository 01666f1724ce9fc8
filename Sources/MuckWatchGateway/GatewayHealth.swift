import Dispatch
import MuckWatchLive
public import MuckWatchJournal

/// What an operator watching a running gateway's log needs once a minute: is it keeping
/// up, and where does an alert's time go. Taking a `Sample` writes and drains nothing (it
/// reads counters under their locks and waits its turn on the shards' and the store
/// writer's queues), and the line compares two of them, so its rates and latencies are the
/// last interval's.
public enum GatewayHealth {
    public struct Sample: Sendable {
        /// Uptime nanoseconds when taken.
        public var at: UInt64
        public var stats: GatewayStats
        public var store: StoreActivity
        public var shardWait: LatencyHistogram
        public var queuedFixes: Int
        public var alertsSent: Int
        /// The fix journal's totals (`nil`: no journal).
        public var journal: JournalStatus?

        /// The gateway's state now.
        public static func take(_ server: GatewayServer) -> Sample {
            Sample(at: DispatchTime.now().uptimeNanoseconds, stats: server.stats, store: server.engine.activity,
                   shardWait: server.engine.shardQueueWait, queuedFixes: server.engine.queuedFixes,
                   alertsSent: server.hub.published, journal: server.configuration.journal?.status)
        }
    }

    /// The log line's fields for the interval from `earlier` to `now`.
    public static func fields(_ now: Sample, since earlier: Sample) -> [(key: String, value: String)] {
        let seconds = max(Double(now.at &- earlier.at) / 1e9, 1e-9)
        func rate(_ n: Int) -> String { String(Int((Double(n) / seconds).rounded())) }
        func ms(_ v: Double) -> String { String(Int(v.rounded(.up))) }
        func share(_ s: Double) -> String { String(Int((100 * s / seconds).rounded())) + "%" }
        let read = now.store.alertSinceRead.since(earlier.store.alertSinceRead)
        let store = now.store.alertSinceRaised.since(earlier.store.alertSinceRaised)
        let wait = now.shardWait.since(earlier.shardWait)
        return [
            ("connections", String(now.stats.connectionsOpen)),
            ("fixes_per_s", rate(now.stats.counts.fixes - earlier.stats.counts.fixes)),
            ("queued_fixes", String(now.queuedFixes)),
            ("read_pauses", String(now.stats.readPauses - earlier.stats.readPauses)),
            ("alerts", String(now.alertsSent - earlier.alertsSent)),
            ("alert_ms_p50", ms(read.quantile(0.5))),
            ("alert_ms_p99", ms(read.quantile(0.99))),
            ("store_wait_ms_p99", ms(store.quantile(0.99))),
            ("shard_wait_ms_p99", ms(wait.quantile(0.99))),
            ("store_busy", share(now.store.secondsWriting - earlier.store.secondsWriting)),
            ("store_cpu", share(now.store.cpuSecondsWriting - earlier.store.cpuSecondsWriting)),
            ("store_errors", String(now.store.errors - earlier.store.errors)),
        ] + journalFields(now.journal, since: earlier.journal)
    }

    /// The journal's part of the line: commits and their mean sync, fixes refused while failing.
    static func journalFields(_ now: JournalStatus?, since earlier: JournalStatus?) -> [(key: String, value: String)] {
        guard let now else { return [] }
        let before = earlier ?? JournalStatus()
        let commits = now.commits - before.commits
        let sync = commits > 0 ? (now.syncSeconds - before.syncSeconds) / Double(commits) * 1000 : 0
        return [("journal_commits", String(commits)), ("journal_sync_ms_avg", String(Double(Int((sync * 10).rounded())) / 10)),
                ("journal_failed_commits", String(now.failedCommits - before.failedCommits)),
                ("journal_failing", now.failure == nil ? "0" : "1")]
    }
}
