import MuckWatchCore
import MuckWatchAnalysis

/// One vehicle's live state: its reorder window, its analyzer, and what was last judged,
/// stored and alerted. Survives the terminal's connections.
struct VehicleState {
    var analyzer: VehicleAnalyzer
    /// Fixes waiting in the reorder window, time-ordered (arrival order among equal times).
    var pending: [Fix] = []
    /// Newest fix time seen (the window is measured back from it).
    var newest = Int64.min
    /// Time of the last fix handed to the analyzer: anything older is too late.
    var newestReleased = Int64.min
    var hasFixes = false
    /// Wall-clock time (Unix seconds) of the vehicle's last fix.
    var lastArrival: Int64 = 0
    /// Closed trips the last judgement saw.
    var tripsSeen = 0
    /// Feed time of the last judgement.
    var lastEvaluated = Int64.min
    /// Cases of the last judgement, by id.
    var cases: [String: Case] = [:]
    /// Trips stored so far (closed ones, and all at the end).
    var trips: [Trip] = []
    /// Violations already alerted, by case id.
    var alerted: [String: Set<ViolationKey>] = [:]

    init(analyzer: VehicleAnalyzer) {
        self.analyzer = analyzer
        pending.reserveCapacity(4)
    }

    /// Sorts a fix into the window; false when it is older than what was already analyzed.
    mutating func insert(_ f: Fix) -> Bool {
        guard f.time >= newestReleased else { return false }
        hasFixes = true
        var i = pending.count
        while i > 0, pending[i - 1].time > f.time { i -= 1 }
        pending.insert(f, at: i)
        if f.time > newest { newest = f.time }
        return true
    }

    /// Hands the analyzer every pending fix at or before `cutoff`; true when any was.
    mutating func release(olderThan cutoff: Int64) -> Bool {
        var n = 0
        while n < pending.count, pending[n].time <= cutoff {
            analyzer.feed(pending[n])
            newestReleased = pending[n].time
            n += 1
        }
        if n > 0 { pending.removeFirst(n) }
        return n > 0
    }

    /// A trip closed since the last judgement.
    var tripClosed: Bool { analyzer.track.trips.count > tripsSeen }

    /// Loaded, and `every` seconds of feed time have passed since the last judgement.
    func openTripDue(every: Int64) -> Bool {
        analyzer.isLoaded && (lastEvaluated == .min || newestReleased - lastEvaluated >= every)
    }
}
