import MuckWatchCore
import MuckWatchAnalysis

/// Cuts the stretch of a vehicle's track that each case needs on a map.
enum CaseTracks {
    /// At most this many points per case; longer stretches are thinned evenly.
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
            let total = ranges.reduce(0) { $0 + $1.count }
            let step = max(1, (total + maxPoints - 1) / maxPoints)
            var points: [TrackPoint] = []
            points.reserveCapacity((total + step - 1) / step + ranges.count)
            // A trip case is one stretch, already in time order; a day case's stretches
            // (one per violation) may overlap: each fix once, then in time order.
            var seen = Set<Int>()
            let overlapping = ranges.count > 1
            for r in ranges {
                for i in stride(from: r.lowerBound, to: r.upperBound, by: step)
                where !overlapping || seen.insert(i).inserted {
                    let f = track.fixes[i]
                    points.append(TrackPoint(time: f.time, lon: f.lon, lat: f.lat, speedKmh: f.speedKmh,
                                             loaded: loaded.contains(i)))
                }
            }
            if overlapping { points.sort { $0.time < $1.time } }
            cases[k].track = points
        }
    }
}
