import Dispatch
import Foundation
import MuckWatchCore
import MuckWatchJudge

/// Hands parsed fixes to the buckets on a serial background queue, in order, so the main
/// thread can cut and parse the next pieces meanwhile. At most `depth` batches wait, which
/// bounds the memory held in flight; the first error is kept and thrown by `finish`.
/// Emptied arrays go back to `pool` for the next pieces to be parsed into.
final class SpillFeeder: Sendable {
    /// What the feeder's queue owns.
    private struct Feed {
        /// Also added to by the ingest itself, only after `finish` (nothing queued then).
        let spill: FixSpill
        let pool: FixArrayPool
        var error: AnalysisError?
        var seconds = 0.0
    }
    private let feed: QueueConfined<Feed>
    private let slots: DispatchSemaphore

    init(_ spill: FixSpill, pool: FixArrayPool, depth: Int = 2) {
        feed = QueueConfined(Feed(spill: spill, pool: pool), label: "muckwatch.spill")
        slots = DispatchSemaphore(value: depth)
    }

    /// Seconds spent adding (read after `finish`).
    var seconds: Double { feed.sync { $0.seconds } }

    /// Queues batches of fixes to be added in the given order. Takes the arrays (the box
    /// is emptied), so they can be reused once added.
    func add(_ batches: FixArrayPool.Handoff) {
        slots.wait()
        feed.async { [slots] f in
            defer { slots.signal() }
            var arrays = batches.take()
            guard f.error == nil else { return }
            let t0 = Date()
            do throws(AnalysisError) {
                for fixes in arrays { try f.spill.add(fixes) }
            } catch {
                f.error = error
            }
            arrays.reverse()
            while let fixes = arrays.popLast() { f.pool.give(fixes) }
            f.seconds += Date().timeIntervalSince(t0)
        }
    }

    /// Waits until everything queued is added; throws the first failure.
    func finish() throws(AnalysisError) {
        if let error = feed.sync({ $0.error }) { throw error }
    }
}

/// Arrays of fixes kept for reuse between parsing and bucketing: an 8 MB piece parses into
/// ~10 MB of fixes, and fresh memory for each cost a page fault and a zeroed page per
/// page (see `ChunkBytes`). At most `keep` arrays wait here (spares beyond what is in flight
/// would only add to the run's peak memory); the pool dies with the ingest.
final class FixArrayPool: Sendable {
    private struct Spares {
        var arrays: [[Fix]] = []
        var keep: Int
    }
    private let spares: Locked<Spares>

    init(keep: Int) { spares = Locked(Spares(keep: keep)) }

    /// No more pieces will be parsed: free the spares, and every array given back later.
    func close() {
        spares.withLock { $0 = Spares(keep: 0) }
    }

    /// An empty array, with the capacity of an earlier piece when one is spare.
    func take() -> [Fix] {
        spares.withLock { $0.arrays.popLast() } ?? []
    }

    /// Keeps `fixes`' memory (emptied) for a later piece; frees it when enough are kept.
    func give(_ fixes: consuming [Fix]) {
        fixes.removeAll(keepingCapacity: true)
        let emptied = consume fixes
        spares.withLock { s in
            if s.arrays.count < s.keep { s.arrays.append(emptied) }
        }
    }

    /// Batches of arrays moved, not shared, from the parsing thread to the bucketing one
    /// (an array another reference still shares would be copied when emptied).
    final class Handoff: Sendable {
        private let arrays: Locked<[[Fix]]>
        init(_ arrays: [[Fix]]) { self.arrays = Locked(arrays) }
        func take() -> [[Fix]] {
            arrays.withLock { a in
                defer { a = [] }
                return a
            }
        }
    }
}
