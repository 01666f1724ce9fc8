import Foundation
import MuckWatchCore

/// Thins a case's map track to the points a map and a replay need.
///
/// A truck reports every few seconds; parked at a site or driving straight, most of its fixes
/// lie on the line between their neighbours, and storing them all made tracks most of a store.
/// This is Douglas–Peucker with the synchronized distance (the distance between a fix and where
/// the truck would be *at that fix's time* moving evenly between the kept neighbours), so a
/// replay interpolating between kept points is never further than `toleranceM` from a dropped
/// fix, a stop keeps its duration, and a speed change of more than `toleranceKmh` keeps its
/// point. Points where the loaded flag changes are always kept, so the loaded drive starts and
/// ends where it did. Evidence never reads this track: violations keep their exact fix ranges.
enum TrackSimplifier {
    static let toleranceM = 5.0
    static let toleranceKmh: Float = 10

    /// The indexes of `points` to keep, ascending.
    static func keep(_ points: [TrackPoint]) -> [Int] {
        guard points.count > 2 else { return Array(points.indices) }
        var keep = [Bool](repeating: false, count: points.count)
        var start = 0
        // Each run of equal `loaded` is simplified on its own, its ends kept.
        for i in 1...points.count where i == points.count || points[i].loaded != points[start].loaded {
            mark(points, start, i - 1, &keep)
            start = i
        }
        return keep.indices.filter { keep[$0] }
    }

    /// Marks `lo` and `hi` and, recursively, the point between them furthest from where even
    /// motion would put it, while that point is out of tolerance. An explicit stack: a day's
    /// track of a parked truck must not recurse thousands deep.
    ///
    /// Errors are compared squared, in units of the tolerances (out of tolerance when > 1), and
    /// a segment's constants are taken once: this loop was 6 % of a case-heavy night's CPU
    /// with a square root and three divisions per point and step.
    private static func mark(_ p: [TrackPoint], _ lo: Int, _ hi: Int, _ keep: inout [Bool]) {
        keep[lo] = true
        keep[hi] = true
        let perSquareMetre = 1 / (toleranceM * toleranceM)
        var stack = [(lo, hi)]
        while let (a, b) = stack.popLast() {
            guard b - a > 1 else { continue }
            let pa = p[a], pb = p[b]
            let metresPerLon = 111_320 * cos(pa.lat * .pi / 180)
            let span = Double(pb.time - pa.time)
            let perSecond = span > 0 ? 1 / span : 0
            let dLon = pb.lon - pa.lon, dLat = pb.lat - pa.lat
            let speeds = !pa.speedKmh.isNaN && !pb.speedKmh.isNaN
            let dSpeed = pb.speedKmh - pa.speedKmh
            var worst = 1.0, at = -1
            for k in (a + 1)..<b {
                let pk = p[k]
                let f = span > 0 ? Double(pk.time - pa.time) * perSecond : 0.5
                let dx = (pk.lon - (pa.lon + f * dLon)) * metresPerLon
                let dy = (pk.lat - (pa.lat + f * dLat)) * 110_540
                var error = (dx * dx + dy * dy) * perSquareMetre
                if speeds, !pk.speedKmh.isNaN {
                    let off = Double(abs(pk.speedKmh - (pa.speedKmh + Float(f) * dSpeed)) / toleranceKmh)
                    error = max(error, off * off)
                }
                if error > worst { (worst, at) = (error, k) }
            }
            if at >= 0 {
                keep[at] = true
                stack.append((a, at))
                stack.append((at, b))
            }
        }
    }
}
