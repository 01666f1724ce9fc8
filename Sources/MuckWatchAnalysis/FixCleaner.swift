import MuckWatchCore

/// Drops duplicates and GPS outliers from one vehicle's time-ordered fixes.
///
/// An outlier is a fix that implies more than `outlier_speed_kmh` from *both*
/// neighbours, so the cleaner holds one fix back until its successor arrives.
/// A single jump is dropped; a real fast leg (fast from one side only) is kept.
struct FixCleaner {
    let maxSpeedMS: Double
    private(set) var pending: Fix?
    private var lastAccepted: Fix?
    private(set) var duplicates = 0
    private(set) var outliers = 0
    /// Fixes that arrived earlier than the last one taken (a live feed's late rows).
    private(set) var late = 0

    init(outlierSpeedKmh: Double) { maxSpeedMS = outlierSpeedKmh / 3.6 }

    /// Feeds the next fix; returns the fix now settled as accepted, if any.
    mutating func push(_ fix: Fix) -> Fix? {
        let newest = pending ?? lastAccepted
        if let n = newest {
            if fix.time == n.time { duplicates += 1; return nil }
            if fix.time < n.time { late += 1; return nil }
        }
        guard let p = pending else {
            pending = fix
            return nil
        }
        if let a = lastAccepted, tooFast(a, p), tooFast(p, fix) {
            outliers += 1
            pending = fix
            return nil
        }
        lastAccepted = p
        pending = fix
        return p
    }

    /// End of data: the held-back fix has one neighbour only and is kept.
    mutating func flush() -> Fix? {
        defer { pending = nil }
        if let p = pending { lastAccepted = p }
        return pending
    }

    private func tooFast(_ a: Fix, _ b: Fix) -> Bool {
        let dt = Double(max(b.time - a.time, 1))
        return a.distance(to: b) / dt > maxSpeedMS
    }
}
