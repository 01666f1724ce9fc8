import Foundation
import MuckWatchCore
import MuckWatchTestSupport
import Testing
@testable import MuckWatchJudge

/// The map track's thinning: nothing dropped lies further than the tolerance from where a
/// replay between the kept points puts the truck at that time, and what a map must show
/// (ends, loaded boundaries, stops, turns) is kept.
@Suite struct TrackSimplifierTests {
    static func point(_ t: Int64, _ x: Double, _ y: Double, speed: Float = 30, loaded: Bool = false) -> TrackPoint {
        TrackPoint(time: t, lon: 108.4 + x / 95_600, lat: 30.8 + y / 110_540, speedKmh: speed, loaded: loaded)
    }

    /// Metres between dropped point `k` and the even-motion position between its kept neighbours.
    static func worstError(_ p: [TrackPoint], kept: [Int]) -> (metres: Double, kmh: Float) {
        var worst = (metres: 0.0, kmh: Float(0))
        for (a, b) in zip(kept, kept.dropFirst()) where b - a > 1 {
            for k in (a + 1)..<b {
                let f = Double(p[k].time - p[a].time) / Double(max(1, p[b].time - p[a].time))
                let dx = (p[k].lon - (p[a].lon + f * (p[b].lon - p[a].lon))) * 95_600
                let dy = (p[k].lat - (p[a].lat + f * (p[b].lat - p[a].lat))) * 110_540
                worst.metres = max(worst.metres, (dx * dx + dy * dy).squareRoot())
                worst.kmh = max(worst.kmh, abs(p[k].speedKmh - (p[a].speedKmh + Float(f) * (p[b].speedKmh - p[a].speedKmh))))
            }
        }
        return worst
    }

    @Test func anEvenStraightDriveKeepsItsEnds() {
        let p = (0..<200).map { Self.point(Int64($0) * 10, Double($0) * 80, 0) }
        #expect(TrackSimplifier.keep(p) == [0, 199])
    }

    @Test func aStopKeepsItsDurationAndATurnItsCorner() {
        // East 50 fixes, parked 30 fixes (jitter under a metre), then north 50 fixes.
        var p = (0..<50).map { Self.point(Int64($0) * 10, Double($0) * 80, 0) }
        p += (50..<80).map { Self.point(Int64($0) * 10, 49 * 80 + Double($0 % 2) * 0.5, 0, speed: 0) }
        p += (80..<130).map { Self.point(Int64($0) * 10, 49 * 80, Double($0 - 79) * 80) }
        let kept = TrackSimplifier.keep(p)
        #expect(kept.count < 12, "\(kept)")
        #expect(kept.contains(49) || kept.contains(50), "the stop's arrival")
        #expect(kept.contains(79) || kept.contains(80), "the stop's departure")
        #expect(Self.worstError(p, kept: kept).metres <= TrackSimplifier.toleranceM)
    }

    @Test func loadedBoundariesAreKept() {
        let p = (0..<100).map { Self.point(Int64($0) * 10, Double($0) * 80, 0, loaded: (30..<70).contains($0)) }
        let kept = TrackSimplifier.keep(p)
        #expect([0, 29, 30, 69, 70, 99].allSatisfy(kept.contains), "\(kept)")
    }

    @Test(arguments: 1...25) func noDroppedFixStraysBeyondTheTolerance(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed) &* 977)
        var x = 0.0, y = 0.0, heading = rng.double(in: 0...6.28), t: Int64 = 0
        var speed: Float = 30
        let p = (0..<rng.int(in: 3...1500)).map { _ -> TrackPoint in
            t += Int64(rng.int(in: 1...30))
            if rng.int(in: 0...20) == 0 { heading += rng.double(in: -1.5...1.5) }
            speed = max(0, min(90, speed + Float(rng.double(in: -8...8))))
            let step = Double(speed) / 3.6 * 5
            x += step * Foundation.cos(heading) + rng.double(in: -3...3)
            y += step * Foundation.sin(heading) + rng.double(in: -3...3)
            return Self.point(t, x, y, speed: speed, loaded: rng.int(in: 0...50) == 0)
        }
        let kept = TrackSimplifier.keep(p)
        #expect(kept.first == 0 && kept.last == p.count - 1 && kept == kept.sorted())
        let worst = Self.worstError(p, kept: kept)
        #expect(worst.metres <= TrackSimplifier.toleranceM + 0.01 && worst.kmh <= TrackSimplifier.toleranceKmh + 0.01)
        for (a, b) in zip(kept, kept.dropFirst()) where b - a > 1 {
            #expect(!(a + 1..<b).contains { p[$0].loaded != p[a].loaded }, "a loaded change between \(a) and \(b)")
        }
    }
}
