public import Dispatch
import NIOConcurrencyHelpers
public import MuckWatchCore
public import MuckWatchJT808
public import MuckWatchLive
import MuckWatchJudge
import MuckWatchStore

/// The live analysis, partitioned by vehicle over several serial executors (shards, one
/// per core by default). Each shard owns its vehicles' analyzers (`LiveAnalysis`); a
/// vehicle always goes to the same shard (a stable hash of its plate), so its fixes reach
/// its analyzer in arrival order whichever connection carried them, and no analyzer
/// needs a lock. Judged changes go to one store writer (its own serial queue,
/// `AlertPublisher`), which writes an alert's case before it sends the alert.
///
/// Back-pressure: each shard counts the fixes queued for it. Past `maxQueuedFixes`, the
/// connection that fed it is told to stop reading (`feed` returns true) and is resumed
/// once the shard has worked its queue down to half, so overload shows as TCP
/// back-pressure on the terminals instead of memory.
public final class LiveEngine: Sendable {
    public struct Options: Sendable {
        /// Fixes queued on one shard before the connections feeding it stop being read.
        public var maxQueuedFixes = 8192
        /// How often each shard hands its judged refreshes to the store writer (new cases
        /// and violations go with their alert, at once) and empties the reorder windows of
        /// quiet vehicles (`LiveAnalysis.releaseQuiet`).
        public var flushEvery: DispatchTimeInterval = .milliseconds(250)
        /// How long refreshes of cases already alerted (and closed trips, retractions) are
        /// held and merged before they are written (`AlertPublisher`): the store's work
        /// follows the cases, not how often they are re-judged, and alerts do not queue
        /// behind it. The review app shows such a change this much later at ordinary rates.
        public var refreshEvery: DispatchTimeInterval = .seconds(1)
        /// The longest refreshes are held when writing them would take more than a quarter
        /// of the store writer's time (`RefreshPacing`): the review app then shows a change
        /// to a case already alerted up to this much later. Alerts are never held.
        public var refreshAtMost: DispatchTimeInterval = .seconds(10)
        /// Most cases per refresh transaction (an alert waits for at most one); fewer when
        /// cases take long to write, each transaction aiming at 4 ms.
        public var refreshChunkCases = 64
        /// How often the store is polled for manifests, gate records and camera reads (`ChainInbox`).
        public var chainPollEvery: DispatchTimeInterval = .seconds(5)
        public init() {}
    }

    private let shards: [AnalysisShard]
    private let shardOfVehicle: [UInt8]
    private let publisher: AlertPublisher
    private let options: Options
    private let finished = NIOLockedValueBox(false)
    /// Brings manifests, gate records and camera reads from the store (`nil`: none are judged).
    private let chainPoller: ChainPoller?
    /// Registered terminals (fixed: read from every event loop without a queue).
    public let terminals: [JT808Phone: Int32]

    /// Takes ownership of the partition's analyses and writer: nothing else may call them.
    /// - Parameter chain: the store's manifests and gate records, polled every
    ///   `chainPollEvery` (its own connection); `nil`: the gateway judges fixes only.
    public init(partition: LivePartition, hub: AlertHub, options: Options = Options(), chain: ChainInbox? = nil) {
        self.options = options
        terminals = TerminalRegistry.vehicles(partition.shards[0].references.vehicles, plates: partition.shards[0].plates)
        shardOfVehicle = partition.shardOfVehicle
        let pacing = RefreshPacing(minDelay: options.refreshEvery.seconds, maxDelay: options.refreshAtMost.seconds,
                                   maxChunk: options.refreshChunkCases)
        let publisher = AlertPublisher(writer: partition.writer, hub: hub, pacing: pacing)
        self.publisher = publisher
        let shards = partition.shards.enumerated().map { k, live in
            AnalysisShard(index: k, live: live, publisher: publisher, limit: max(1, options.maxQueuedFixes),
                          flushEvery: options.flushEvery)
        }
        self.shards = shards
        chainPoller = chain.map {
            ChainPoller(inbox: $0, shards: shards, publisher: publisher, every: options.chainPollEvery)
        }
    }

    /// Polls the store for manifests, gate records and camera reads now and hands the
    /// shards what changed (tests; the gateway polls every `chainPollEvery`).
    public func pollChain(at now: Int64) {
        chainPoller?.poll(at: now)
    }

