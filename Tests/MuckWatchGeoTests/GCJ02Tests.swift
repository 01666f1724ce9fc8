import Testing
import MuckWatchCore
import MuckWatchTestSupport
import MuckWatchGeo

@Suite struct GCJ02Tests {
    /// Published vector: wandergis/coordtransform (also in hutool's CoordinateUtilTest):
    /// WGS84 (116.404, 39.915) → GCJ-02 (116.41024449916938, 39.91640428150164).
    @Test func forwardMatchesThePublishedVector() {
        let g = GCJ02.fromWGS84(LonLat(lon: 116.404, lat: 39.915))
        #expect(abs(g.lon - 116.41024449916938) < 1e-11)
        #expect(abs(g.lat - 39.91640428150164) < 1e-11)
    }

    /// The same libraries publish the one-step inverse of GCJ-02 (116.404, 39.915) as
    /// (116.39775550083061, 39.91359571849836); the iterative inverse lands within a
    /// metre of it and, unlike it, maps back onto the input.
    @Test func inverseIsExactWhereTheOneStepFormulaIsNot() {
        let w = GCJ02.toWGS84(LonLat(lon: 116.404, lat: 39.915))
        #expect(abs(w.lon - 116.39775550083061) < 1e-5)
        #expect(abs(w.lat - 39.91359571849836) < 1e-5)
        let back = GCJ02.fromWGS84(w)
        #expect(abs(back.lon - 116.404) < 1e-9 && abs(back.lat - 39.915) < 1e-9)
        let published = GCJ02.fromWGS84(LonLat(lon: 116.39775550083061, lat: 39.91359571849836))
        #expect(abs(published.lon - 116.404) > abs(back.lon - 116.404))
        let v = GCJ02.toWGS84(LonLat(lon: 116.41024449916938, lat: 39.91640428150164))
        #expect(abs(v.lon - 116.404) < 1e-9 && abs(v.lat - 39.915) < 1e-9)
    }

    @Test func roundTripsAcrossChina() {
        var rng = SeededRandom(seed: 2026)
        for _ in 0..<5000 {
            let p = LonLat(lon: rng.double(in: 73.7...134.9), lat: rng.double(in: 18.2...53.4))
            let q = GCJ02.toWGS84(GCJ02.fromWGS84(p))
            #expect(abs(q.lon - p.lon) < 1e-8 && abs(q.lat - p.lat) < 1e-8)
        }
    }

    @Test func outsideChinaIsNotShifted() {
        let tokyo = LonLat(lon: 139.69, lat: 35.69)
        #expect(GCJ02.fromWGS84(tokyo) == tokyo)
        #expect(GCJ02.toWGS84(tokyo) == tokyo)
        // Around Wanzhou the shift is a few hundred metres.
        let w = LonLat(lon: 108.4, lat: 30.8)
        let g = GCJ02.fromWGS84(w)
        let metres = ((g.lon - w.lon) * 95_700, (g.lat - w.lat) * 111_000)
        let d = (metres.0 * metres.0 + metres.1 * metres.1).squareRoot()
        #expect(d > 100 && d < 1000)
    }
}
