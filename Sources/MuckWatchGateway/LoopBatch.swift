import NIOCore
import NIOPosix
import MuckWatchCore

/// What the terminal connections of one event loop produced during one iteration of the
/// loop, handed on once at its end instead of once per socket read: each shard's fixes
/// in one `LiveEngine.feed` (one lock and one queue hop per shard, not per read), the
/// connections' counts into the shared totals under one lock, then every reply written
/// during the iteration flushed (one `write` system call per connection, as before).
///
/// Order: fixes are fed and counts added before the replies are flushed, so a terminal
/// that has its ack knows its fixes are queued and counted (the tests rely on it). A
/// vehicle's fixes keep their arrival order: one connection's reads are handled in order
/// on its loop, appended in order here, and fed in order to the vehicle's one shard.
///
/// Back-pressure: a read that takes a shard over `maxQueuedFixes` (by the shard's
/// queue when the iteration first fed it, plus what this iteration holds for it) pauses
/// its connection at once, before NIO asks it to read again; the connection is resumed
/// by the shard once drained (`LiveEngine.feed` registers it with the fixes).
///
/// Only touched on its event loop (no lock).
final class LoopBatch {
    private let eventLoop: any EventLoop
    private let engine: LiveEngine
    private let stats: GatewayStatsBox
    private let limit: Int
    /// Per shard: fixes read this iteration, in arrival order.
    private var fixes: [[Fix]]
    /// Per shard: connections paused this iteration.
    private var waiters: [[ReadResumer]]
    /// Per shard: its queue when this iteration first fed it (-1: not looked at yet).
    private var queuedAtStart: [Int]
    /// Connections with replies written but not flushed.
    private var dirty: [TerminalHandler] = []
    private var flushing: [TerminalHandler] = []
    private var counts = SessionCounts()
    private var readPauses = 0
    private var flushScheduled = false

    init(eventLoop: any EventLoop, engine: LiveEngine, stats: GatewayStatsBox) {
        self.eventLoop = eventLoop
        self.engine = engine
        self.stats = stats
        limit = engine.maxQueuedFixes
        let n = engine.shardCount
        fixes = Array(repeating: [], count: n)
        waiters = Array(repeating: [], count: n)
        queuedAtStart = Array(repeating: -1, count: n)
    }

    /// Adds one read's fixes for `shard`; true when the shard is over its bound with
    /// them: the connection must pause (`pause`) unless it already is.
    func add(_ f: [Fix], shard: Int) -> Bool {
        eventLoop.assertInEventLoop()
        scheduleFlush()
        if queuedAtStart[shard] < 0 { queuedAtStart[shard] = engine.queued(shard: shard) }
        fixes[shard].append(contentsOf: f)
        return queuedAtStart[shard] + fixes[shard].count > limit
    }

    /// A connection stopped reading for `shard`: registered with it along with this
    /// iteration's fixes, so the shard's drain resumes it.
    func pause(_ resumer: ReadResumer, shard: Int) {
        waiters[shard].append(resumer)
        readPauses += 1
    }

    /// Adds one read's counts to the totals at the end of the iteration.
    func count(_ c: SessionCounts) {
        scheduleFlush()
        counts += c
    }

    /// `handler` wrote replies: flush them at the end of the iteration.
    func needsFlush(_ handler: TerminalHandler) {
        scheduleFlush()
        dirty.append(handler)
    }

    private func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        // Tasks run after the loop has handled every ready socket of this iteration.
        eventLoop.assumeIsolated().execute { [self] in flush() }
    }

    /// Feeds the shards, adds the counts, flushes the replies (in this order).
    func flush() {
        flushScheduled = false
        for s in fixes.indices where !fixes[s].isEmpty {
            let batch = fixes[s]
            fixes[s] = []
            fixes[s].reserveCapacity(batch.count)
            _ = engine.feed(batch, shard: s, waiters: waiters[s])
            waiters[s].removeAll(keepingCapacity: true)
            queuedAtStart[s] = -1
        }
        if counts != SessionCounts() || readPauses > 0 {
            let c = counts, p = readPauses
            counts = SessionCounts()
            readPauses = 0
            stats.update {
                $0.counts += c
                $0.readPauses += p
            }
        }
        swap(&dirty, &flushing)
        for h in flushing { h.flushReplies() }
        flushing.removeAll(keepingCapacity: true)
    }
}

/// The `LoopBatch` of every event loop of a group, made before any connection. Handed to
/// the channel initializers (any thread), but each batch is only used on its own loop.
struct LoopBatches: Sendable {
    /// Each batch bound to its loop: reaching it from another thread traps.
    private let byLoop: [ObjectIdentifier: NIOLoopBoundBox<LoopBatch>]

    init(group: MultiThreadedEventLoopGroup, engine: LiveEngine, stats: GatewayStatsBox) {
        var m: [ObjectIdentifier: NIOLoopBoundBox<LoopBatch>] = [:]
        for loop in group.makeIterator() {
            m[ObjectIdentifier(loop)] = .makeBoxSendingValue(
                LoopBatch(eventLoop: loop, engine: engine, stats: stats), eventLoop: loop)
        }
        byLoop = m
    }

    /// On `loop`: its batch.
    func batch(of loop: any EventLoop) -> LoopBatch {
        byLoop[ObjectIdentifier(loop)]!.value
    }
}
