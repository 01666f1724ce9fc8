import Dispatch
import Foundation
import MuckWatchCore
import MuckWatchJudge

/// Hands parsed fixes to the buckets on a serial background queue, in order, so the main
/// thread can cut and parse the next pieces meanwhile. At most `depth` batches wait, which
/// bounds the memory held in flight; the first error is kept and thrown by `finish`.
/// Emptied arrays go back to `pool` for the next pieces to be parsed into.
final class SpillFeeder: @unchecked Sendable {
    let spill: FixSpill
    let pool: FixArrayPool
    private let queue = DispatchQueue(label: "muckwatch.spill")
    private let slots: DispatchSemaphore
    private var error: AnalysisError?
    private(set) var seconds = 0.0

    init(_ spill: FixSpill, pool: FixArrayPool, depth: Int = 2) {
        self.spill = spill
        self.pool = pool
        slots = DispatchSemaphore(value: depth)
    }

    /// Queues batches of fixes to be added in the given order. Takes the arrays (the box
    /// is emptied), so they can be reused once added.
    func add(_ batches: FixArrayPool.Handoff) {
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            var arrays = batches.take()
            guard error == nil else { return }
            let t0 = Date()
            do throws(AnalysisError) {
                for fixes in arrays { try spill.add(fixes) }
            } catch {
                self.error = error
            }
            arrays.reverse()
            while let fixes = arrays.popLast() { pool.give(fixes) }
            seconds += Date().timeIntervalSince(t0)
        }
    }

    /// Waits until everything queued is added; throws the first failure.
    func finish() throws(AnalysisError) {
        queue.sync {}
        if let error { throw error }
    }
}

/// Arrays of fixes kept for reuse between parsing and bucketing: an 8 MB piece parses into
/// ~10 MB of fixes, and fresh memory for each cost a page fault and a zeroed page per
/// page (see `ChunkBytes`). At most `keep` arrays wait here (spares beyond what is in flight
/// would only add to the run's peak memory); the pool dies with the ingest.
final class FixArrayPool: @unchecked Sendable {
    private let lock = NSLock()
    private var spare: [[Fix]] = []
    private var keep: Int

    init(keep: Int) { self.keep = keep }

    /// No more pieces will be parsed: free the spares, and every array given back later.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        keep = 0
        spare = []
    }

    /// An empty array, with the capacity of an earlier piece when one is spare.
    func take() -> [Fix] {
        lock.lock()
        defer { lock.unlock() }
        return spare.popLast() ?? []
    }

    /// Keeps `fixes`' memory (emptied) for a later piece; frees it when enough are kept.
    func give(_ fixes: consuming [Fix]) {
        fixes.removeAll(keepingCapacity: true)
        lock.lock()
        defer { lock.unlock() }
        if spare.count < keep { spare.append(fixes) }
    }

    /// Batches of arrays moved, not shared, from the parsing thread to the bucketing one
    /// (an array another reference still shares would be copied when emptied).
    final class Handoff: @unchecked Sendable {
        private var arrays: [[Fix]]
        init(_ arrays: [[Fix]]) { self.arrays = arrays }
        func take() -> [[Fix]] {
            defer { arrays = [] }
            return arrays
        }
    }
}
