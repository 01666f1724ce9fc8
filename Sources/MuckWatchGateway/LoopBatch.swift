import NIOCore
import NIOPosix
import MuckWatchCore
import MuckWatchJournal

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
/// With a journal (issue #24) an iteration's fixes are fed and its replies sent only
/// after the journal's commit that holds them: the iteration's entries go to the
/// `JournalWriter`, its connections hold their replies (`TerminalHandler.hold`), and when
/// the commit completes (in order: a loop's iterations are released one after another,
/// an iteration without fixes waits for the ones before it) the committed fixes go to
/// their shards and the replies leave. A failed commit drops the iteration's fixes and
/// replies: nothing is acknowledged that is not on disk, and the terminals send it again.
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
    /// The journal every fix is committed to before it is fed and acknowledged (`nil`: none).
    private let journal: JournalWriter?
    /// This iteration's entries (with a journal).
    private var entries: [JournalEntry] = []
    /// Per shard: the committed fixes of the iteration being released (apart from
    /// `fixes`, which may already hold the current iteration's, not yet journaled).
    private var committedFixes: [[Fix]]
    /// Iterations submitted to the journal and not yet released, oldest first.
    private var waiting: [Held] = []
    private var sequence: UInt64 = 0

    /// An iteration waiting for its commit: whose replies it holds and whom it paused.
    private struct Held {
        var sequence: UInt64
        var handlers: [TerminalHandler]
        var waiters: [[ReadResumer]]
        var result: JournalCommit?
    }

    init(eventLoop: any EventLoop, engine: LiveEngine, stats: GatewayStatsBox, journal: JournalWriter? = nil) {
        self.eventLoop = eventLoop
        self.engine = engine
        self.stats = stats
        self.journal = journal
        limit = engine.maxQueuedFixes
        let n = engine.shardCount
        fixes = Array(repeating: [], count: n)
        waiters = Array(repeating: [], count: n)
        committedFixes = Array(repeating: [], count: n)
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

    /// True when fixes wait for the journal before they are fed and acknowledged.
    var isJournaled: Bool { journal != nil }

    /// One read's fixes as journal entries (with a journal, beside `add`).
    func journal(_ e: some Sequence<JournalEntry>) {
        entries.append(contentsOf: e)
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

    /// Feeds the shards, adds the counts, flushes the replies (in this order); with a
    /// journal, submits the iteration's entries and leaves feeding and replies to `release`.
    func flush() {
        flushScheduled = false
        if journal != nil {
            submit()
        } else {
            feedShards()
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
        guard journal == nil else { return }
        swap(&dirty, &flushing)
        for h in flushing { h.flushReplies() }
        flushing.removeAll(keepingCapacity: true)
    }

    private func feedShards() {
        for s in fixes.indices where !fixes[s].isEmpty {
            let batch = fixes[s]
            fixes[s] = []
            fixes[s].reserveCapacity(batch.count)
            _ = engine.feed(batch, shard: s, waiters: waiters[s])
            waiters[s].removeAll(keepingCapacity: true)
            queuedAtStart[s] = -1
        }
    }

    /// Hands the iteration to the journal: its entries, the replies its connections wrote,
    /// the connections it paused. An iteration without fixes still waits behind earlier ones.
    private func submit() {
        sequence += 1
        for h in dirty { h.hold(sequence) }
        var held = Held(sequence: sequence, handlers: dirty, waiters: waiters, result: nil)
        dirty = []
        for s in waiters.indices { waiters[s] = [] }
        for s in fixes.indices {
            fixes[s].removeAll(keepingCapacity: true)
            queuedAtStart[s] = -1
        }
        if entries.isEmpty {
            held.result = .committed([])
            waiting.append(held)
            release()
            return
        }
        waiting.append(held)
        let seq = sequence, loop = eventLoop
        let me = NIOLoopBound(self, eventLoop: loop)
        let batch = entries
        entries = []
        entries.reserveCapacity(batch.count)
        journal!.submit(batch) { result in
            loop.execute { me.value.committed(seq, result) }
        }
    }

    private func committed(_ seq: UInt64, _ result: JournalCommit) {
        guard let k = waiting.firstIndex(where: { $0.sequence == seq }) else { return }
        waiting[k].result = result
        release()
    }

    /// Releases the finished iterations at the front, in order: committed fixes to their
    /// shards, then the replies; a failed one's replies and fixes are dropped.
    private func release() {
        while let first = waiting.first, let result = first.result {
            waiting.removeFirst()
            switch result {
            case .committed(let kept):
                for e in kept { committedFixes[engine.shard(of: e.fix.vehicle)].append(e.fix) }
                for s in committedFixes.indices where !committedFixes[s].isEmpty || !first.waiters[s].isEmpty {
                    _ = engine.feed(committedFixes[s], shard: s, waiters: first.waiters[s])
                    committedFixes[s] = []
                }
                for h in first.handlers { h.release(first.sequence, send: true) }
            case .failed:
                for w in first.waiters.joined() { w.resume() }
                for h in first.handlers { h.release(first.sequence, send: false) }
            }
        }
    }
}

/// The `LoopBatch` of every event loop of a group, made before any connection. Handed to
/// the channel initializers (any thread), but each batch is only used on its own loop.
struct LoopBatches: Sendable {
    /// Each batch bound to its loop: reaching it from another thread traps.
    private let byLoop: [ObjectIdentifier: NIOLoopBoundBox<LoopBatch>]

    init(group: MultiThreadedEventLoopGroup, engine: LiveEngine, stats: GatewayStatsBox, journal: JournalWriter?) {
        var m: [ObjectIdentifier: NIOLoopBoundBox<LoopBatch>] = [:]
        for loop in group.makeIterator() {
            m[ObjectIdentifier(loop)] = .makeBoxSendingValue(
                LoopBatch(eventLoop: loop, engine: engine, stats: stats, journal: journal), eventLoop: loop)
        }
        byLoop = m
    }

    /// On `loop`: its batch.
    func batch(of loop: any EventLoop) -> LoopBatch {
        byLoop[ObjectIdentifier(loop)]!.value
    }
}
