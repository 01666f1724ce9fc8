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
        let n = Double(count + 1)
        let cx = (sumX + f.x) / n, cy = (sumY + f.y) / n
        let bx0 = min(minX, f.x), bx1 = max(maxX, f.x), by0 = min(minY, f.y), by1 = max(maxY, f.y)
        let fx = max(cx - bx0, bx1 - cx), fy = max(cy - by0, by1 - cy)
        var fits = fx * fx + fy * fy <= radius * radius
        if !fits {
            fits = true
            let r2 = radius * radius
            for k in first...i {
                let dx = fixes[k].x - cx, dy = fixes[k].y - cy
                if dx * dx + dy * dy > r2 { fits = false; break }
            }
        }
        if fits {
            count += 1
            sumX += f.x; sumY += f.y; sumLon += f.lon; sumLat += f.lat
            minX = bx0; maxX = bx1; minY = by0; maxY = by1
            return nil
        }
        let closed = dwell(fixes)
        start(i, f)
        return closed
    }

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

    private func dwell(_ fixes: [Fix]) -> Dwell? {
        let last = first + count - 1
        let span = fixes[last].time - fixes[first].time
        guard span >= minSpan else { return nil }
        let n = Double(count)
        return Dwell(first: first, last: last, start: fixes[first].time, end: fixes[last].time,
                     x: sumX / n, y: sumY / n, lon: sumLon / n, lat: sumLat / n, site: -1)
    }
}
