import Foundation
import NIOCore
import NIOPosix
import MuckWatchCore
import MuckWatchJudge
import MuckWatchGateway
import MuckWatchIngest
import MuckWatchJT808
import MuckWatchLive
import MuckWatchBatch
import MuckWatchStore

/// gateway-load: N simulated terminals against an in-process gateway on loopback.
///
///     GatewayLoad --terminals 10000 --rate 10 --duration 30 --out result.json
///
/// Every terminal registers and authenticates, then sends `rate` fixes per second (even
/// terminals as 0x0200 reports, odd ones as 0x0704 batches) replaying one of the sample
/// night's trucks under its own plate (no permits: every loaded trip is a case; with
/// `--permitted` each carries the permits of the truck it replays, so only that truck's
/// own violations become cases). Reports
/// connections held, fixes sent/acked/analyzed per second, and the alert latency: from
/// sending the frame whose fix makes the gateway raise an alert to reading that alert on
/// the SSE stream.
struct Arguments {
    var terminals = 1000
    var rate = 10
    var duration = 30.0
    var tickMs = 500
    var reorderWindow: Int64 = 60
    var judgeEvery: Int64 = 30
    var connectConcurrency = 500
    /// Analysis shards of the gateway (0: one per core) and fixes queued per shard before
    /// its sockets stop being read (0: the engine's default).
    var shards = 0
    var maxQueued = 0
    var out: String?
    var root = ""
    var serve = false
    /// `--no-trim`: the gateway keeps every vehicle's whole track (`Options.trimHistory` off).
    var trim = true
    /// `--no-catch-up`: a late send slot pushes the simulator's schedule back instead of
    /// being made up at once (what the per-terminal timers before did).
    var catchUp = true
    var analysisOnly = false
    /// `--permitted`: every simulated truck holds the sample permits of the truck it
    /// replays (the sample's violations only), instead of none (every loaded trip a case).
    var permitted = false
    var dir = ""
    /// `--journal-commit-ms N`: the gateway journals every fix before acking it (issue #24),
    /// one commit at most every N ms, in the run's folder; -1 (default): no journal.
    var journalCommitMs = -1
    /// `--replay-day DATA`: measure writing and replaying a whole night's journal (`ReplayMode`).
    var replayDay = ""
    /// `--db URL`: the gateway's case store (issue #23: `postgres://…` measures PostgreSQL);
    /// empty (default): a SQLite file in the run's folder.
    var db = ""

    init() {
        var it = CommandLine.arguments.dropFirst().makeIterator()
        while let a = it.next() {
            if a == "--serve" { serve = true; continue }
            if a == "--analysis-only" { analysisOnly = true; continue }
            if a == "--no-trim" { trim = false; continue }
            if a == "--no-catch-up" { catchUp = false; continue }
            if a == "--permitted" { permitted = true; continue }
            let v = it.next() ?? ""
            switch a {
            case "--terminals": terminals = Int(v)!
            case "--rate": rate = Int(v)!
            case "--duration": duration = Double(v)!
            case "--tick-ms": tickMs = Int(v)!
            case "--reorder-window": reorderWindow = Int64(v)!
            case "--judge-every": judgeEvery = Int64(v)!
            case "--connect-concurrency": connectConcurrency = Int(v)!
            case "--shards": shards = Int(v)!
            case "--max-queued": maxQueued = Int(v)!
            case "--out": out = v
            case "--root": root = v
            case "--dir": dir = v
            case "--journal-commit-ms": journalCommitMs = Int(v)!
            case "--replay-day": replayDay = v
            case "--db": db = v
            default: fatalError("unknown argument \(a)")
            }
        }
    }
}

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

/// The whole machine's CPU time so far, in seconds, from the first line of `/proc/stat`:
/// idle, waiting for I/O, and stolen by the hypervisor (a virtual machine's host busy
/// elsewhere). Their growth over a run tells a slow minute of the host from one of the gateway.
func hostCPUSeconds() -> (idle: Double, iowait: Double, steal: Double)? {
    guard let s = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = s.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
    let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard ticks.count >= 8 else { return nil }
    let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
    return (ticks[3] / hz, ticks[4] / hz, ticks[7] / hz)
}

