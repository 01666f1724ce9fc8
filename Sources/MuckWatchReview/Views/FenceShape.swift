import Foundation
import MuckWatchCore
import MuckWatchStore

/// A stored fence's geometry as plain coordinate paths, for drawing.
struct FenceShape: Sendable {
    var id: String
    var kind: FenceKind
    var name: String
    /// Rings of polygons (closed) or lines of a route, lon/lat.
    var paths: [[LonLat]]
    var point: LonLat?
    var corridorM: Double?
    var radiusM: Double?

    /// GeoJSON coordinates nest to any depth; positions are the leaves.
    indirect enum Coordinates: Decodable {
        case position(LonLat)
        case list([Coordinates])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let p = try? c.decode([Double].self) {
                guard p.count >= 2 else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "short position") }
                self = .position(LonLat(lon: p[0], lat: p[1]))
            } else {
                self = .list(try c.decode([Coordinates].self))
            }
        }

        /// The innermost lists of positions.
        var paths: [[LonLat]] {
            switch self {
            case .position: return []
            case .list(let items):
                let positions = items.compactMap { if case .position(let p) = $0 { p } else { nil } }
                if !positions.isEmpty { return [positions] }
                return items.flatMap(\.paths)
            }
        }
    }

    struct Geometry: Decodable {
        var type: String
        var coordinates: Coordinates
    }

}

extension FenceShape {
    /// The shape of a fence as the store keeps it (GeoJSON geometry); `nil` when the
    /// geometry cannot be read.
    init?(_ f: StoredFence) {
        guard let g = try? JSONDecoder().decode(Geometry.self, from: Data(f.geometryJSON.utf8)) else { return nil }
        id = f.id
        kind = f.kind
        name = f.name
        corridorM = f.corridorM
        radiusM = f.radiusM
        if case .position(let p) = g.coordinates {
            point = p
            paths = []
        } else {
            paths = g.coordinates.paths
        }
    }

    var positions: [LonLat] { paths.flatMap { $0 } + (point.map { [$0] } ?? []) }

    /// Where a mark for the whole fence goes (a gate pass, a manifest's closing): its point, else
    /// the mean of its first ring's vertices.
    var centre: LonLat? { point ?? paths.first.flatMap(Self.centroid) }

    static func centroid(_ ring: [LonLat]) -> LonLat? {
        guard !ring.isEmpty else { return nil }
        return LonLat(lon: ring.map(\.lon).reduce(0, +) / Double(ring.count),
                      lat: ring.map(\.lat).reduce(0, +) / Double(ring.count))
    }
}

/// The store's fences, parsed once per change of the fence table (not once per page view).
actor FenceCache {
    private var key: String = ""
    private var shapes: [FenceShape] = []

    func shapes(_ store: ReviewStore) async throws -> [FenceShape] {
        let current = try await store.with { s throws(StoreError) in try s.fenceVersion() }
        if current != key {
            let all = try await store.with { s throws(StoreError) in try s.fences() }
            shapes = all.compactMap(FenceShape.init)
            key = current
        }
        return shapes
    }
}

/// Fence ids as officers read them: "name (id)".
struct FenceNames {
    let byID: [String: FenceShape]

    init(_ shapes: [FenceShape]) {
        byID = Dictionary(shapes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// "Name (ID)" for a fence id, the id alone when the fence is unknown or unnamed, `nil` for no id.
    func label(_ id: String?) -> String? {
        guard let id else { return nil }
        guard let f = byID[id], !f.name.isEmpty, f.name != id else { return id }
        return "\(f.name) (\(id))"
    }
}

/// Width of text in "narrow character" units: CJK characters take two.
func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }
}
