import CoreMetrics
import Metrics
import Synchronization
import MuckWatchJournal

/// The gateway's numbers as swift-metrics (issue #20): brought up to date from a
/// `GatewayHealth.Sample` when `/metrics` is scraped, so the hot paths keep their own
/// counters and pay nothing for the export. Counters grow by what changed since the last
/// scrape; `rate(muckwatch_gateway_fixes_total[1m])` is fixes/s.
public final class GatewayMetrics: Sendable {
    private let fixes = Counter(label: "muckwatch_gateway_fixes_total")
    private let frames = Counter(label: "muckwatch_gateway_frames_total")
    private let badFrames = Counter(label: "muckwatch_gateway_bad_frames_total")
    private let alerts = Counter(label: "muckwatch_gateway_alerts_total")
    private let connections = Gauge(label: "muckwatch_gateway_connections")
    private let queuedFixes = Gauge(label: "muckwatch_gateway_queued_fixes")
    private let readPauses = Counter(label: "muckwatch_gateway_read_pauses_total")
    private let storeWrites = Counter(label: "muckwatch_store_writes_total")
    private let storeErrors = Counter(label: "muckwatch_store_write_errors_total")
    private let storeSeconds = FloatingPointCounter(label: "muckwatch_store_write_seconds_total")
    private let alertP99 = Gauge(label: "muckwatch_gateway_alert_latency_p99_seconds")
    private let journalRecords = Counter(label: "muckwatch_journal_records_total")
    private let journalCommits = Counter(label: "muckwatch_journal_commits_total")
    private let journalFailedCommits = Counter(label: "muckwatch_journal_failed_commits_total")
    private let journalRepeats = Counter(label: "muckwatch_journal_repeated_fixes_total")
    private let journalFailing = Gauge(label: "muckwatch_journal_failing")
    private let last = Mutex<GatewayHealth.Sample?>(nil)

    public init() {}

    /// Takes a sample of `server` and moves the metrics to it.
    public func update(from server: GatewayServer) {
        let now = GatewayHealth.Sample.take(server)
        let before = last.withLock { l in
            defer { l = now }
            return l
        }
        func grow(_ c: Counter, _ value: (GatewayHealth.Sample) -> Int) {
            let d = value(now) - (before.map(value) ?? 0)
            if d > 0 { c.increment(by: d) }
        }
        grow(fixes) { $0.stats.counts.fixes }
        grow(frames) { $0.stats.counts.frames }
        grow(badFrames) { $0.stats.counts.badFrames }
        grow(alerts) { $0.alertsSent }
        grow(readPauses) { $0.stats.readPauses }
        grow(storeWrites) { $0.store.writes }
        grow(storeErrors) { $0.store.errors }
        let seconds = now.store.secondsWriting - (before?.store.secondsWriting ?? 0)
        if seconds > 0 { storeSeconds.increment(by: seconds) }
        if let j = now.journal {
            grow(journalRecords) { $0.journal?.records ?? 0 }
            grow(journalCommits) { $0.journal?.commits ?? 0 }
            grow(journalFailedCommits) { $0.journal?.failedCommits ?? 0 }
            grow(journalRepeats) { $0.journal?.repeats ?? 0 }
            journalFailing.record(j.failure == nil ? 0 : 1)
        }
        connections.record(now.stats.connectionsOpen)
        queuedFixes.record(now.queuedFixes)
        let read = before.map { now.store.alertSinceRead.since($0.store.alertSinceRead) } ?? now.store.alertSinceRead
        alertP99.record(read.quantile(0.99) / 1000)
    }
}
