import Foundation
import MuckWatchCore
import MuckWatchGateway
import MuckWatchJudge
import MuckWatchLive
import MuckWatchBatch
import MuckWatchStore
import MuckWatchJournal

/// The gateway side of the load test, in its own process (`GatewayLoad --serve`): each
/// process may hold only so many sockets (the sandbox caps open files at 20,000), and
/// 10,000 terminals need 10,000 on each side. Speaks on stdin/stdout: prints
/// `READY <terminal port> <alerts port>`, then answers `stats` (after the analysis queue
/// has drained) and `stop` (after the shutdown flush) with one JSON line each.
enum ServeMode {
    static func run(dir: String, root: String, reorderWindow: Int64, judgeEvery: Int64, shards: Int,
                    maxQueued: Int, trim: Bool, journalCommitMs: Int, db: String) throws -> Never {
        let refs = try References.load(ReferenceFiles(fences: root + "/geofences", permits: dir + "/permits.json",
                                                      vehicles: dir + "/vehicles.csv"))
        var options = LiveAnalysis.Options()
        options.reorderWindowSeconds = reorderWindow
        options.evaluateEverySeconds = judgeEvery
        options.trimHistory = trim
        let store = try CaseStore(path: db.isEmpty ? dir + "/cases.sqlite" : db)
        let partition = try LivePartition(references: refs, store: store, options: options,
                                          shards: shards > 0 ? shards : ProcessInfo.processInfo.activeProcessorCount)
        let hub = AlertHub(clock: refs.config.clock)
        var engineOptions = LiveEngine.Options()
        if maxQueued > 0 { engineOptions.maxQueuedFixes = maxQueued }
        let engine = LiveEngine(partition: partition, hub: hub, options: engineOptions)
        var config = GatewayServer.Configuration()
        config.host = "127.0.0.1"
        config.port = 0
        config.alertsPort = 0
        config.idleTimeoutSeconds = 600
        config.authKey = try store.key(named: GatewayServer.Configuration.authKeyName)
        if journalCommitMs >= 0 {
            var o = JournalWriter.Options()
            o.commitInterval = Double(journalCommitMs) / 1000
            config.journal = JournalWriter(directory: dir + "/journal", plates: partition.shards[0].plates.plates, options: o)
        }
        let server = GatewayServer(engine: engine, hub: hub, configuration: config)
        let a = try server.start()
        print("READY \(a.gateway.port!) \(a.alerts.port!)")
        fflush(stdout)
        while let line = readLine() {
            let t0 = Date()
            switch line {
            case "stats":
                let c = engine.counters
                let s = server.stats
                let w = engine.storeActivity
                let shardWait = engine.shardQueueWait
                emit(["fixes_received": s.counts.fixes, "fixes_analyzed": c.fixes, "late": c.late,
                      "evaluations": c.evaluations, "alerts": c.alerts, "store_writes": c.storeWrites,
                      "store_errors": c.storeErrors, "connections_open": s.connectionsOpen,
                      "connections_total": s.connectionsTotal, "bad_frames": s.counts.badFrames,
                      "drain_s": Date().timeIntervalSince(t0), "peak_rss_mb": peakRSSMB(),
                      "read_pauses": s.readPauses, "shards": engine.shardCount,
                      "peak_queued_fixes_per_shard": engine.peakQueuedFixes, "trims": c.trims,
                      "cpu_s": processCPUSeconds(), "store_busy_s": w.secondsWriting,
                      "store_cpu_s": w.cpuSecondsWriting,
                      "store_cases_written": w.casesWritten, "refresh_hold_max_s": w.longestRefreshHold,
                      "store_alert_writes": w.alertWrites, "store_alert_busy_s": w.secondsWritingAlerted,
                      "store_alerted_cases_written": w.alertedCasesWritten,
                      "gateway_alert_ms_p50": w.alertSinceRead.quantile(0.5),
                      "gateway_alert_ms_p99": w.alertSinceRead.quantile(0.99),
                      "store_alert_ms_p50": w.alertSinceRaised.quantile(0.5),
                      "store_alert_ms_p99": w.alertSinceRaised.quantile(0.99),
                      "shard_wait_ms_p50": shardWait.quantile(0.5),
                      "shard_wait_ms_p99": shardWait.quantile(0.99)].merging(journalStats(config.journal)) { a, _ in a })
            case "stop":
                let c = server.stop()
                emit(["flush_s": Date().timeIntervalSince(t0), "fixes_analyzed": c.fixes, "alerts": c.alerts,
                      "store_errors": c.storeErrors, "peak_rss_mb": peakRSSMB()])
                exit(0)
            default:
                break
            }
        }
        _ = server.stop()
        exit(0)
    }

    /// The journal's totals (issue #24): bytes per fix on disk, commits, sync times.
    static func journalStats(_ journal: JournalWriter?) -> [String: Any] {
        guard let s = journal?.status else { return [:] }
        return ["journal_records": s.records, "journal_bytes": s.bytes, "journal_commits": s.commits,
                "journal_bytes_per_fix": s.records > 0 ? Double(s.bytes) / Double(s.records) : 0,
                "journal_sync_ms_avg": s.commits > 0 ? s.syncSeconds / Double(s.commits) * 1000 : 0,
                "journal_sync_ms_max": s.longestSyncSeconds * 1000, "journal_failed_commits": s.failedCommits]
    }

    static func emit(_ object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
        fflush(stdout)
    }
}

/// The client's handle on the `--serve` child.
final class ServerProcess {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffered: [UInt8] = []
    private(set) var port = 0
    private(set) var alertsPort = 0

    init(dir: String, root: String, reorderWindow: Int64, judgeEvery: Int64, shards: Int, maxQueued: Int,
         trim: Bool, journalCommitMs: Int, db: String) throws {
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["--serve", "--dir", dir, "--root", root, "--reorder-window", String(reorderWindow),
                             "--judge-every", String(judgeEvery), "--shards", String(shards),
                             "--max-queued", String(maxQueued), "--journal-commit-ms", String(journalCommitMs)]
            + (trim ? [] : ["--no-trim"]) + (db.isEmpty ? [] : ["--db", db])
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let ready = line().split(separator: " ")
        guard ready.count == 3, ready[0] == "READY", let p = Int(ready[1]), let q = Int(ready[2]) else {
            fatalError("gateway process did not start: \(ready)")
        }
        port = p
        alertsPort = q
    }

    private func line() -> String {
        while true {
            if let nl = buffered.firstIndex(of: 0x0A) {
                let l = String(decoding: buffered[..<nl], as: UTF8.self)
                buffered.removeSubrange(...nl)
                return l
            }
            let d = output.fileHandleForReading.availableData
            if d.isEmpty { return "" }
            buffered += d
        }
    }

    func ask(_ command: String) -> [String: Any] {
        input.fileHandleForWriting.write(Data((command + "\n").utf8))
        let l = line()
        return (try? JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any]) ?? ["error": l]
    }
}
