import Testing
import MuckWatchCore
import MuckWatchTestSupport
import MuckWatchGeo

@Suite struct ProjectorTests {
    /// Reference value from PROJ's `cs2cs EPSG:4490 EPSG:4545` (lat lon order on the command line).
    @Test func gaussKrugerZone36MatchesCs2cs() throws {
        let p = try Projector(epsg: 4545)
        let (x, y) = p.forward(LonLat(lon: 108.40, lat: 30.80))
        #expect(abs(x - 538_281.3504) < 0.01)
        #expect(abs(y - 3_408_869.1974) < 0.01)
        let back = p.inverse(x: x, y: y)
        #expect(abs(back.lon - 108.40) < 1e-9 && abs(back.lat - 30.80) < 1e-9)
    }

    /// The projector runs PROJ's transverse Mercator with `+algo=auto` (the faster series
    /// inside a 3-degree zone): it must agree with PROJ's exact Poder/Engsager algorithm
    /// (`+proj=tmerc +algo=poder_engsager +lon_0=108 +x_0=500000 +ellps=GRS80`) to a
    /// hundredth of a millimetre up to the zone's edges, from Hainan to Heilongjiang (the
    /// largest difference, 2 µm, is on the central meridian at 53.5°N).
    @Test func fastAlgorithmAgreesWithExactToTheZoneEdges() throws {
        let p = try Projector(epsg: 4545)
        let exact: [(lon: Double, lat: Double, x: Double, y: Double)] = [
            (106.50, 18.20, 341_307.880687, 2_013_767.152348),
            (109.50, 45.00, 618_270.273998, 4_986_039.214042),
            (108.00, 53.50, 500_000.000000, 5_930_265.860263),
            (106.60, 30.80, 366_009.405211, 3_409_639.094382),
            (109.49, 24.00, 651_621.659915, 2_656_090.653751),
        ]
        var fixes = exact.map { Fix(vehicle: 0, time: 0, lon: $0.lon, lat: $0.lat) }
        p.project(&fixes)
        for (f, e) in zip(fixes, exact) {
            #expect(abs(f.x - e.x) < 1e-5 && abs(f.y - e.y) < 1e-5, "\(e.lon), \(e.lat): \(f.x), \(f.y)")
        }
    }

    @Test func zoneFollowsTheLongitude() {
        #expect(Projector.gaussKrugerZoneEPSG(longitude: 108.4) == 4545)
        #expect(Projector.gaussKrugerZoneEPSG(longitude: 116.4) == 4548)
        #expect(Projector.gaussKrugerZoneEPSG(longitude: 121.47) == 4549)   // CM 120°E
        #expect(Projector.gaussKrugerZoneEPSG(longitude: 60) == 4534)
        #expect(Projector.gaussKrugerZoneEPSG(longitude: 140) == 4554)
    }

    @Test func batchEqualsSinglePoint() throws {
        let p = try Projector(epsg: 4545)
        var rng = SeededRandom(seed: 7)
        var fixes = (0..<1000).map { i in
            Fix(vehicle: 0, time: Int64(i), lon: rng.double(in: 107...110), lat: rng.double(in: 29...32))
        }
        p.project(&fixes)
        for f in fixes {
            let (x, y) = p.forward(LonLat(lon: f.lon, lat: f.lat))
            #expect(abs(f.x - x) < 1e-6 && abs(f.y - y) < 1e-6)
        }
    }

    @Test func unknownCodeIsAClearError() {
        #expect(throws: GeoError.self) { try Projector(epsg: 999_999) }
    }
}
