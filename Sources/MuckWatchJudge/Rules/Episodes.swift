import MuckWatchCore
import MuckWatchAnalysis

/// A stretch of a track where a rule's condition holds: fix indices `first...last`.
struct Episode: Equatable {
    var first: Int
    var last: Int
}

extension VehicleTrack {
    /// Moving per contract section 11: reported speed ≥ 5 km/h, or without a reported
    /// speed, the speed from the previous fix.
    func isMoving(_ i: Int, minKmh: Double) -> Bool {
        let f = fixes[i]
        if f.hasSpeed { return Double(f.speedKmh) >= minKmh }
        return derivedSpeedKmh(i) >= minKmh
    }

    /// Reported speed, else the speed from the previous fix (km/h).
    func speedKmh(_ i: Int) -> Double {
        let f = fixes[i]
        return f.hasSpeed ? Double(f.speedKmh) : derivedSpeedKmh(i)
    }

    func derivedSpeedKmh(_ i: Int) -> Double {
        guard i > 0 else { return 0 }
        let dt = Double(max(fixes[i].time - fixes[i - 1].time, 1))
        return fixes[i].distance(to: fixes[i - 1]) / dt * 3.6
    }

    /// Runs of strictly consecutive fixes in `range` where `holds` is true.
    func runs(in range: Range<Int>, _ holds: (Int) -> Bool) -> [Episode] {
        var out: [Episode] = []
        var start = -1
        for i in range {
            if holds(i) {
                if start < 0 { start = i }
            } else if start >= 0 {
                out.append(Episode(first: start, last: i - 1))
                start = -1
            }
        }
        if start >= 0 { out.append(Episode(first: start, last: range.upperBound - 1)) }
        return out
    }

    /// Joins episodes separated by less than `gap` seconds (a red light does not split
    /// a violation in two, contract section 11).
    func merged(_ episodes: [Episode], gap: Int64) -> [Episode] {
        var out: [Episode] = []
        for e in episodes {
            if let l = out.last, fixes[e.first].time - fixes[l.last].time < gap {
                out[out.count - 1].last = e.last
            } else {
                out.append(e)
            }
        }
        return out
    }

    /// Seconds spent moving within an episode (sum of intervals that start on a moving fix).
    func movingSeconds(_ e: Episode, minKmh: Double) -> Int64 {
        guard e.last > e.first else { return 0 }
        var s: Int64 = 0
        for i in e.first..<e.last where isMoving(i, minKmh: minKmh) || isMoving(i + 1, minKmh: minKmh) {
            s += fixes[i + 1].time - fixes[i].time
        }
        return s
    }

    /// Trip whose loaded stretch contains time `t`, if any.
    func tripIndex(containing t: Int64) -> Int? {
        for (k, trip) in trips.enumerated() {
            let end = trip.dumpedAt ?? fixes[fixes.count - 1].time
            if t >= trip.loadedAt && t <= end { return k }
        }
        return nil
    }

    /// Fix indices of trip `k`'s loaded drive.
    func loadedRange(_ k: Int) -> Range<Int> { trips[k].fixRange }

    func evidence(_ e: Episode) -> Evidence {
        Evidence(fixRanges: [fixes[e.first].time...fixes[e.last].time])
    }

    /// Mid fix of an episode, for the violation's position.
    func midFix(_ e: Episode) -> Fix { fixes[(e.first + e.last) / 2] }
}

extension Violation {
    /// A violation spanning an episode of a track.
    init(_ type: ViolationType, _ track: VehicleTrack, _ e: Episode, source: ViolationSource, detail: String,
         trip: Int?, at position: Fix? = nil) {
        let p = position ?? track.midFix(e)
        self.init(vehicle: track.vehicle, type: type, start: track.fixes[e.first].time, end: track.fixes[e.last].time,
                  lon: p.lon, lat: p.lat, source: source, detail: detail, evidence: track.evidence(e), tripIndex: trip)
    }
}

func minutes(_ s: Int64) -> String {
    s < 120 ? "\(s) s" : "\(s / 60) min"
}
