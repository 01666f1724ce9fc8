import MuckWatchCore
import MuckWatchAnalysis

/// Rules over the whole track, loaded or empty.
enum TrackRules {
    /// restricted_zone: any accepted fix inside a zone during its banned hours.
    static func restrictedZone(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        let all = 0..<track.count
        for (zi, fence) in ctx.index.fences.enumerated() where fence.kind == .restrictedZone {
            let z = Int32(zi)
            let inside = track.runs(in: all) { i in
                guard track.isInside(fence: z, at: i) else { return false }
                guard let hours = fence.hours else { return true }
                return hours.contains(minuteOfDay: ctx.clock.minuteOfDay(track.fixes[i].time))
            }
            for e in track.merged(inside, gap: ctx.config.mergeGapS) {
                let when = fence.hours.map { "banned " + $0.map(\.description).joined(separator: ",") } ?? "banned at all hours"
                out.append(Violation(.restrictedZone, track, e, source: .gps,
                                     detail: "inside \(fence.id) (\(fence.name), \(when))",
                                     trip: track.tripIndex(containing: track.fixes[e.first].time)))
            }
        }
    }

    /// speeding: over the limit (the zone's, else the configured one) for `speeding_min_s`.
    static func speeding(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        let limits = zoneLimits(ctx)
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

    private static func zoneLimits(_ ctx: RuleContext) -> [Double] {
        ctx.index.fences.map { $0.kind == .restrictedZone ? ($0.speedLimitKmh ?? 0) : 0 }
    }
}
