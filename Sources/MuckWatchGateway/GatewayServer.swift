import NIOConcurrencyHelpers
public import NIOCore
import NIOHTTP1
import NIOPosix
public import Logging
import MuckWatchCore
public import MuckWatchLive
public import MuckWatchJournal

/// The live gateway: a JT/T 808 TCP listener for terminals and an HTTP listener for the
/// alert stream, both in front of one `LiveEngine` (the sharded analysis).
public final class GatewayServer: Sendable {
    public struct Configuration: Sendable {
        public var host = "0.0.0.0"
        public var port = 7808
        public var alertsHost = "127.0.0.1"
        public var alertsPort = 7809
        /// A terminal silent this long is disconnected (JT/T 808 terminals heartbeat).
        public var idleTimeoutSeconds: Int64 = 180
        /// A connection sending more than this without a frame flag is dropped.
        public var maxUnterminatedFrameBytes = 64 * 1024
        /// Seconds between keep-alive comments on the alert streams (0: none).
        public var alertKeepAliveSeconds: Int64 = 15
        /// A subscriber to the alert stream with this many bytes unsent is disconnected.
        public var alertBacklogBytes = 8 * 1024 * 1024
        /// Event loop threads; 0: one per core.
        public var threads = 0
        /// Key of the auth codes (kept in the store under `authKeyName`, so codes survive a
        /// restart); `nil`: drawn at start-up.
        public var authKey: UInt64?
        /// The name the auth codes' key is kept under in the store (`CaseStore.key(named:)`).
        public static let authKeyName = "auth"
        /// More GET paths on the alert listener (`/metrics`, `/healthz`, `/readyz`; issue #20).
        public var endpoints: [GatewayEndpoint] = []
        /// The fix journal (issue #24): every fix is committed to it before it is analyzed
        /// and acknowledged; `nil`: acks leave once the fixes are queued in memory.
        public var journal: JournalWriter?

        public init() {}
    }

    /// Where the listeners are bound (port 0 in the configuration picks a free port).
    public struct Addresses: Sendable {
        public var gateway: SocketAddress
        public var alerts: SocketAddress
    }

    public let engine: LiveEngine
    public let hub: AlertHub
    public let configuration: Configuration
    private let group: MultiThreadedEventLoopGroup
    /// The alert streams' own thread: an alert is written at once, not after the event
    /// loop carrying it has read its share of 10,000 terminals.
    private let alertGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private let auth: AuthCodes
    private let statsBox = GatewayStatsBox()
    private let channels = NIOLockedValueBox<[any Channel]>([])
    private let logger: Logger

    public init(engine: LiveEngine, hub: AlertHub, configuration: Configuration,
                logger: Logger = Logger(label: "muckwatch.gateway")) {
        self.engine = engine
        self.hub = hub
        self.configuration = configuration
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads > 0
                                            ? configuration.threads : System.coreCount)
        auth = configuration.authKey.map { AuthCodes(key: $0) } ?? AuthCodes()
    }

    public var stats: GatewayStats { statsBox.snapshot }

    /// Binds both listeners and returns at once; connections are served on the event loops.
    public func start() throws -> Addresses {
        let engine = engine, auth = auth, stats = statsBox, hub = hub
        let idle = TimeAmount.seconds(configuration.idleTimeoutSeconds)
        let maxRun = configuration.maxUnterminatedFrameBytes
        // One batch per event loop, reached by the loop's connections (`LoopBatch`).
        let batches = LoopBatches(group: group, engine: engine, stats: stats, journal: configuration.journal)
        let terminals = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 4)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                    let batch = batches.batch(of: channel.eventLoop)
                    try channel.pipeline.syncOperations.addHandler(
                        TerminalHandler(engine: engine, auth: auth, maxRunBytes: maxRun, stats: stats, batch: batch))
                }
            }
            .bind(host: configuration.host, port: configuration.port).wait()
        let alerts: any Channel
        do {
            let backlog = configuration.alertBacklogBytes
            let endpoints = configuration.endpoints
            alerts = try ServerBootstrap(group: alertGroup)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.writeBufferWaterMark, value: .init(low: backlog / 2, high: backlog))
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(AlertStreamHandler(hub: hub, endpoints: endpoints))
                    }
                }
                .bind(host: configuration.alertsHost, port: configuration.alertsPort).wait()
        } catch {
            try? terminals.close().wait()
            throw error
        }
        if configuration.alertKeepAliveSeconds > 0 {
            let every = TimeAmount.seconds(configuration.alertKeepAliveSeconds)
            alertGroup.next().scheduleRepeatedTask(initialDelay: every, delay: every) { _ in hub.keepAlive() }
        }
        if let journal = configuration.journal { watch(journal) }
        channels.withLockedValue { $0 = [terminals, alerts] }
        let addresses = Addresses(gateway: terminals.localAddress!, alerts: alerts.localAddress!)
        logger.info("listening", metadata: ["terminals": "\(addresses.gateway)", "alerts": "\(addresses.alerts)"])
        return addresses
    }

    /// Logs when the journal starts failing (the gateway then acknowledges nothing) and
    /// when it writes again, checked every second.
    private func watch(_ journal: JournalWriter) {
        let logger = logger
        let failing = NIOLockedValueBox<JournalFailure?>(nil)
        alertGroup.next().scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            let now = journal.status.failure
            let before = failing.withLockedValue { f in defer { f = now }; return f }
            if let now, before == nil {
                logger.error("journal failing: not acknowledging fixes", metadata: ["reason": "\(now)"])
            } else if now == nil, let before {
                logger.info("journal writing again: acknowledging fixes", metadata: ["after": "\(before.operation)"])
            }
        }
    }

    /// Stops listening, closes every connection, then flushes the analysis' open state to
    /// the store (`LiveEngine.finish`). Safe to call once from any thread but an event loop.
    @discardableResult
    public func stop() -> LiveAnalysis.Counters {
        let listeners = channels.withLockedValue { c -> [any Channel] in
            defer { c = [] }
            return c
        }
        for c in listeners { try? c.close().wait() }
        // What was read is committed and its acks sent while the loops still run.
        configuration.journal?.close()
        engine.stopResuming()
        // Closing the group closes every child channel (terminals and alert streams).
        try? group.syncShutdownGracefully()
        try? alertGroup.syncShutdownGracefully()
        let counters = engine.finish()
        logger.info("stopped", metadata: ["fixes": "\(counters.fixes)", "alerts": "\(counters.alerts)",
                                          "late": "\(counters.late)", "store_errors": "\(counters.storeErrors)",
                                          "alert_streams_dropped": "\(hub.droppedSubscribers)"])
        return counters
    }
}