/// The machine's 1-, 5- and 15-minute load averages (it is shared with other builds).
func loadAverage() -> [Double] {
    guard let s = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return [] }
    return s.split(separator: " ").prefix(3).compactMap { Double($0) }
}

/// User + system CPU seconds of this process so far (`getrusage`): the machine is shared,
/// so CPU time per fix compares runs better than wall-clock rates.
func processCPUSeconds() -> Double {
    var u = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    #else
    getrusage(RUSAGE_SELF, &u)
    #endif
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(u.ru_utime) + s(u.ru_stime)
}

func peakRSSMB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}

// As `muckwatch`'s entry point does, before PROJ or the store first opens SQLite.
Database.applyProcessSettings()
let args = Arguments()
let root = args.root.isEmpty ? FileManager.default.currentDirectoryPath + "/../.." : args.root
if !args.replayDay.isEmpty { try ReplayMode.run(data: args.replayDay, shards: args.shards) }
if args.serve {
    try ServeMode.run(dir: args.dir, root: root, reorderWindow: args.reorderWindow, judgeEvery: args.judgeEvery,
                      shards: args.shards, maxQueued: args.maxQueued, trim: args.trim, journalCommitMs: args.journalCommitMs,
                      db: args.db)
}
let dir = NSTemporaryDirectory() + "muckwatch-gateway-load-" + UUID().uuidString
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: dir) }

// 1. A registry of N terminals (plates LT00000…), the sample's fences, and the permits
// (the sample's, or with `--permitted` also naming the plates that replay their trucks).
// Each of the sample's tracks also starts at 9 later points (37 fixes apart), so trucks
// replaying the same track are not in lockstep (real trucks close their trips at
// scattered moments); terminal i replays variant i mod 200.
let sample = try Scripts.load(root: root)
let variants = 10
let tracks = sample.flatMap { t in (0..<variants).map { Array(t.fixes[($0 * 37)...]) } }
// Each variant's alerts are found offline under a terminal's plate: fewer terminals than
// variants crashed on a missing plate.
guard args.terminals >= tracks.count else {
    log("--terminals \(args.terminals): at least \(tracks.count) are needed, one per replayed track variant")
    exit(2)
}
var csv = "vehicle_id,company,rated_load_t,terminal_id\n"
var plates: [String] = []
var phones: [JT808Phone] = []
for i in 0..<args.terminals {
    let plate = String(format: "LT%05d", i)
    let digits = String(format: "0150%08d", i)
    plates.append(plate)
    phones.append(JT808Phone(digits: digits)!)
    csv += "\(plate),Load Test Co,25,\(digits)\n"
}
try csv.write(toFile: dir + "/vehicles.csv", atomically: true, encoding: .utf8)
let permitsPath = dir + "/permits.json"
if args.permitted {
    try Scripts.writePermits(root: root, sampleOf: plates.indices.map { sample[($0 % tracks.count) / variants].plate },
                             plateOfTerminal: plates, to: permitsPath)
} else {
    try FileManager.default.copyItem(atPath: root + "/traces/permits.json", toPath: permitsPath)
}
let refs = try References.load(ReferenceFiles(fences: root + "/geofences", permits: permitsPath,
                                              vehicles: dir + "/vehicles.csv"))
var options = LiveAnalysis.Options()
options.reorderWindowSeconds = args.reorderWindow
options.evaluateEverySeconds = args.judgeEvery
options.trimHistory = args.trim

// 2. Scripts and, offline, the fix that triggers each of their alerts.
let scripts = try Scripts.triggers(tracks, plates: Array(plates.prefix(tracks.count)), references: refs,
                                   options: options)
