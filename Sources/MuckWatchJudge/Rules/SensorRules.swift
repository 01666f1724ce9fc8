import MuckWatchCore
import MuckWatchAnalysis

/// Rules over the muck-truck sensors during a loaded drive.
enum SensorRules {
    /// overload (load cell): above rated load × `overload_ratio`, moving for `overload_min_s`.
    static func overload(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        guard track.hasLoadCell, let rated = ctx.vehicle?.ratedLoadT, rated > 0 else { return }
        let threshold = rated * ctx.config.overloadRatio
        for (k, trip) in track.trips.enumerated() {
            let heavy = track.runs(in: trip.fixRange) { i in
                let l = track.fixes[i].loadT
                return !l.isNaN && Double(l) > threshold
            }
            for e in track.merged(heavy, gap: ctx.config.mergeGapS)
            where track.movingSeconds(e, minKmh: ctx.config.movingMinKmh) >= ctx.config.overloadMinS {
                var top: Float = 0
                for i in e.first...e.last where !track.fixes[i].loadT.isNaN { top = max(top, track.fixes[i].loadT) }
                var v = Violation(.overload, track, e, source: .sensor,
                                  detail: "load cell \(top) t over rated \(rated) t × \(ctx.config.overloadRatio) while moving",
                                  trip: k)
                v.evidence.sensorReadings = ["load_t max \(top)"]
                out.append(v)
            }
        }
    }

    /// unsealed (lid sensor): cover open while loaded and moving for `unsealed_min_s`.
    static func unsealed(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        guard track.hasLid else { return }
        for (k, trip) in track.trips.enumerated() {
            let open = track.runs(in: trip.fixRange) { i in track.fixes[i].lid == 0 }
            for e in track.merged(open, gap: ctx.config.mergeGapS) {
                let moving = track.movingSeconds(e, minKmh: ctx.config.movingMinKmh)
                guard moving >= ctx.config.unsealedMinS else { continue }
                var v = Violation(.unsealed, track, e, source: .sensor,
                                  detail: "cover open \(moving) s while loaded and moving", trip: k)
                v.evidence.sensorReadings = ["lid=0"]
                out.append(v)
            }
        }
    }
}
