import Testing
import PropertyBased
import Foundation
import MuckWatchCore
import MuckWatchTestSupport
@testable import MuckWatchGeo

@Suite struct FenceIndexTests {
    /// PROJ objects are per thread: every use gets its own.
    static var projector: Projector { try! Projector(epsg: 4545) }

    /// A random star-shaped ring around a centre, in degrees.
    static func ring(_ rng: inout SeededRandom, lon: Double, lat: Double, radius: Double, clockwise: Bool) -> [LonLat] {
        let n = rng.int(in: 3...14)
        var pts: [LonLat] = []
        for k in 0..<n {
            let a = Double(k) / Double(n) * 2 * Double.pi * (clockwise ? -1 : 1)
            let r = radius * rng.double(in: 0.5...1.0)
            pts.append(LonLat(lon: lon + r * cos(a), lat: lat + r * sin(a)))
        }
        if rng.int(in: 0...1) == 1 { pts.append(pts[0]) }
        return pts
    }

    static func randomFences(seed: UInt64) -> [Fence] {
        var rng = SeededRandom(seed: seed)
        var fences: [Fence] = []
        for i in 0..<rng.int(in: 5...25) {
            let lon = rng.double(in: 108.30...108.50), lat = rng.double(in: 30.70...30.90)
            switch rng.int(in: 0...3) {
            case 0:
                var poly = [ring(&rng, lon: lon, lat: lat, radius: 0.01, clockwise: rng.int(in: 0...1) == 0)]
                if rng.int(in: 0...1) == 1 { poly.append(ring(&rng, lon: lon, lat: lat, radius: 0.003, clockwise: true)) }
                var polys = [poly]
                if rng.int(in: 0...2) == 0 {
                    polys.append([ring(&rng, lon: lon + 0.03, lat: lat, radius: 0.008, clockwise: false)])
                }
                fences.append(Fence(id: "P\(i)", name: "", kind: rng.int(in: 0...1) == 0 ? .constructionSite : .restrictedZone,
                                    geometry: .polygons(polys)))
            case 1:
                var line: [LonLat] = [LonLat(lon: lon, lat: lat)]
                for _ in 0..<rng.int(in: 1...6) {
                    line.append(LonLat(lon: line.last!.lon + rng.double(in: -0.02...0.02),
                                       lat: line.last!.lat + rng.double(in: -0.02...0.02)))
                }
                fences.append(Fence(id: "R\(i)", name: "", kind: .route, geometry: .lines([line]),
                                    corridorM: rng.double(in: 20...120)))
            default:
                fences.append(Fence(id: "K\(i)", name: "", kind: .checkpoint, geometry: .point(LonLat(lon: lon, lat: lat)),
                                    radiusM: rng.double(in: 30...400)))
            }
        }
        return fences
    }

    /// Brute force: the exact test of every fence, no index.
    static func bruteForce(_ index: FenceIndex, x: Double, y: Double) -> [Int32] {
        index.projected.indices.filter { index.projected[$0].contains(x: x, y: y) }.map { Int32($0) }
    }

    @Test func agreesWithBruteForceOnRandomFencesAndPoints() async {
        await propertyCheck(count: 40, input: Gen.int(in: 1...1_000_000)) { seed in
            let fences = FenceIndexTests.randomFences(seed: UInt64(seed))
            let projector = FenceIndexTests.projector
            let index = try! FenceIndex(fences: fences, projector: projector, cellSize: 200)
            var rng = SeededRandom(seed: UInt64(seed) &* 31)
            var result: [Int32] = []
            for _ in 0..<1000 {
                let (x, y) = projector.forward(
                    LonLat(lon: rng.double(in: 108.25...108.55), lat: rng.double(in: 30.65...30.95)))
                index.query(x: x, y: y, into: &result)
                #expect(result == FenceIndexTests.bruteForce(index, x: x, y: y))
            }
        }
    }

    @Test func holesAreOutsideAndOrientationDoesNotMatter() throws {
        let outer = [LonLat(lon: 108.40, lat: 30.80), LonLat(lon: 108.42, lat: 30.80), LonLat(lon: 108.42, lat: 30.82),
                     LonLat(lon: 108.40, lat: 30.82)]
        let hole = [LonLat(lon: 108.405, lat: 30.805), LonLat(lon: 108.405, lat: 30.815), LonLat(lon: 108.415, lat: 30.815),
                    LonLat(lon: 108.415, lat: 30.805)]
        let a = Fence(id: "A", name: "", kind: .constructionSite, geometry: .polygons([[outer, hole]]))
        let b = Fence(id: "B", name: "", kind: .disposalSite, geometry: .polygons([[outer.reversed(), hole.reversed()]]))
        let projector = FenceIndexTests.projector
        let index = try FenceIndex(fences: [a, b], projector: projector)
        var r: [Int32] = []
        func at(_ lon: Double, _ lat: Double) -> [Int32] {
            let (x, y) = projector.forward(LonLat(lon: lon, lat: lat))
            index.query(x: x, y: y, into: &r)
            return r
        }
        #expect(at(108.402, 30.802) == [0, 1])
        #expect(at(108.410, 30.810) == [])       // in the hole
        #expect(at(108.430, 30.810) == [])
        #expect(index.index(ofID: "B") == 1)
    }

    @Test func corridorMeasuresToSegmentsNotVertices() throws {
        // A 4 km straight route: its middle is 2 km from either vertex.
        let p = FenceIndexTests.projector
        let a = p.inverse(x: 530_000, y: 3_400_000), b = p.inverse(x: 534_000, y: 3_400_000)
        let route = Fence(id: "R", name: "", kind: .route, geometry: .lines([[a, b]]), corridorM: 50)
        let index = try FenceIndex(fences: [route], projector: p)
        var r: [Int32] = []
        index.query(x: 532_000, y: 3_400_049, into: &r)
        #expect(r == [0])
        index.query(x: 532_000, y: 3_400_051, into: &r)
        #expect(r.isEmpty)
        #expect(abs(index.distance(toFence: 0, x: 532_000, y: 3_400_051) - 51) < 0.01)
    }

    @Test func degenerateRingIsAnErrorNamingTheFence() {
        let bad = Fence(id: "S-9", name: "", kind: .constructionSite,
                        geometry: .polygons([[[LonLat(lon: 108.4, lat: 30.8), LonLat(lon: 108.41, lat: 30.8)]]]))
        #expect(throws: GeoError.fence(id: "S-9", reason: "a ring needs at least 3 distinct points, found 2")) {
            try FenceIndex(fences: [bad], projector: FenceIndexTests.projector)
        }
    }
}
