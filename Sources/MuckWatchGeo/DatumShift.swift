public import MuckWatchCore

/// Moves fences drawn on Chinese web maps (GCJ-02) back to WGS84 before projection.
public enum DatumShift {
    public static func gcj02ToWGS84(_ fence: Fence) -> Fence {
        var f = fence
        switch fence.geometry {
        case .point(let p): f.geometry = .point(GCJ02.toWGS84(p))
        case .lines(let lines): f.geometry = .lines(lines.map { $0.map(GCJ02.toWGS84) })
        case .polygons(let polys): f.geometry = .polygons(polys.map { $0.map { $0.map(GCJ02.toWGS84) } })
        }
        return f
    }
}