let fixesPerTick = max(1, args.rate * args.tickMs / 1000)
/// What each terminal sends a second, not what was asked: a tick sends at least one fix
/// (`--rate 1` with 500 ms ticks is 2 a second).
let sentRate = Double(fixesPerTick) * 1000 / Double(args.tickMs)
if fixesPerTick * 1000 != args.rate * args.tickMs {
    log("--rate \(args.rate) with --tick-ms \(args.tickMs): each terminal sends \(fixesPerTick) fix(es) a tick, "
        + "\(sentRate) a second")
}
log("scripts: \(scripts.count) track variants, \(scripts.map(\.fixes.count).min()!)–\(scripts.map(\.fixes.count).max()!) fixes, "
    + "\(scripts.map(\.alertTriggers.count).reduce(0, +)) alerts")

if args.analysisOnly {
    let r = AnalysisOnly.run(terminals: args.terminals, scripts: scripts, references: refs, options: options,
                             plates: plates, seconds: args.duration, shards: args.shards)
    print(r)
    exit(0)
}

// 3. The gateway, in its own process, on loopback.
let loadAverageStart = loadAverage()
let hostCPUStart = hostCPUSeconds()
let server = try ServerProcess(dir: dir, root: root, reorderWindow: args.reorderWindow, judgeEvery: args.judgeEvery,
                               shards: args.shards, maxQueued: args.maxQueued, trim: args.trim, journalCommitMs: args.journalCommitMs,
                               db: args.db)

let clock = AlertClock(alertsPerTerminal: (0..<args.terminals).map { scripts[$0 % scripts.count].alertTriggers.count })
let totals = LoadTotals()
let plan = LoadPlan(scripts: scripts, fixesPerTick: fixesPerTick, tick: .milliseconds(Int64(args.tickMs)),
                    clock: clock, totals: totals)
let reader = AlertReader(port: server.alertsPort, clock: clock,
                         terminalOf: Dictionary(uniqueKeysWithValues: plates.enumerated().map { ($1, $0) }))
guard reader.start() else { fatalError("cannot open the alert stream") }

// 4. Connect every terminal (register + authenticate), a bounded number at a time.
let clients = MultiThreadedEventLoopGroup(numberOfThreads: 2)
plan.catchUp = args.catchUp
for loop in clients.makeIterator() { plan.tickers[ObjectIdentifier(loop)] = Ticker(loop: loop, plan: plan) }
FrameBuilder.selfCheck(fixes: scripts[0].fixes, phone: phones[0])
let ready = DispatchSemaphore(value: 0)
let slots = DispatchSemaphore(value: args.connectConcurrency)
let t0 = Date()
var channels: [any Channel] = []
var connectFailures = 0
for i in 0..<args.terminals {
    slots.wait()
    let bootstrap = ClientBootstrap(group: clients)
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .channelInitializer { ch in
            ch.eventLoop.makeCompletedFuture {
                try ch.pipeline.syncOperations.addHandler(LoadTerminal(index: i, phone: phones[i], plate: plates[i], plan: plan) { _ in
                    slots.signal()
                    ready.signal()
                })
            }
        }
    do {
        channels.append(try bootstrap.connect(host: "127.0.0.1", port: server.port).wait())
    } catch {
        connectFailures += 1
        slots.signal()
        ready.signal()
    }
}
for _ in 0..<args.terminals { ready.wait() }
let connectSeconds = Date().timeIntervalSince(t0)
let before = server.ask("stats")
let held0 = before["connections_open"] as? Int ?? 0
log("connected: \(totals.authenticated) authenticated of \(args.terminals) in \(String(format: "%.1f", connectSeconds)) s, "
    + "\(connectFailures) connect failures, server holds \(held0)")

