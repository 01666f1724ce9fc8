public import MuckWatchCore
public import MuckWatchAnalysis

/// Where a live vehicle's settled history may be cut, so a gateway that runs for weeks
/// holds each vehicle's open state, not every fix it ever sent.
///
/// The analyzer offers a cut between trips (`VehicleAnalyzer.trimmableFixes`): before
/// every open dwell, sensor run and load level, after every closed trip. Here the rules'
/// look-back decides whether the judgements can spare it. Violations starting before the
/// boundary fix's time (`settledBefore`) stay with the cases judged just before the trim;
/// later judgements of the trimmed track keep only violations from the boundary on
/// (`VehicleJudge.judge(from:)`). That equals a batch run over the whole track when:
///
/// - every case is wholly before or wholly after the boundary, and a day case (a
///   vehicle's violations outside trips on one local date) wholly before it is of an
///   earlier local date, its map track's margin (300 s) also before it: no later
///   violation can join it and its track is complete;
/// - no fix within `merge_gap_s` before the boundary, nor the boundary fix, is inside a
///   restricted zone or over the speed limit: no speeding or restricted-zone episode
///   reaches across it (signal loss reads the pair of fixes at the cut, which the settled
///   judgement saw whole);
/// - no camera read of the plate lies within 600 s of it: camera reads join sensor
///   violations within 300 s, and plate mismatch reads fixes within 120 s.
///
/// Fixes from 300 s before the boundary are kept, so case map tracks and derived speeds
/// of the kept part read the same fixes as in a batch run. A cut that fails any condition
/// is not taken; the next closed trip tries again.
public enum HistoryTrim {
    public struct Cut {
        /// Fixes to drop from the front of the track.
        public var drop: Int
        /// Violations starting before this time are settled.
        public var settledBefore: Int64
    }

    /// `CaseTracks.marginS`: a day case's map track reaches this far around its violations.
    static let caseTrackMarginS = CaseTracks.marginS
    /// Camera reads this close to the boundary block a cut.
    static let cameraMarginS: Int64 = 600

    public static func cut(_ analyzer: VehicleAnalyzer, cases: [Case], cameras: ArraySlice<CameraReads.Record>, config: Config,
                    restricted: [Bool]) -> Cut? {
        guard let b = analyzer.trimmableFixes() else { return nil }
        let track = analyzer.track
        let tb = track.fixes[b].time
        let drop = track.firstIndex(atOrAfter: tb - caseTrackMarginS)
        guard drop > 0, drop < b else { return nil }

        let day = config.clock.date(of: tb)
        for c in cases {
            let before = c.violations.filter { $0.start < tb }.count
            if before == 0 { continue }
            guard before == c.violations.count else { return nil }
            if c.trip == nil {
                guard c.date < day, c.violations.allSatisfy({ $0.end + caseTrackMarginS < tb }) else { return nil }
            }
        }

        var i = b
        while i >= 0, track.fixes[i].time >= tb - config.mergeGapS {
            for k in track.fences(at: i) where restricted[Int(k)] { return nil }
            if speedKmh(track, i) > config.speedLimitKmh { return nil }
            i -= 1
        }

        for e in cameras where e.confidence >= config.cameraMinConfidence && abs(e.time - tb) <= cameraMarginS {
            return nil
        }
        return Cut(drop: drop, settledBefore: tb)
    }

    /// The speeding rule's speed: reported, else from the previous fix.
    private static func speedKmh(_ track: VehicleTrack, _ i: Int) -> Double {
        let f = track.fixes[i]
        if f.hasSpeed { return Double(f.speedKmh) }
        guard i > 0 else { return 0 }
        let dt = Double(max(f.time - track.fixes[i - 1].time, 1))
        return f.distance(to: track.fixes[i - 1]) / dt * 3.6
    }

    /// A trimmed track's judgement in the indices of the whole track (what a batch run gives).
    public static func unshift(_ judged: inout (trips: [Trip], cases: [Case]), by n: Int) {
        func shifted(_ t: Trip) -> Trip {
            var u = t
            u.fixRange = (t.fixRange.lowerBound + n)..<(t.fixRange.upperBound + n)
            return u
        }
        judged.trips = judged.trips.map(shifted)
        for k in judged.cases.indices {
            if let t = judged.cases[k].trip { judged.cases[k].trip = shifted(t) }
        }
    }
}
