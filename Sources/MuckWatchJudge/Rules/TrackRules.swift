import MuckWatchCore
import MuckWatchAnalysis
import MuckWatchGeo

/// Rules over the whole track, loaded or empty.
enum TrackRules {
    /// restricted_zone: any accepted fix inside a zone during its banned hours.
    static func restrictedZone(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        let zones = ctx.index.restrictedZones
        guard !zones.isEmpty, track.count > 0 else { return }
        // One walk over the track for every zone at once: per zone, the runs of fixes
        // inside it (within its banned hours), exactly as a walk per zone would find them.
        var slot = [Int](repeating: -1, count: ctx.index.fences.count)
        for (s, z) in zones.enumerated() { slot[Int(z)] = s }
        let hours = zones.map { ctx.index.fences[Int($0)].hours }
        var runs = [[Episode]](repeating: [], count: zones.count)
        var start = [Int](repeating: -1, count: zones.count)
        var now = [Bool](repeating: false, count: zones.count)
        for i in 0..<track.count {
            for k in track.fences(at: i) {
                let s = slot[Int(k)]
                guard s >= 0 else { continue }
                if let h = hours[s], !h.contains(minuteOfDay: ctx.clock.minuteOfDay(track.fixes[i].time)) { continue }
                now[s] = true
            }
            for s in zones.indices {
                if now[s] {
                    if start[s] < 0 { start[s] = i }
                    now[s] = false
                } else if start[s] >= 0 {
                    runs[s].append(Episode(first: start[s], last: i - 1))
                    start[s] = -1
                }
            }
        }
        for s in zones.indices where start[s] >= 0 { runs[s].append(Episode(first: start[s], last: track.count - 1)) }
        for (s, z) in zones.enumerated() where !runs[s].isEmpty {
            let fence = ctx.index.fences[Int(z)]
            for e in track.merged(runs[s], gap: ctx.config.mergeGapS) {
                let when = fence.hours.map { "banned " + $0.map(\.description).joined(separator: ",") } ?? "banned at all hours"
                out.append(Violation(.restrictedZone, track, e, source: .gps,
                                     detail: "inside \(fence.id) (\(fence.name), \(when))",
                                     trip: track.tripIndex(containing: track.fixes[e.first].time)))
            }
        }
    }

    /// speeding: over the limit (the zone's, else the configured one) for `speeding_min_s`.
    static func speeding(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        let limits = ctx.index.zoneSpeedLimits
        func limit(_ i: Int) -> Double {
            var l = ctx.config.speedLimitKmh
            for k in track.fences(at: i) where limits[Int(k)] > 0 { l = min(l, limits[Int(k)]) }
            return l
        }
        let over = track.runs(in: 0..<track.count) { i in track.speedKmh(i) > limit(i) }
            .filter { track.fixes[$0.last].time - track.fixes[$0.first].time >= ctx.config.speedingMinS }
        for e in track.merged(over, gap: ctx.config.mergeGapS) {
            var top = 0.0
            for i in e.first...e.last { top = max(top, track.speedKmh(i)) }
            let l = limit(e.first)
            let span = track.fixes[e.last].time - track.fixes[e.first].time
            out.append(Violation(.speeding, track, e, source: .gps,
                                 detail: "\(Int(top.rounded())) km/h over a \(Int(l)) km/h limit for \(minutes(span))",
                                 trip: track.tripIndex(containing: track.fixes[e.first].time)))
        }
    }

    /// signal_loss: a gap of at least `signal_gap_s` across which the truck moved at least
    /// `signal_gap_min_m` (straight line): a parked truck going quiet is not tampering.
    static func signalLoss(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        guard track.count > 1 else { return }
        for i in 1..<track.count {
            let a = track.fixes[i - 1], b = track.fixes[i]
            let gap = b.time - a.time
            let moved = a.distance(to: b)
            guard gap >= ctx.config.signalGapS, moved >= ctx.config.signalGapMinM else { continue }
            var v = Violation(.signalLoss, track, Episode(first: i - 1, last: i), source: .gps,
                              detail: "no fixes for \(minutes(gap)) while the truck moved \(Int(moved)) m",
                              trip: track.tripIndex(containing: a.time), at: a)
            v.lon = (a.lon + b.lon) / 2
            v.lat = (a.lat + b.lat) / 2
            out.append(v)
        }
    }
}
