import MuckWatchCore
import MuckWatchAnalysis

/// One vehicle's live state: its reorder window, its analyzer, and what was last judged,
/// stored and alerted. Survives the terminal's connections.
///
/// A class: the analysis reaches it once per fix, and a struct in an array is copied
/// whole (a dozen retains) by every computed property read through the subscript.
final class VehicleState {
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
    /// Fixes in the analyzer's track at the last judgement.
    var fixesEvaluated = 0
    /// Cases of the last judgement, by id.
    var cases: [String: Case] = [:]
    /// Trips stored so far (closed ones, and all at the end).
    var trips: [Trip] = []
    /// Cases and trips settled before the analyzer's track was trimmed (`settledBefore`):
    /// no later fix can change them, and the fixes they came from are gone.
    var archivedCases: [Case] = []
    var archivedTrips: [Trip] = []
    /// Violations starting before this time are settled (in `archivedCases`); judgements
    /// of the trimmed track keep only later ones.
    var settledBefore = Int64.min
    /// A trip closed since the last trim: try to trim once the truck has left its stop.
    var trimDue = false
    /// Track length at the last trim attempt (attempts are spaced, each may cost a judgement).
    var trimTriedAt = 0
    /// Violations already alerted, by case id.
    var alerted: [String: Set<ViolationKey>] = [:]
    /// The vehicle's manifests as last queued for the store, by id (`ManifestLedger`).
    var ledger: [String: ManifestEntry] = [:]

    init(analyzer: VehicleAnalyzer) {
        self.analyzer = analyzer
        pending.reserveCapacity(4)
    }

    /// Sorts a fix into the window; false when it is older than what was already analyzed.
    func insert(_ f: Fix) -> Bool {
        guard f.time >= newestReleased else { return false }
        hasFixes = true
        var i = pending.count
        while i > 0, pending[i - 1].time > f.time { i -= 1 }
        pending.insert(f, at: i)
        if f.time > newest { newest = f.time }
        return true
    }

    /// Hands the analyzer every pending fix at or before `cutoff`; true when any was.
    func release(olderThan cutoff: Int64) -> Bool {
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

    /// Loaded, at least `every` seconds of feed time since the last judgement, and either
    /// the track has grown by a `growth`-th since then or `atLeastEvery` seconds of feed
    /// time have passed. A judgement costs the whole track, so judging on growth keeps the
    /// total work linear in the track; the time bound keeps a long night's open trip from
    /// waiting long for its provisional violations.
    func openTripDue(every: Int64, growth: Int, atLeastEvery: Int64) -> Bool {
        guard analyzer.isLoaded else { return false }
        guard lastEvaluated != .min else { return true }
        let waited = newestReleased - lastEvaluated
        guard waited >= every else { return false }
        let count = analyzer.track.fixes.count
        return (count - fixesEvaluated) * max(1, growth) >= count || waited >= atLeastEvery
    }
}
