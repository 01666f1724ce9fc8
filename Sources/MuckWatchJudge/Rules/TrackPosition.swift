import MuckWatchCore
import MuckWatchAnalysis

/// Where a track puts its vehicle at a moment another record names (a camera read, a
/// gate pass, a manifest's closing), and which of its trips such a record belongs to.
extension VehicleTrack {
    /// The vehicle's position at `t`, interpolated between the fixes around it when both
    /// are at most `maxGap` s away, else the one fix within `maxGap / 2`; `nil` when the
    /// track says nothing about `t`. `around` spans the fixes either side of `t` (evidence).
    func position(at t: Int64, maxGap: Int64) -> (x: Double, y: Double, around: ClosedRange<Int64>)? {
        guard count > 0 else { return nil }
        let j = firstIndex(atOrAfter: t)
        let around = fixes[max(j - 1, 0)].time...fixes[min(j, count - 1)].time
        if j < count, fixes[j].time == t { return (fixes[j].x, fixes[j].y, around) }
        if j > 0, j < count, t - fixes[j - 1].time <= maxGap, fixes[j].time - t <= maxGap {
            let a = fixes[j - 1], b = fixes[j]
            let w = Double(t - a.time) / Double(b.time - a.time)
            return (a.x + (b.x - a.x) * w, a.y + (b.y - a.y) * w, around)
        }
        if j < count, fixes[j].time - t <= maxGap / 2 { return (fixes[j].x, fixes[j].y, around) }
        if j > 0, t - fixes[j - 1].time <= maxGap / 2 { return (fixes[j - 1].x, fixes[j - 1].y, around) }
        return nil
    }

    /// The fix nearest in time to `t` (the earlier on a tie); `nil` without fixes.
    func nearestFix(to t: Int64) -> Fix? {
        guard count > 0 else { return nil }
        let j = firstIndex(atOrAfter: t)
        if j == count { return fixes[count - 1] }
        if j == 0 { return fixes[0] }
        return t - fixes[j - 1].time <= fixes[j].time - t ? fixes[j - 1] : fixes[j]
    }

    /// When a trip's loaded drive ends: its unloading, or its last fix while it is open.
    func end(of trip: Trip) -> Int64 {
        trip.dumpedAt ?? fixes[max(trip.fixRange.upperBound - 1, trip.fixRange.lowerBound)].time
    }

    /// The trip a manifest or gate record at `t` joins (contract section 12): the one
    /// nearest in time — distance 0 inside [`loaded_at`, `dumped_at`], an open trip
    /// running to its last fix — when at most `within` seconds away, the earlier on a tie.
    func tripIndex(nearest t: Int64, within: Int64) -> Int? {
        var best: (k: Int, d: Int64)?
        for (k, trip) in trips.enumerated() {
            let end = self.end(of: trip)
            let d = t < trip.loadedAt ? trip.loadedAt - t : (t > end ? t - end : 0)
            if d <= within, d < (best?.d ?? .max) { best = (k, d) }
        }
        return best?.k
    }
}
