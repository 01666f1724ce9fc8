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
    private static func mark(_ p: [TrackPoint], _ lo: Int, _ hi: Int, _ keep: inout [Bool]) {
        keep[lo] = true
        keep[hi] = true
        var stack = [(lo, hi)]
        while let (a, b) = stack.popLast() {
            guard b - a > 1 else { continue }
            let metresPerLon = 111_320 * cos(p[a].lat * .pi / 180)
            var worst = 1.0, at = -1
            let span = Double(p[b].time - p[a].time)
            for k in (a + 1)..<b {
                let f = span > 0 ? Double(p[k].time - p[a].time) / span : 0.5
                let dx = (p[k].lon - (p[a].lon + f * (p[b].lon - p[a].lon))) * metresPerLon
                let dy = (p[k].lat - (p[a].lat + f * (p[b].lat - p[a].lat))) * 110_540
                var error = (dx * dx + dy * dy).squareRoot() / toleranceM
                if !p[a].speedKmh.isNaN, !p[b].speedKmh.isNaN, !p[k].speedKmh.isNaN {
                    let v = p[a].speedKmh + Float(f) * (p[b].speedKmh - p[a].speedKmh)
                    error = max(error, Double(abs(p[k].speedKmh - v) / toleranceKmh))
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
