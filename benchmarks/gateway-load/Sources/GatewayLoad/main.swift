import Foundation
import NIOCore
import NIOPosix
import MuckWatchCore
import MuckWatchGateway
import MuckWatchIngest
import MuckWatchLive
import MuckWatchPipeline
import MuckWatchStore

/// gateway-load: N simulated terminals against an in-process gateway on loopback.
///
///     GatewayLoad --terminals 10000 --rate 10 --duration 30 --out result.json
///
/// Every terminal registers and authenticates, then sends `rate` fixes per second (even
/// terminals as 0x0200 reports, odd ones as 0x0704 batches) replaying one of the sample
/// night's trucks under its own plate (no permits: every loaded trip is a case). Reports
/// connections held, fixes sent/acked/analyzed per second, and the alert latency: from
/// sending the frame whose fix makes the gateway raise an alert to reading that alert on
/// the SSE stream.
struct Arguments {
    var terminals = 1000
    var rate = 10
    var duration = 30.0
    var tickMs = 500
    var reorderWindow: Int64 = 60
    var connectConcurrency = 500
    var out: String?
    var root = ""

    init() {
        var it = CommandLine.arguments.dropFirst().makeIterator()
        while let a = it.next() {
            let v = it.next() ?? ""
            switch a {
            case "--terminals": terminals = Int(v)!
            case "--rate": rate = Int(v)!
            case "--duration": duration = Double(v)!
            case "--tick-ms": tickMs = Int(v)!
            case "--reorder-window": reorderWindow = Int64(v)!
            case "--connect-concurrency": connectConcurrency = Int(v)!
            case "--out": out = v
            case "--root": root = v
            default: fatalError("unknown argument \(a)")
            }
        }
    }
}

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

func peakRSSMB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}

let args = Arguments()
let root = args.root.isEmpty ? FileManager.default.currentDirectoryPath + "/../.." : args.root
let dir = NSTemporaryDirectory() + "muckwatch-gateway-load-" + UUID().uuidString
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: dir) }

// 1. A registry of N terminals (plates LT00000…), the sample's fences and permits.
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
let refs = try LiveAnalysis.loadReferences(fences: root + "/geofences", permits: root + "/traces/permits.json",
                                           vehicles: dir + "/vehicles.csv", cameras: nil, config: nil)
var options = LiveAnalysis.Options()
options.reorderWindowSeconds = args.reorderWindow

// 2. Scripts and, offline, the fix that triggers each of their alerts.
let tracks = try Scripts.load(root: root)
let scripts = try Scripts.triggers(tracks, plates: Array(plates.prefix(tracks.count)), references: refs,
                                   options: options)
let fixesPerTick = max(1, args.rate * args.tickMs / 1000)
let sendable = scripts.map { $0.fixes.count / fixesPerTick * fixesPerTick }
log("scripts: \(scripts.count) trucks, \(scripts.map(\.fixes.count).min()!)–\(scripts.map(\.fixes.count).max()!) fixes, "
    + "\(scripts.map(\.alertTriggers.count).reduce(0, +)) alerts")

// 3. The gateway, in process, on loopback.
let live = try LiveAnalysis(references: refs, store: try CaseStore(path: dir + "/cases.sqlite"), options: options)
let hub = AlertHub(clock: refs.config.clock)
let engine = LiveEngine(live: live, hub: hub)
var config = GatewayServer.Configuration()
config.host = "127.0.0.1"
config.port = 0
config.alertsPort = 0
config.idleTimeoutSeconds = 600
let server = GatewayServer(engine: engine, hub: hub, configuration: config)
let addresses = try server.start()

let clock = AlertClock(alertsPerTerminal: (0..<args.terminals).map { scripts[$0 % scripts.count].alertTriggers.count })
let totals = LoadTotals()
let plan = LoadPlan(scripts: scripts, fixesPerTick: fixesPerTick, tick: .milliseconds(Int64(args.tickMs)),
                    clock: clock, totals: totals)
let reader = AlertReader(port: addresses.alerts.port!, clock: clock,
                         terminalOf: Dictionary(uniqueKeysWithValues: plates.enumerated().map { ($1, $0) }))
guard reader.start() else { fatalError("cannot open the alert stream") }

