import MuckWatchCore
import MuckWatchTestSupport
import Testing
@testable import MuckWatchStore

/// The stored track format: every point comes back as the text form kept it (six decimals,
/// whole km/h), old text rows still read, and damaged bytes are refused rather than misread.
@Suite struct TrackCodecTests {
    /// What the text form kept of a point: the expectation for a round trip.
    static func kept(_ p: TrackPoint) -> TrackPoint {
        TrackPoint(time: p.time, lon: Double(TrackCodec.micro(p.lon)) / 1_000_000,
                   lat: Double(TrackCodec.micro(p.lat)) / 1_000_000,
                   speedKmh: p.speedKmh.isNaN ? .nan : p.speedKmh.rounded(), loaded: p.loaded)
    }

    static func same(_ a: [TrackPoint], _ b: [TrackPoint]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { x, y in
            x.time == y.time && x.lon == y.lon && x.lat == y.lat && x.loaded == y.loaded
                && (x.speedKmh == y.speedKmh || (x.speedKmh.isNaN && y.speedKmh.isNaN))
        }
    }

    static func decode(_ bytes: [UInt8]) -> [TrackPoint]? { bytes.withUnsafeBytes { TrackCodec.decode($0) } }

    @Test(arguments: 1...30) func seededTracksRoundTrip(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed))
        var t = Int64(rng.int(in: 1_700_000_000...1_900_000_000))
        var lon = rng.double(in: -179...179), lat = rng.double(in: -89...89)
        let points = (0..<rng.int(in: 0...400)).map { _ -> TrackPoint in
            t += Int64(rng.int(in: 0...(rng.int(in: 0...9) == 0 ? 90_000 : 30)))
            lon += rng.double(in: -0.01...0.01)
            lat += rng.double(in: -0.01...0.01)
            let speed: Float = rng.int(in: 0...7) == 0 ? .nan : Float(rng.double(in: -5...160))
            return TrackPoint(time: t, lon: lon, lat: lat, speedKmh: speed, loaded: rng.int(in: 0...1) == 1)
        }
        let bytes = TrackCodec.encode(points)
        #expect(Self.same(Self.decode(bytes) ?? [], points.map(Self.kept)))
        #expect(bytes.count <= 2 + 3 + points.count * 16)
    }

    @Test func aCityTrackTakesAFewBytesAPoint() {
        // 10 s reports at ~40 km/h: ~110 m, i.e. ~1,000 millionths of a degree, per fix: 7 bytes
        // a point (the text form took 36), the first point absolute.
        let points = (0..<500).map { (i: Int) -> TrackPoint in
            let lon: Double = 108.38 + Double(i) * 0.0011
            let lat: Double = 30.75 + Double(i % 7) * 0.0001
            return TrackPoint(time: 1_795_132_500 + Int64(i) * 10, lon: lon, lat: lat, speedKmh: 40, loaded: i > 100)
        }
        let bytes = TrackCodec.encode(points)
        #expect(bytes.count <= 16 + points.count * 7, "\(bytes.count) bytes for \(points.count) points")
        #expect(Self.same(Self.decode(bytes) ?? [], points.map(Self.kept)))
    }

    @Test func textRowsOfOlderStoresStillRead() {
        let text = Array("1795132500,108.379692,30.756875,1,0;1795132540,-108.379763,-30.756871,,1".utf8)
        let points = Self.decode(text) ?? []
        #expect(points.count == 2)
        #expect(points.first == TrackPoint(time: 1_795_132_500, lon: 108.379692, lat: 30.756875, speedKmh: 1, loaded: false))
        #expect(points.last?.lon == -108.379763 && points.last?.speedKmh.isNaN == true && points.last?.loaded == true)
    }

    @Test func damagedBytesAreRefused() {
        let bytes = TrackCodec.encode([TrackPoint(time: 1, lon: 108, lat: 30, speedKmh: 3, loaded: false),
                                       TrackPoint(time: 9, lon: 108.1, lat: 30.1, speedKmh: 4, loaded: true)])
        #expect(Self.decode(Array(bytes.dropLast())) == nil, "a cut row")
        #expect(Self.decode(bytes + [0]) == nil, "trailing bytes")
        #expect(Self.decode([1, 0xFF, 0xFF, 0xFF]) == nil, "a count beyond the row")
        #expect(Self.decode([])?.isEmpty == true)
    }

    /// Through the store: what `write` stores is what `track(caseID:)` reads, and a track is
    /// a BLOB, not text.
    @Test(arguments: StoreBackend.allCases) func theStoreKeepsTracksAsBytes(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath)
        var run = sampleRun()
        let track = (0..<50).map { (i: Int) -> TrackPoint in
            let lon: Double = 108.4 + Double(i) * 0.0003
            let lat: Double = 30.8 - Double(i) * 0.0002
            return TrackPoint(time: 1_795_132_500 + Int64(i) * 5, lon: lon, lat: lat, speedKmh: Float(20 + i % 3),
                              loaded: i >= 10 && i < 40)
        }
        run.cases[0].track = track
        _ = try store.write(run)
        #expect(Self.same(try store.track(caseID: run.cases[0].id), track.map(Self.kept)))
        switch backend {
        case .sqlite: #expect(try store.db.scalarText("SELECT typeof(points) FROM case_tracks LIMIT 1") == "blob")
        case .postgres: #expect(try store.db.scalarText("SELECT pg_typeof(points)::text FROM case_tracks LIMIT 1") == "bytea")
        }
    }
}
