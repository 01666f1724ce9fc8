/// A point in projected metres.
public struct Point2: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// Exact planar tests used after the index's cheap rejection.
public enum Geometry {
    /// Even–odd rule over all rings of one polygon (outer ring and holes together), so
    /// ring orientation does not matter and a point in a hole is outside.
    @inlinable
    public static func contains(rings: [[Point2]], x: Double, y: Double) -> Bool {
        var inside = false
        for ring in rings {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.y > y) != (b.y > y) {
                    let cross = (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x
                    if x < cross { inside.toggle() }
                }
                j = i
            }
        }
        return inside
    }

    /// Squared distance from (x, y) to segment a–b.
    @inlinable
    public static func distanceSquared(x: Double, y: Double, _ a: Point2, _ b: Point2) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        var t = len2 > 0 ? ((x - a.x) * dx + (y - a.y) * dy) / len2 : 0
        t = min(max(t, 0), 1)
        let px = a.x + t * dx - x, py = a.y + t * dy - y
        return px * px + py * py
    }

    /// Distance from (x, y) to the nearest segment of any of the polylines.
    public static func distance(toLines lines: [[Point2]], x: Double, y: Double) -> Double {
        var best = Double.infinity
        for line in lines {
            if line.count == 1 {
                let dx = line[0].x - x, dy = line[0].y - y
                best = min(best, dx * dx + dy * dy)
            }
            var i = 1
            while i < line.count {
                best = min(best, distanceSquared(x: x, y: y, line[i - 1], line[i]))
                i += 1
            }
        }
        return best.squareRoot()
    }

    /// Does segment a–b touch the axis-aligned rectangle?
    static func segment(_ a: Point2, _ b: Point2, touches r: (x0: Double, y0: Double, x1: Double, y1: Double)) -> Bool {
        if max(a.x, b.x) < r.x0 || min(a.x, b.x) > r.x1 || max(a.y, b.y) < r.y0 || min(a.y, b.y) > r.y1 { return false }
        func side(_ px: Double, _ py: Double) -> Double { (b.x - a.x) * (py - a.y) - (b.y - a.y) * (px - a.x) }
        let s = [side(r.x0, r.y0), side(r.x1, r.y0), side(r.x0, r.y1), side(r.x1, r.y1)]
        return !(s.allSatisfy { $0 > 0 } || s.allSatisfy { $0 < 0 })
    }
}