// 4. Connect every terminal (register + authenticate), a bounded number at a time.
let clients = MultiThreadedEventLoopGroup(numberOfThreads: 2)
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
        channels.append(try bootstrap.connect(host: "127.0.0.1", port: addresses.gateway.port!).wait())
    } catch {
        connectFailures += 1
        slots.signal()
        ready.signal()
    }
}
for _ in 0..<args.terminals { ready.wait() }
let connectSeconds = Date().timeIntervalSince(t0)
let held0 = server.stats.connectionsOpen
log("connected: \(totals.authenticated) authenticated of \(args.terminals) in \(String(format: "%.1f", connectSeconds)) s, "
    + "\(connectFailures) connect failures, server holds \(held0)")

// 5. Stream for `duration` seconds.
let analyzed0 = engine.sync { $0.counters.fixes }
let start = Date()
plan.go = true
var samples: [[String: Any]] = []
while Date().timeIntervalSince(start) < args.duration {
    Thread.sleep(forTimeInterval: 5)
    let s = server.stats
    let el = Date().timeIntervalSince(start)
    samples.append(["t": el, "fixes_received": s.counts.fixes, "connections": s.connectionsOpen])
    log(String(format: "t=%.0fs received %d fixes (%.0f/s), %d connections, alerts %d", el, s.counts.fixes,
               Double(s.counts.fixes) / el, s.connectionsOpen, clock.snapshot().total))
}
plan.stop = true
let sendSeconds = Date().timeIntervalSince(start)
let heldEnd = server.stats.connectionsOpen
let receivedEnd = server.stats.counts.fixes
// Everything received so far, analyzed: the queue drains before this returns.
let counters = engine.sync { $0.counters }
let analyzeSeconds = Date().timeIntervalSince(start)
Thread.sleep(forTimeInterval: 1)  // alerts of the last frames
let (latencies, unmatched, alertsReceived) = clock.snapshot()
let sorted = latencies.sorted()
let stats = server.stats
for c in channels { c.close(promise: nil) }
reader.stop()
try? clients.syncShutdownGracefully()
let stopStart = Date()
server.stop()
let flushSeconds = Date().timeIntervalSince(stopStart)

func r(_ x: Double?) -> Any { x.map { ($0 * 100).rounded() / 100 } ?? NSNull() }
let result: [String: Any] = [
    "benchmark": "gateway-load",
    "date": ISO8601DateFormatter().string(from: Date()),
    "machine": "\(ProcessInfo.processInfo.activeProcessorCount) cores, loopback, gateway and terminals in one process",
    "terminals": args.terminals,
    "rate_fixes_per_terminal_s": args.rate,
    "tick_ms": args.tickMs,
    "reorder_window_s": args.reorderWindow,
    "duration_s": r(sendSeconds),
    "connect_seconds": r(connectSeconds),
    "authenticated": totals.authenticated,
    "connect_failures": connectFailures,
    "connections_held_start": held0,
    "connections_held_end": heldEnd,
    "fixes_sent": totals.fixesSent,
    "frames_sent": totals.framesSent,
    "acks_received": totals.acks,
    "fixes_received_by_gateway": receivedEnd,
    "fixes_analyzed": counters.fixes - analyzed0,
    "fixes_late": counters.late,
    "offered_fixes_per_s": r(Double(totals.fixesSent) / sendSeconds),
    "received_fixes_per_s": r(Double(receivedEnd) / sendSeconds),
    "analyzed_fixes_per_s": r(Double(counters.fixes - analyzed0) / analyzeSeconds),
    "analysis_backlog_drain_s": r(analyzeSeconds - sendSeconds),
    "alerts_received": alertsReceived,
    "alerts_timed": sorted.count,
    "alerts_unmatched": unmatched,
    "alert_latency_ms_p50": r(percentile(sorted, 50)),
    "alert_latency_ms_p99": r(percentile(sorted, 99)),
    "alert_latency_ms_max": r(sorted.last),
    "evaluations": counters.evaluations,
    "store_writes": counters.storeWrites,
    "store_errors": counters.storeErrors,
    "bad_frames": stats.counts.badFrames,
    "shutdown_flush_s": r(flushSeconds),
    "peak_rss_mb": r(peakRSSMB()),
    "samples": samples,
]
let json = try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
if let out = args.out { try json.write(to: URL(fileURLWithPath: out)) }
print(String(decoding: json, as: UTF8.self))
_ = sendable
