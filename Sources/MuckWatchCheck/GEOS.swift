import CGEOS
import MuckWatchCore

/// GEOS, through its re-entrant C API, for what the fence checks need real polygon
/// topology for: whether a polygon is valid (and why not, with where), and how much area
/// two polygons share. The one file of `MuckWatchCheck` that calls C; one context per
/// check, used on one thread; every geometry made here is destroyed here.
final class GEOS {
    private let context: OpaquePointer

    init() { context = GEOS_init_r() }
    deinit { GEOS_finish_r(context) }

    /// A fence's polygons in degrees (lon as x, lat as y). GEOS owns it until `Shape` goes.
    final class Shape {
        fileprivate let geometry: OpaquePointer
        private let owner: GEOS
        fileprivate init(_ geometry: OpaquePointer, owner: GEOS) {
            self.geometry = geometry
            self.owner = owner
        }
        deinit { GEOSGeom_destroy_r(owner.context, geometry) }
    }

    /// The polygons (outer ring, then holes; rings closed here) as one GEOS geometry.
    func shape(_ polygons: [[[LonLat]]]) -> Shape? {
        var parts: [OpaquePointer?] = []
        var failed = false
        for rings in polygons {
            var made = rings.map(ring)
            guard !made.isEmpty, made.allSatisfy({ $0 != nil }), let shell = made.removeFirst() else {
                for r in made { if let r { GEOSGeom_destroy_r(context, r) } }
                failed = true
                continue
            }
            let polygon = made.withUnsafeMutableBufferPointer { holes in
                GEOSGeom_createPolygon_r(context, shell, holes.baseAddress, UInt32(holes.count))
            }
            if polygon == nil { failed = true }
            parts.append(polygon)
        }
        guard !failed, !parts.isEmpty else {
            for p in parts { if let p { GEOSGeom_destroy_r(context, p) } }
            return nil
        }
        let type = Int32(GEOS_MULTIPOLYGON.rawValue)
        let g = parts.withUnsafeMutableBufferPointer { GEOSGeom_createCollection_r(context, type, $0.baseAddress, UInt32($0.count)) }
        return g.map { Shape($0, owner: self) }
    }

    private func ring(_ points: [LonLat]) -> OpaquePointer? {
        var closed = points
        if let first = points.first, points.last != first { closed.append(first) }
        guard let sequence = GEOSCoordSeq_create_r(context, UInt32(closed.count), 2) else { return nil }
        for (i, p) in closed.enumerated() { GEOSCoordSeq_setXY_r(context, sequence, UInt32(i), p.lon, p.lat) }
        return GEOSGeom_createLinearRing_r(context, sequence)
    }

    /// GEOS's reason a shape is not a valid polygon ("Self-intersection[108.41 30.82]"), `nil` when valid.
    func invalidity(_ s: Shape) -> String? {
        guard GEOSisValid_r(context, s.geometry) == 0 else { return nil }
        guard let reason = GEOSisValidReason_r(context, s.geometry) else { return "invalid polygon" }
        defer { GEOSFree_r(context, reason) }
        return String(cString: reason)
    }

    /// The area two shapes share, in square degrees (0 when they only touch or are apart).
    func sharedArea(_ a: Shape, _ b: Shape) -> Double {
        guard GEOSIntersects_r(context, a.geometry, b.geometry) == 1,
              let both = GEOSIntersection_r(context, a.geometry, b.geometry) else { return 0 }
        defer { GEOSGeom_destroy_r(context, both) }
        var area = 0.0
        return GEOSArea_r(context, both, &area) == 1 ? area : 0
    }
}