    /// Stops waking paused connections (their event loops are about to shut down).
    func stopResuming() {
        for s in shards { s.stopResuming() }
    }

    /// Number of analysis shards.
    public var shardCount: Int { shards.count }

    /// The shard a vehicle's fixes go to.
    func shard(of vehicle: Int32) -> Int {
        vehicle >= 0 && Int(vehicle) < shardOfVehicle.count ? Int(shardOfVehicle[Int(vehicle)]) : 0
    }

    /// Queues fixes on one shard (what one event loop read for it in one iteration, in
    /// arrival order) and registers `waiters`, connections that stopped reading because
    /// the shard looked full: each is resumed once the shard has worked its queue down.
    /// - Returns: true when the shard is over its bound after these fixes.
    func feed(_ fixes: [Fix], shard: Int, waiters: [ReadResumer]) -> Bool {
        shards[shard].feed(fixes, waiters: waiters)
    }

    /// Feeds fixes read back from the journal (restart recovery), each to its vehicle's
    /// shard in journal order, waiting whenever a shard holds more than its bound, and
    /// returns once every one is analyzed: the analyzers are where they were at the kill.
    public func replay(_ fixes: [Fix], chunk: Int = 4096) {
        var parts = Array(repeating: [Fix](), count: shards.count)
        func send(_ s: Int) {
            guard !parts[s].isEmpty else { return }
            _ = shards[s].feed(parts[s], waiters: [])
            parts[s] = []
            if shards[s].queued > maxQueuedFixes { shards[s].sync { _ in } }
        }
        for f in fixes {
            let s = shard(of: f.vehicle)
            parts[s].append(f)
            if parts[s].count >= chunk { send(s) }
        }
        for s in parts.indices { send(s) }
        for s in shards { s.sync { _ in } }
    }

    /// Fixes queued on one shard now (a lock; read once per shard per loop iteration).
    func queued(shard: Int) -> Int { shards[shard].queued }

    /// Fixes queued on one shard before the connections feeding it stop being read.
    var maxQueuedFixes: Int { max(1, options.maxQueuedFixes) }

    /// Totals over every shard, after every fix queued so far is analyzed and every
    /// change so far is written (tests, stats).
    public var counters: LiveAnalysis.Counters {
        var c = LiveAnalysis.Counters()
        for s in shards { c += s.sync { $0.counters } }
        let (writes, errors) = publisher.sync { ($0.writes, $0.errors) }
        c.storeWrites += writes
        c.storeErrors += errors
        return c
    }

    /// What the store writer has done so far, after everything submitted is written (stats).
    public var storeActivity: StoreActivity { publisher.sync { $0 } }

    /// What the store writer has done so far, leaving what is pending where it is (a
    /// running gateway's periodic log: `GatewayHealth`).
    public var activity: StoreActivity { publisher.activity }

    /// Fixes queued on the shards now, not yet analyzed (stats).
    public var queuedFixes: Int { shards.reduce(0) { $0 + $1.queued } }

    /// How long the fixes handed to the shards waited before their shard took them up
    /// (stats: the analysis's share of an alert's latency).
    public var shardQueueWait: LatencyHistogram {
        var h = LatencyHistogram()
        for s in shards { h += s.queueWait }
        return h
    }

    /// The most fixes ever queued on one shard (stats: what the bound held it to).
    public var peakQueuedFixes: Int { shards.map(\.peakQueued).max() ?? 0 }

    /// Runs `body` on the analysis that owns `plate`, after every fix queued on it so far.
    public func sync<R>(plate: String, _ body: (LiveAnalysis) -> R) -> R {
        let live = shards[0].sync { $0.vehicle(plate: plate) }
        return shards[live.map(shard(of:)) ?? 0].sync(body)
    }

    /// Ends the feed: every queued fix is analyzed, every vehicle's open state judged, all
    /// of it written to the store and the session closed. Later fixes are dropped.
    @discardableResult
    public func finish() -> LiveAnalysis.Counters {
        guard !finished.withLockedValue({ f in defer { f = true }; return f }) else { return counters }
        chainPoller?.stop()
        var trips = 0, cases = 0
        for s in shards {
            let (alerts, writes, t, c) = s.finish()
            publisher.submit(writes, alerts)
            trips += t
            cases += c
        }
        publisher.finish(trips: trips, cases: cases)
        return counters
    }
}

