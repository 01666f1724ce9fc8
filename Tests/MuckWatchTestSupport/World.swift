public import MuckWatchCore
public import MuckWatchGeo
public import MuckWatchAnalysis

/// A tiny hand-made city for analyzer and rule tests: a construction site S-1 at
/// (108.400, 30.800), a disposal site D-1 at (108.440, 30.800), both squares of about
/// 200 m, and a straight road between them along latitude 30.800.
public struct World {
    public static let t0: Int64 = 1_795_183_200  // 2026-11-20T22:00:00+08:00
    public let fences: [Fence]
    public let index: FenceIndex
    public let projector: Projector

    public init(extra: [Fence] = []) throws {
        fences = [World.square("S-1", .constructionSite, lon: 108.400, lat: 30.800),
                  World.square("D-1", .disposalSite, lon: 108.440, lat: 30.800)] + extra
        projector = try Projector(epsg: 4545)
        index = try FenceIndex(fences: fences, projector: projector)
    }

    public static func square(_ id: String, _ kind: FenceKind, lon: Double, lat: Double, half: Double = 0.001) -> Fence {
        let ring = [LonLat(lon: lon - half, lat: lat - half), LonLat(lon: lon + half, lat: lat - half),
                    LonLat(lon: lon + half, lat: lat + half), LonLat(lon: lon - half, lat: lat + half),
                    LonLat(lon: lon - half, lat: lat - half)]
        return Fence(id: id, name: id, kind: kind, geometry: .polygons([[ring]]))
    }

    public func analyzer(config: Config = Config()) -> VehicleAnalyzer {
        VehicleAnalyzer(vehicle: 0, index: index, ids: fences.map(\.id), kinds: fences.map(\.kind), config: config)
    }

    /// Runs fixes through the analyzer (projecting them first) and returns the finished analyzer.
    public func analyze(_ fixes: [Fix], config: Config = Config()) -> VehicleAnalyzer {
        var fs = fixes
        projector.project(&fs)
        var a = analyzer(config: config)
        for f in fs { a.feed(f) }
        a.finish()
        return a
    }
}

/// Builds a fix sequence: stays and drives, one fix every `step` seconds.
public struct Script {
    public var fixes: [Fix] = []
    public var t: Int64 = World.t0
    public var lon = 108.400
    public var lat = 30.800
    public let step: Int64
    public var lift: Int8 = -1
    public var lid: Int8 = -1
    public var load: Float = .nan

    public init(step: Int64 = 30, lift: Bool = false, lid: Bool = false, loadCell: Bool = false) {
        self.step = step
        if lift { self.lift = 0 }
        if lid { self.lid = 1 }
        if loadCell { self.load = 0.5 }
    }

    public mutating func emit(speed: Float) {
        fixes.append(Fix(vehicle: 0, line: Int32(fixes.count + 2), time: t, lon: lon, lat: lat, speedKmh: speed,
                         loadT: load, lift: lift, lid: lid))
        t += step
    }

    /// Stays put for `seconds` with a few metres of jitter.
    public mutating func stay(_ seconds: Int64, load to: Float? = nil) {
        let n = Int(seconds / step)
        let from = load
        for k in 0..<max(n, 1) {
            if let to, !from.isNaN { load = from + (to - from) * Float(k + 1) / Float(max(n, 1)) }
            let jitter = Double((k * 7) % 5 - 2) * 0.00002
            let (l0, l1) = (lon, lat)
            lon += jitter
            lat -= jitter
            emit(speed: 0)
            lon = l0
            lat = l1
        }
    }

    /// Drives in a straight line to (lon, lat) at about `kmh`.
    public mutating func drive(toLon: Double, toLat: Double, kmh: Double = 36) {
        let dLon = (toLon - lon) * 95_700, dLat = (toLat - lat) * 111_000
        let metres = (dLon * dLon + dLat * dLat).squareRoot()
        let n = max(1, Int(metres / (kmh / 3.6 * Double(step))))
        let (l0, a0) = (lon, lat)
        for k in 1...n {
            lon = l0 + (toLon - l0) * Double(k) / Double(n)
            lat = a0 + (toLat - a0) * Double(k) / Double(n)
            emit(speed: Float(kmh))
        }
    }
}
