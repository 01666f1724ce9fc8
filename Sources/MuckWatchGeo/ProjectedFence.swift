public import MuckWatchCore

/// A fence in projected metres, ready for exact tests.
public struct ProjectedFence: Sendable {
    public var kind: FenceKind
    /// Polygons, each its rings (outer and holes) without the repeated closing point.
    public var polygons: [[[Point2]]] = []
    /// Route centre lines.
    public var lines: [[Point2]] = []
    /// Checkpoint position, or the first vertex of other kinds (for labels).
    public var anchor: Point2
    /// Corridor half-width or checkpoint radius; 0 for polygons.
    public var reach: Double
    /// Bounding box including `reach`.
    public var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity

    init(_ fence: Fence, projector: Projector) throws(GeoError) {
        kind = fence.kind
        anchor = Point2(x: 0, y: 0)
        reach = 0
        func p(_ q: LonLat) -> Point2 {
            let r = projector.forward(q)
            return Point2(x: r.x, y: r.y)
        }
        switch fence.geometry {
        case .polygons(let polys):
            for poly in polys {
                var rings: [[Point2]] = []
                for ring in poly {
                    var pts = ring.map(p)
                    if pts.count > 1, pts.first == pts.last { pts.removeLast() }
                    guard pts.count >= 3 else {
                        throw .fence(id: fence.id, reason: "a ring needs at least 3 distinct points, found \(pts.count)")
                    }
                    rings.append(pts)
                }
                if !rings.isEmpty { polygons.append(rings) }
            }
            guard !polygons.isEmpty else { throw .fence(id: fence.id, reason: "polygon without rings") }
            anchor = polygons[0][0][0]
        case .lines(let ls):
            lines = ls.map { $0.map(p) }.filter { !$0.isEmpty }
            guard !lines.isEmpty else { throw .fence(id: fence.id, reason: "route without points") }
            reach = fence.corridorM
            anchor = lines[0][0]
        case .point(let q):
            anchor = p(q)
            reach = fence.radiusM
        }
        for pt in allPoints() {
            guard pt.x.isFinite, pt.y.isFinite else { throw .fence(id: fence.id, reason: "coordinates outside the projection") }
            minX = min(minX, pt.x - reach); maxX = max(maxX, pt.x + reach)
            minY = min(minY, pt.y - reach); maxY = max(maxY, pt.y + reach)
        }
    }

    func allPoints() -> [Point2] {
        switch kind {
        case .checkpoint: return [anchor]
        case .route: return lines.flatMap { $0 }
        default: return polygons.flatMap { $0.flatMap { $0 } }
        }
    }

    /// The exact test: inside a polygon (holes excluded), within a corridor, within a radius.
    @inlinable
    public func contains(x: Double, y: Double) -> Bool {
        if x < minX || x > maxX || y < minY || y > maxY { return false }
        switch kind {
        case .checkpoint:
            let dx = x - anchor.x, dy = y - anchor.y
            return dx * dx + dy * dy <= reach * reach
        case .route:
            return Geometry.distance(toLines: lines, x: x, y: y) <= reach
        default:
            for poly in polygons where Geometry.contains(rings: poly, x: x, y: y) { return true }
            return false
        }
    }

    /// Distance to the fence: 0 inside a polygon, else to its nearest edge; to a route's
    /// centre line; to a checkpoint's position.
    public func distance(x: Double, y: Double) -> Double {
        switch kind {
        case .checkpoint:
            return ((x - anchor.x) * (x - anchor.x) + (y - anchor.y) * (y - anchor.y)).squareRoot()
        case .route:
            return Geometry.distance(toLines: lines, x: x, y: y)
        default:
            if contains(x: x, y: y) { return 0 }
            return Geometry.distance(toLines: polygons.flatMap { $0.map { $0 + [$0[0]] } }, x: x, y: y)
        }
    }
}
