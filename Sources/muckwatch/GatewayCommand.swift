import ArgumentParser
import Dispatch
import Foundation
import Logging
import Synchronization
import MuckWatchCore
import MuckWatchJudge
import MuckWatchGateway
import MuckWatchLive
import MuckWatchBatch
import MuckWatchStore
import MuckWatchDispatch
import MuckWatchJournal

/// `muckwatch gateway`: the live JT/T 808 gateway, cases and alerts as trucks report.
struct GatewayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Accept JT/T 808 terminals over TCP, analyze their fixes live, store cases and stream alerts.",
        discussion: """
            Terminals register (0x0100 → 0x8100 with an auth code; phones not in --vehicles are \
            refused with result 2 and disconnected), authenticate (0x0102) and then report \
            locations (0x0200, 0x0704) and heartbeats (0x0002); every message gets a 0x8001. \
            Fixes run through the same analyzer, rules and case builder as `analyze`; cases are \
            upserted into --db as they are found and announced on the alert stream: \
            GET http://ALERTS/alerts (text/event-stream, one `event: case` per new case or new \
            violations on a case). Ctrl-C or SIGTERM stops listening and writes every vehicle's \
            open state to the store. See docs/gateway.md.
            """)

    @Option(help: ArgumentHelp("Address terminals connect to.", valueName: "host:port"))
    var listen = "0.0.0.0:7808"

    @Option(help: ArgumentHelp("Case store (SQLite; created when missing, shared with `analyze` and `cases`), or "
                               + "postgres://user:pass@host:port/db[?sslmode=require].", valueName: "file-or-url"))
    var db: String

    @Option(help: ArgumentHelp("Folder of geofence GeoJSON files (as for `analyze`).", valueName: "dir"))
    var fences: String

    @Option(help: ArgumentHelp("Permits (JSON, as for `analyze`).", valueName: "file"))
    var permits: String

    @Option(help: ArgumentHelp("Vehicle registry CSV; its terminal_id column admits terminals.", valueName: "file"))
    var vehicles: String

    @Option(help: ArgumentHelp("Camera events (JSON Lines), judged with each vehicle's track.", valueName: "file"))
    var cameras: String?

    @Option(help: ArgumentHelp("Analysis config (JSON, as for `analyze`); its dispatch keys run the dispatch worker here (docs/dispatch.md).",
                               valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Address of the Server-Sent Events alert stream (GET /alerts).",
                               valueName: "host:port"))
    var alerts = "127.0.0.1:7809"

    @Option(help: ArgumentHelp("Seconds of silence after which a terminal is disconnected.", valueName: "seconds"))
    var idleTimeout: Int64 = 180

    @Option(help: ArgumentHelp("Fixes up to this many seconds late (per vehicle) are sorted in; older ones are dropped.",
                               valueName: "seconds"))
    var reorderWindow: Int64 = 60

    @Option(help: ArgumentHelp("While a truck is loaded, judge its open trip every this many seconds of its feed time.",
                               valueName: "seconds"))
    var judgeEvery: Int64 = 30

    @Option(help: ArgumentHelp("Analysis shards (serial executors, vehicles split by plate); 0: one per core.",
                               valueName: "n"))
    var shards = 0

    @Option(help: ArgumentHelp("Log a line on how the gateway keeps up (connections, fixes/s, alert latency, store load) every this many seconds; 0: never.",
                               valueName: "seconds"))
    var statsEvery = 60

    @Option(help: ArgumentHelp("Fix journal (issue #24, docs/journal.md): every fix is written to DIR/YYYY-MM-DD/ and synced before it is analyzed and acknowledged; on start the open day is replayed.",
                               valueName: "dir"))
    var journal: String?

    @Option(help: ArgumentHelp("Journal days older than this are removed.", valueName: "days"))
    var retainDays = 180

    @Option(help: ArgumentHelp("Shortest time between two journal commits (one write and fdatasync each).",
                               valueName: "ms"))
    var journalCommitMs = 5

    @Option(help: "Logs on stderr: text (for people) or json (one object per line).")
    var logFormat: LogFormat = .text

    mutating func validate() throws {
        guard Self.split(listen) != nil else { throw ValidationError("--listen: expected host:port, got \(listen)") }
        guard Self.split(alerts) != nil else { throw ValidationError("--alerts: expected host:port, got \(alerts)") }
        guard idleTimeout > 0 else { throw ValidationError("--idle-timeout: must be at least 1 second") }
        guard reorderWindow >= 0 else { throw ValidationError("--reorder-window: must not be negative") }
        guard judgeEvery > 0 else { throw ValidationError("--judge-every: must be at least 1 second") }
        guard (0...64).contains(shards) else { throw ValidationError("--shards: expected 0 (one per core) to 64") }
        guard statsEvery >= 0 else { throw ValidationError("--stats-every: must not be negative") }
        guard retainDays >= 0 else { throw ValidationError("--retain-days: must not be negative (0 keeps every day)") }
        guard (0...10_000).contains(journalCommitMs) else { throw ValidationError("--journal-commit-ms: expected 0 to 10000") }
    }

    /// Replays the journal's open day into `engine` and opens the writer that continues it.
    static func recover(_ dir: String, engine: LiveEngine, plates: PlateTable, clock: LocalClock, retainDays: Int,
                        commitMs: Int, logger: Logger) throws -> JournalWriter {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw JournalReadError(path: dir, reason: "cannot create the journal directory: \(error.localizedDescription)")
        }
        let r = try JournalRecovery.replay(directory: dir, into: engine, plates: plates, clock: clock)
        for d in r.damage { logger.warning("journal damage", metadata: ["at": "\(d)"]) }
        logger.info("journal replayed", metadata: ["day": "\(r.day)", "records": "\(r.records)",
                                                   "unknown_plates": "\(r.unknownPlates)",
                                                   "read_s": "\(String(format: "%.2f", r.readSeconds))",
                                                   "replay_s": "\(String(format: "%.2f", r.replaySeconds))"])
        var o = JournalWriter.Options()
        o.clock = clock
        o.retainDays = retainDays
        o.commitInterval = Double(commitMs) / 1000
        return JournalWriter(directory: dir, plates: plates.plates, options: o, recent: r.recent)
    }

    static func split(_ address: String) -> (host: String, port: Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }

    func run() throws {
        logFormat.bootstrap()
        var logger = Logger(label: "muckwatch.gateway")
        logger.logLevel = .info
        let server: GatewayServer
        let dispatch = try DispatchSetup.settings(config: config)
        // Before anything makes a metric: one made earlier would report to no backend.
        let registry = MetricsExport.bootstrap()
        let worker = try DispatchSetup.worker(db: db, settings: dispatch, logger: Logger(label: "muckwatch.dispatch"))
        let gatewayMetrics = GatewayMetrics()
        let readinessStore = db
        let stopSignals: StopSignals
        do {
            let refs = try References.load(ReferenceFiles(fences: fences, cameras: cameras, permits: permits,
                                                          vehicles: vehicles, config: config))
            let store = try CaseStore(path: db)
            var options = LiveAnalysis.Options()
            options.reorderWindowSeconds = reorderWindow
            options.evaluateEverySeconds = judgeEvery
            let partition = try LivePartition(references: refs, store: store, options: options,
                                              shards: shards > 0 ? shards : ProcessInfo.processInfo.activeProcessorCount)
            let clock = refs.config.clock
            let alertLogger = logger
            let hub = AlertHub(clock: clock) { alert in
                alertLogger.info("case", metadata: ["case_id": "\(alert.caseID)", "vehicle": "\(alert.vehicleID)",
                                                    "types": "\(alert.types.map(\.rawValue).joined(separator: ","))",
                                                    "time": "\(clock.format(alert.time))"])
            }
            var c = GatewayServer.Configuration()
            (c.host, c.port) = Self.split(listen)!
            (c.alertsHost, c.alertsPort) = Self.split(alerts)!
            c.idleTimeoutSeconds = idleTimeout
            c.authKey = try store.key(named: GatewayServer.Configuration.authKeyName)
            // /metrics, /healthz and /readyz beside /alerts (issue #20); the server is made below,
            // so the metrics closure reaches it through a box set once it exists.
            let serverBox = ServerBox()
            c.endpoints = [
                GatewayEndpoint(path: "/metrics", contentType: "text/plain; version=0.0.4; charset=utf-8") {
                    if let s = serverBox.server { gatewayMetrics.update(from: s) }
                    return (true, MetricsExport.text(registry))
                },
                GatewayEndpoint(path: "/healthz") { (true, "ok\n") },
                GatewayEndpoint(path: "/readyz") {
                    var problems: [String] = []
                    if let f = serverBox.server?.configuration.journal?.status.failure { problems.append("journal: \(f)") }
                    do { _ = try CaseStore(path: readinessStore).schemaVersion() } catch { problems.append("store: \(error)") }
                    if let p = DispatchSetup.readiness(worker) { problems.append(p) }
                    return (problems.isEmpty, problems.isEmpty ? "ready\n" : problems.joined(separator: "\n") + "\n")
                },
            ]
            // Manifests, gate records and camera reads reach the gateway through the store
            // (`muckwatch import`, the integration API).
            let chain = ChainInbox(store: try CaseStore(path: db), tagOwners: refs.tagOwners,
                                   cameras: partition.shards[0].cameras)
            let engine = LiveEngine(partition: partition, hub: hub, chain: chain)
            if let journal {
                c.journal = try Self.recover(journal, engine: engine, plates: partition.shards[0].plates,
                                             clock: clock, retainDays: retainDays, commitMs: journalCommitMs, logger: logger)
            }
            server = GatewayServer(engine: engine, hub: hub, configuration: c, logger: logger)
            serverBox.server = server
            logger.info("references", metadata: ["fences": "\(refs.fences.count)", "vehicles": "\(refs.vehicles.count)",
                                                 "permits": "\(refs.permits.count)",
                                                 "projection": "EPSG:\(partition.shards[0].epsg)",
                                                 "shards": "\(partition.shards.count)"])
            stopSignals = StopSignals()
            _ = try server.start()
        } catch let e as AnalysisError {
            FileHandle.standardError.write(Data("muckwatch gateway: \(e.description)\n".utf8))
            throw ExitCode(2)
        } catch let e as JournalReadError {
            FileHandle.standardError.write(Data("muckwatch gateway: journal: \(e)\n".utf8))
            throw ExitCode(2)
        } catch let e as StoreError {
            FileHandle.standardError.write(Data("muckwatch gateway: \(db): \(e)\n".utf8))
            throw ExitCode(2)
        } catch {
            FileHandle.standardError.write(Data("muckwatch gateway: cannot listen: \(error)\n".utf8))
            throw ExitCode(2)
        }

        // The dispatch worker, beside the listeners until the gateway stops.
        let dispatchTask = worker.map { w in Task { await w.run() } }

        // The health line: what the last interval looked like.
        var health: (any DispatchSourceTimer)?
        if statsEvery > 0 {
            let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "muckwatch.gateway.health"))
            var last = GatewayHealth.Sample.take(server)
            let healthLogger = logger
            timer.schedule(deadline: .now() + .seconds(statsEvery), repeating: .seconds(statsEvery))
            timer.setEventHandler {
                let now = GatewayHealth.Sample.take(server)
                var metadata = Logger.Metadata()
                for (k, v) in GatewayHealth.fields(now, since: last) { metadata[k] = "\(v)" }
                healthLogger.info("health", metadata: metadata)
                last = now
            }
            timer.resume()
            health = timer
        }

        // Ctrl-C / SIGTERM: stop listening, flush every vehicle's open state, exit 0.
        stopSignals.wait()
        health?.cancel()
        dispatchTask?.cancel()
        logger.info("stopping: flushing open trips to the store")
        let stats = server.stats
        server.stop()
        logger.info("connections", metadata: ["total": "\(stats.connectionsTotal)", "frames": "\(stats.counts.frames)",
                                              "bad_frames": "\(stats.counts.badFrames)", "fixes": "\(stats.counts.fixes)"])
        // The sources stay registered through the flush (a second Ctrl-C meanwhile is caught,
        // not the default kill); only `withExtendedLifetime` promises that a value outlives
        // its last use.
        withExtendedLifetime(stopSignals) {}
    }
}

/// Holds the gateway server for the `/metrics` endpoint, which is configured before the server exists.
private final class ServerBox: Sendable {
    private let box = Mutex<GatewayServer?>(nil)
    var server: GatewayServer? {
        get { box.withLock { $0 } }
        set { box.withLock { $0 = newValue } }
    }
}