/// One serial executor of the analysis and the vehicles it owns.
final class AnalysisShard: Sendable {
    private struct Gate {
        var queued = 0
        var waiting: [ReadResumer] = []
        var resuming = true
        var peak = 0
    }
    /// What the shard's queue owns.
    private struct Work {
        let live: LiveAnalysis
        var finished = false
        /// From `feed` to the queue taking the fixes up.
        var waited = LatencyHistogram()
    }
    private let work: QueueConfined<Work>
    private let publisher: AlertPublisher
    private let gate = NIOLockedValueBox(Gate())
    private let limit: Int
    private let flusher: QueueTimer

    init(index: Int, live: LiveAnalysis, publisher: AlertPublisher, limit: Int, flushEvery: DispatchTimeInterval) {
        self.publisher = publisher
        self.limit = limit
        let work = QueueConfined(Work(live: live), label: "muckwatch.live.\(index)", qos: .userInitiated)
        self.work = work
        flusher = QueueTimer(queue: work.queue, every: flushEvery)
        flusher.start {
            work.onQueue { w in
                guard !w.finished else { return }
                let alerts = w.live.releaseQuiet() + w.live.judgeDue()
                if !alerts.isEmpty || w.live.hasPendingWrites { publisher.submit(w.live.takeWrites(), alerts) }
            }
        }
    }

    var queued: Int { gate.withLockedValue { $0.queued } }
    var peakQueued: Int { gate.withLockedValue { $0.peak } }
    var queueWait: LatencyHistogram { work.sync { $0.waited } }

    func feed(_ fixes: [Fix], waiters: [ReadResumer]) -> Bool {
        let n = fixes.count
        let full = gate.withLockedValue { g -> Bool in
            g.queued += n
            g.peak = max(g.peak, g.queued)
            // Registered even if the queue is under the bound by now: these fixes are
            // queued, so the drain below runs and wakes them.
            g.waiting += waiters
            return g.queued > limit
        }
        let fed = DispatchTime.now().uptimeNanoseconds
        work.async { [self] w in
            w.waited.record(nanoseconds: DispatchTime.now().uptimeNanoseconds &- fed)
            if !w.finished {
                let alerts = w.live.feed(fixes)
                if !alerts.isEmpty { publisher.submit(w.live.takeWrites(), alerts, fed: fed) }
            }
            let resume = gate.withLockedValue { g -> [ReadResumer] in
                g.queued -= n
                guard g.resuming, g.queued <= limit / 2, !g.waiting.isEmpty else { return [] }
                defer { g.waiting = [] }
                return g.waiting
            }
            for r in resume { r.resume() }
        }
        return full
    }

    /// Judges again, after the fixes queued so far, with records that reached the store
    /// (`LiveAnalysis.updateChain`, `updateCameras`), and hands over what changed.
    func rejudge(_ judge: @escaping @Sendable (LiveAnalysis) -> [LiveAlert]) {
        work.async { [publisher] w in
            guard !w.finished else { return }
            let alerts = judge(w.live)
            if !alerts.isEmpty || w.live.hasPendingWrites { publisher.submit(w.live.takeWrites(), alerts) }
        }
    }

    func sync<R>(_ body: (LiveAnalysis) -> R) -> R {
        work.sync { body($0.live) }
    }

    /// Analyzes what is queued, then finishes the analysis (`LiveAnalysis.finish`).
    func finish() -> (alerts: [LiveAlert], writes: LiveWrites, trips: Int, cases: Int) {
        let r = work.sync { w -> (alerts: [LiveAlert], writes: LiveWrites, trips: Int, cases: Int) in
            w.finished = true
            flusher.cancel()
            let alerts = w.live.finish()
            return (alerts, w.live.takeWrites(), w.live.trips.count, w.live.cases.count)
        }
        stopResuming()
        return r
    }

    /// Drops the paused connections' resumers (the connections are being closed).
    func stopResuming() {
        gate.withLockedValue { g in
            g.resuming = false
            g.waiting = []
        }
    }
}

extension DispatchTimeInterval {
    /// The interval in seconds (`.never` as infinity).
    var seconds: Double {
        switch self {
        case .seconds(let n): Double(n)
        case .milliseconds(let n): Double(n) / 1e3
        case .microseconds(let n): Double(n) / 1e6
        case .nanoseconds(let n): Double(n) / 1e9
        case .never: .infinity
        @unknown default: 1
        }
    }
}
