import MuckWatchCore
import MuckWatchAnalysis

/// Cuts the stretch of a vehicle's track that each case needs on a map, thinned for display
/// (`TrackSimplifier`).
enum CaseTracks {
    /// At most this many points per case; longer simplified stretches are thinned evenly.
    static let maxPoints = 1500
    /// Context kept around a day case's violations.
    static let marginS: Int64 = 300

    static func attach(_ cases: inout [Case], track: VehicleTrack) {
        guard track.count > 0 else { return }
        for k in cases.indices {
            var ranges: [Range<Int>] = []
            var loaded = 0..<0
            if let trip = cases[k].trip {
                let lo = track.firstIndex(atOrAfter: trip.loadStart)
                let hi = track.firstIndex(atOrAfter: (trip.dumpEnd ?? trip.dumpedAt ?? track.fixes[track.count - 1].time) + 1)
                ranges = [lo..<max(hi, lo)]
                loaded = trip.fixRange
            } else {
                for v in cases[k].violations {
                    let lo = track.firstIndex(atOrAfter: v.start - marginS)
                    let hi = track.firstIndex(atOrAfter: v.end + marginS + 1)
                    if lo < hi { ranges.append(lo..<hi) }
                }
            }
            // A trip case is one stretch, already in time order; a day case's stretches
            // (one per violation) may overlap: each fix once, then in time order.
            var indexes: [Int] = []
            indexes.reserveCapacity(ranges.reduce(0) { $0 + $1.count })
            for r in ranges { indexes.append(contentsOf: r) }
            if ranges.count > 1 { indexes = Array(Set(indexes)).sorted() }
            var points = indexes.map { i in
                let f = track.fixes[i]
                return TrackPoint(time: f.time, lon: f.lon, lat: f.lat, speedKmh: f.speedKmh, loaded: loaded.contains(i))
            }
            points = TrackSimplifier.keep(points).map { points[$0] }
            if points.count > maxPoints {
                let step = (points.count + maxPoints - 1) / maxPoints
                points = stride(from: 0, to: points.count, by: step).map { points[$0] }
            }
            cases[k].track = points
        }
    }
}