// 5. Stream for `duration` seconds.
let analyzed0 = before["fixes_analyzed"] as? Int ?? 0
let start = Date()
let clientCPU0 = processCPUSeconds()
plan.go()
var samples: [[String: Any]] = []
var lastSent = 0
var lastT = 0.0
while Date().timeIntervalSince(start) < args.duration {
    Thread.sleep(forTimeInterval: 5)
    let el = Date().timeIntervalSince(start)
    var sent = 0
    totals.update { sent = $0.fixesSent }
    samples.append(["t": (el * 10).rounded() / 10, "fixes_sent": sent,
                    "fixes_per_s": ((Double(sent - lastSent) / (el - lastT)) * 10).rounded() / 10])
    log(String(format: "t=%.0fs sent %d fixes (%.0f/s now), alerts %d", el, sent, Double(sent - lastSent) / (el - lastT),
               clock.snapshot().total))
    lastSent = sent
    lastT = el
}
plan.stop = true
let sendSeconds = Date().timeIntervalSince(start)
let clientCPU = processCPUSeconds() - clientCPU0
// Everything received so far, analyzed: the gateway answers once its queue has drained.
let after = server.ask("stats")
let analyzeSeconds = Date().timeIntervalSince(start)
Thread.sleep(forTimeInterval: 1)  // alerts of the last frames
let (latencies, unmatched, alertsReceived) = clock.snapshot()
let sorted = latencies.sorted()
var slotLateness: [Double] = []
totals.update { slotLateness = $0.slotLatenessMs.sorted() }
for c in channels { c.close(promise: nil) }
reader.stop()
try? clients.syncShutdownGracefully()
let stopped = server.ask("stop")
server.process.waitUntilExit()
let analyzedEnd = after["fixes_analyzed"] as? Int ?? 0
// CPU of the gateway process from the start of streaming to the end of the drain.
let gatewayCPU = (after["cpu_s"] as? Double).flatMap { a in (before["cpu_s"] as? Double).map { a - $0 } }
let perMillion: (Double?, Int) -> Double? = { cpu, fixes in
    guard let cpu, fixes > 0 else { return nil }
    return cpu / (Double(fixes) / 1e6)
}

