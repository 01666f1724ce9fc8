public import MuckWatchCore

/// Moves fences drawn on Chinese web maps (GCJ-02) back to WGS84 before projection, and
/// (for `muckwatch check`'s datum test) WGS84 fences into GCJ-02.
public enum DatumShift {
    public static func gcj02ToWGS84(_ fence: Fence) -> Fence { moved(fence, by: GCJ02.toWGS84) }

    public static func wgs84ToGCJ02(_ fence: Fence) -> Fence { moved(fence, by: GCJ02.fromWGS84) }

    private static func moved(_ fence: Fence, by shift: (LonLat) -> LonLat) -> Fence {
        var f = fence
        switch fence.geometry {
        case .point(let p): f.geometry = .point(shift(p))
        case .lines(let lines): f.geometry = .lines(lines.map { $0.map(shift) })
        case .polygons(let polys): f.geometry = .polygons(polys.map { $0.map { $0.map(shift) } })
        }
        return f
    }
}
