import MuckWatchCore

/// Finds dwells: consecutive fixes all within `stop_radius_m` of their centroid,
/// spanning at least `dwell_min_s` (contract section 11).
///
/// Incremental: the open cluster grows while every fix stays within the radius of the
/// new centroid. The bounding box of the cluster proves that cheaply in the common
/// case; only when the box is too large are the cluster's fixes checked one by one.
struct DwellDetector {
    let radius: Double
    let minSpan: Int64
    private var first = 0
    private var count = 0
    private var sumX = 0.0, sumY = 0.0, sumLon = 0.0, sumLat = 0.0
    private var minX = 0.0, maxX = 0.0, minY = 0.0, maxY = 0.0

    init(radius: Double, minSpan: Int64) {
        self.radius = radius
        self.minSpan = minSpan
    }

    /// Adds fix `i` (already appended to `fixes`); returns a dwell that just closed.
    mutating func push(_ i: Int, _ fixes: [Fix]) -> Dwell? {
        let f = fixes[i]
        if count == 0 { start(i, f); return nil }
        if fits(i, fixes) {
            count += 1
            sumX += f.x; sumY += f.y; sumLon += f.lon; sumLat += f.lat
            minX = min(minX, f.x); maxX = max(maxX, f.x); minY = min(minY, f.y); maxY = max(maxY, f.y)
            return nil
        }
        // The one or two oldest fixes may be the approach (a truck rolling in 50-60 m
        // short of where it stops): dropping them keeps the stop in one piece.
        let (oldFirst, oldCount) = (first, count)
        for _ in 0..<2 where count > 1 {
            dropFirst(fixes)
            if fits(i, fixes) && fixes[first + count - 1].time - fixes[first].time >= minSpan / 2 {
                return push(i, fixes)
            }
        }
        rebuild(first: oldFirst, count: oldCount, fixes)
        if let closed = dwell(fixes) {
            start(i, f)
            return closed
        }
        // Too short to be a dwell yet: the oldest fixes may be the approach (a truck rolling
        // in), not the stop. Slide the start forward until the new fix fits, so the stop
        // itself is not cut into pieces shorter than `dwell_min_s`.
        while count > 0 && !fits(i, fixes) { dropFirst(fixes) }
        if count == 0 { start(i, f); return nil }
        return push(i, fixes)
    }

    /// Would fix `i` join the cluster with every fix within the radius of the new centroid?
    private func fits(_ i: Int, _ fixes: [Fix]) -> Bool {
        let f = fixes[i]
        let n = Double(count + 1)
        let cx = (sumX + f.x) / n, cy = (sumY + f.y) / n
        let bx0 = min(minX, f.x), bx1 = max(maxX, f.x), by0 = min(minY, f.y), by1 = max(maxY, f.y)
        let fx = max(cx - bx0, bx1 - cx), fy = max(cy - by0, by1 - cy)
        if fx * fx + fy * fy <= radius * radius { return true }
        let r2 = radius * radius
        for k in first...i {
            let dx = fixes[k].x - cx, dy = fixes[k].y - cy
            if dx * dx + dy * dy > r2 { return false }
        }
        return true
    }

    private mutating func dropFirst(_ fixes: [Fix]) {
        rebuild(first: first + 1, count: count - 1, fixes)
    }

    /// Recomputes the running sums and box for fixes `first ..< first + count`.
    private mutating func rebuild(first: Int, count: Int, _ fixes: [Fix]) {
        self.first = first
        self.count = count
        sumX = 0; sumY = 0; sumLon = 0; sumLat = 0
        minX = .infinity; maxX = -.infinity; minY = .infinity; maxY = -.infinity
        for k in first..<(first + count) {
            let f = fixes[k]
            sumX += f.x; sumY += f.y; sumLon += f.lon; sumLat += f.lat
            minX = min(minX, f.x); maxX = max(maxX, f.x); minY = min(minY, f.y); maxY = max(maxY, f.y)
        }
    }

    /// First fix of the open cluster (`nil` when none): a later dwell starts here or later.
    var openFirst: Int? { count > 0 ? first : nil }

    /// The track lost its first `n` fixes (live trimming): shift the open cluster.
    mutating func shift(by n: Int) { if count > 0 { first -= n } }

    /// End of data: the open cluster, if it is long enough.
    mutating func flush(_ fixes: [Fix]) -> Dwell? {
        defer { count = 0 }
        return count > 0 ? dwell(fixes) : nil
    }

    private mutating func start(_ i: Int, _ f: Fix) {
        first = i
        count = 1
        sumX = f.x; sumY = f.y; sumLon = f.lon; sumLat = f.lat
        minX = f.x; maxX = f.x; minY = f.y; maxY = f.y
    }

    /// The open cluster as a dwell, if it lasted long enough. Fixes sample the stop: with
    /// sparse reports (a fix every one or two minutes) the truck stood still for part of the
    /// intervals on either side too, so half of each ordinary interval (≤ 2 min) counts.
    /// At 30 s reporting this adds at most 30 s; a red light never becomes a dwell.
    private func dwell(_ fixes: [Fix]) -> Dwell? {
        let last = first + count - 1
        guard count >= 2 else { return nil }
        let span = fixes[last].time - fixes[first].time
        if span < minSpan {
            var held = span
            if first > 0 { held += SwitchRunTracker.half(fixes[first].time - fixes[first - 1].time) }
            if last + 1 < fixes.count { held += SwitchRunTracker.half(fixes[last + 1].time - fixes[last].time) }
            guard held >= minSpan else { return nil }
            // Only a truck that says it stands still gets the benefit of the doubt.
            for k in first...last where fixes[k].hasSpeed && fixes[k].speedKmh >= 5 { return nil }
        }
        let n = Double(count)
        return Dwell(first: first, last: last, start: fixes[first].time, end: fixes[last].time,
                     x: sumX / n, y: sumY / n, lon: sumLon / n, lat: sumLat / n, site: -1)
    }
}