func r(_ x: Double?) -> Any { x.map { ($0 * 100).rounded() / 100 } ?? NSNull() }
// Read once: the three figures are of the same instant.
let hostCPUEnd = hostCPUSeconds()
let result: [String: Any] = [
    "benchmark": "gateway-load",
    "date": ISO8601DateFormatter().string(from: Date()),
    "machine": "\(ProcessInfo.processInfo.activeProcessorCount) cores (shared), loopback; gateway and simulated terminals in two processes",
    "terminals": args.terminals,
    "rate_fixes_per_terminal_s": sentRate,
    "tick_ms": args.tickMs,
    "catch_up": args.catchUp,
    "permitted": args.permitted,
    "reorder_window_s": args.reorderWindow,
    "judge_every_s": args.judgeEvery,
    "duration_s": r(sendSeconds),
    "connect_seconds": r(connectSeconds),
    "authenticated": totals.authenticated,
    "connect_failures": connectFailures,
    "connections_held_start": held0,
    "connections_held_end": after["connections_open"] ?? NSNull(),
    "fixes_sent": totals.fixesSent,
    "frames_sent": totals.framesSent,
    "acks_received": totals.acks,
    "fixes_received_by_gateway": after["fixes_received"] ?? NSNull(),
    "fixes_analyzed": analyzedEnd - analyzed0,
    // After the shutdown flush: equal to fixes_sent when nothing was lost (the figure above is
    // taken while a loop's last batch may still be on its way to its shard).
    "fixes_analyzed_by_shutdown": (stopped["fixes_analyzed"] as? Int).map { $0 - analyzed0 } ?? NSNull(),
    "fixes_late": after["late"] ?? NSNull(),
    "offered_fixes_per_s": r(Double(totals.fixesSent) / sendSeconds),
    "received_fixes_per_s": r(Double(after["fixes_received"] as? Int ?? 0) / sendSeconds),
    "analyzed_fixes_per_s": r(Double(analyzedEnd - analyzed0) / analyzeSeconds),
    "analysis_backlog_drain_s": r(after["drain_s"] as? Double),
    "alerts_received": alertsReceived,
    "alerts_timed": sorted.count,
    "alerts_unmatched": unmatched,
    "alert_latency_ms_p50": r(percentile(sorted, 50)),
    "alert_latency_ms_p99": r(percentile(sorted, 99)),
    "alert_latency_ms_max": r(sorted.last),
    "journal_commit_ms": args.journalCommitMs,
    "store": args.db.isEmpty ? "sqlite" : "postgres",
    "journal_records": after["journal_records"] ?? NSNull(),
    "journal_commits": after["journal_commits"] ?? NSNull(),
    "journal_bytes_per_fix": after["journal_bytes_per_fix"] ?? NSNull(),
    "journal_sync_ms_avg": after["journal_sync_ms_avg"] ?? NSNull(),
    "journal_sync_ms_max": after["journal_sync_ms_max"] ?? NSNull(),
    "journal_failed_commits": after["journal_failed_commits"] ?? NSNull(),
    "evaluations": after["evaluations"] ?? NSNull(),
    "store_writes": after["store_writes"] ?? NSNull(),
    "store_busy_s": r(after["store_busy_s"] as? Double),
    "store_cpu_s": r(after["store_cpu_s"] as? Double),
    "store_cases_written": after["store_cases_written"] ?? NSNull(),
    "refresh_hold_max_s": r(after["refresh_hold_max_s"] as? Double),
    "store_alert_writes": after["store_alert_writes"] ?? NSNull(),
    "store_alert_busy_s": r(after["store_alert_busy_s"] as? Double),
    "store_alerted_cases_written": after["store_alerted_cases_written"] ?? NSNull(),
    "gateway_alert_ms_p50": after["gateway_alert_ms_p50"] ?? NSNull(),
    "gateway_alert_ms_p99": after["gateway_alert_ms_p99"] ?? NSNull(),
    "store_alert_ms_p50": after["store_alert_ms_p50"] ?? NSNull(),
    "store_alert_ms_p99": after["store_alert_ms_p99"] ?? NSNull(),
    "shard_wait_ms_p50": after["shard_wait_ms_p50"] ?? NSNull(),
    "shard_wait_ms_p99": after["shard_wait_ms_p99"] ?? NSNull(),
    "store_errors": stopped["store_errors"] ?? NSNull(),
    "bad_frames": after["bad_frames"] ?? NSNull(),
    "shutdown_flush_s": r(stopped["flush_s"] as? Double),
    "gateway_peak_rss_mb": r(stopped["peak_rss_mb"] as? Double),
    "gateway_peak_rss_mb_at_stats": r(after["peak_rss_mb"] as? Double),
    "shards": after["shards"] ?? NSNull(),
    "read_pauses": after["read_pauses"] ?? NSNull(),
    "trim_history": args.trim,
    "history_trims": after["trims"] ?? NSNull(),
    "peak_queued_fixes_per_shard": after["peak_queued_fixes_per_shard"] ?? NSNull(),
    "gateway_cpu_s": r(gatewayCPU),
    "gateway_cpu_s_per_million_fixes": r(perMillion(gatewayCPU, analyzedEnd - analyzed0)),
    "client_cpu_s": r(clientCPU),
    "client_cpu_s_per_million_fixes": r(perMillion(clientCPU, totals.fixesSent)),
    "send_lateness_ms_p50": r(percentile(slotLateness, 50)),
    "send_lateness_ms_p99": r(percentile(slotLateness, 99)),
    "send_lateness_ms_max": r(slotLateness.last),
    "load_average_start": loadAverageStart,
    "load_average_end": loadAverage(),
    "host_idle_s": r(hostCPUEnd.flatMap { e in hostCPUStart.map { e.idle - $0.idle } }),
    "host_iowait_s": r(hostCPUEnd.flatMap { e in hostCPUStart.map { e.iowait - $0.iowait } }),
    "host_steal_s": r(hostCPUEnd.flatMap { e in hostCPUStart.map { e.steal - $0.steal } }),
    "load_client_peak_rss_mb": r(peakRSSMB()),
    "samples": samples,
]
let json = try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
if let out = args.out { try json.write(to: URL(fileURLWithPath: out)) }
print(String(decoding: json, as: UTF8.self))
