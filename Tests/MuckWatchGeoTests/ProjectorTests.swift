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
