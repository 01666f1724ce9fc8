import MuckWatchCore
import MuckWatchAnalysis
import MuckWatchGeo

/// Rules judged once per trip: where it loaded and where it unloaded.
enum TripRules {
    /// no_permit: a loading at a source with no valid permit for vehicle, day and site.
    static func noPermit(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        for (k, trip) in track.trips.enumerated() where trip.sourceSite != nil && trip.permitID == nil {
            let f = track.fixes[trip.fixRange.lowerBound]
            let site = trip.sourceSite ?? "?"
            let why = ctx.permits.contains { $0.sourceSite == site } ? "its permits do not cover \(site) on \(ctx.clock.date(of: trip.loadedAt))"
                : "no permit names \(site)"
            out.append(Violation(vehicle: track.vehicle, type: .noPermit, start: trip.loadStart, end: trip.loadedAt,
                                 lon: f.lon, lat: f.lat, source: .gps,
                                 detail: "loaded at \(site) without a valid permit: \(why)",
                                 evidence: Evidence(fixRanges: [trip.loadStart...trip.loadedAt]), tripIndex: k))
        }
    }

    /// illegal_dump: an unloading outside every disposal site; unapproved_disposal: at a
    /// disposal site other than the permit's.
    static func disposal(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        for (k, trip) in track.trips.enumerated() {
            guard let begin = trip.dumpedAt else { continue }
            let end = trip.dumpEnd ?? begin
            let source: ViolationSource
            let how: String
            switch trip.unloadEvidence {
            case .lift: source = .sensor; how = "tipper raised \(minutes(end - begin))"
            case .loadCell: source = .sensor; how = "load cell fell over \(minutes(end - begin))"
            case .disposalDwell: source = .gps; how = "stopped \(minutes(end - begin))"
            case .inferredDwell: source = .trajectory; how = "stopped \(minutes(end - begin)) and loaded again without visiting a disposal site"
            case .none: continue
            }
            var evidence = Evidence(fixRanges: [begin...end])
            if source == .sensor { evidence.sensorReadings = [trip.unloadEvidence == .lift ? "lift=1" : "load_t falling"] }
            if let site = trip.disposalSite {
                guard let permit = PermitMatcher.permit(of: trip, ctx), permit.disposalSite != site else { continue }
                out.append(Violation(vehicle: track.vehicle, type: .unapprovedDisposal, start: begin, end: end,
                                     lon: trip.dumpLon, lat: trip.dumpLat, source: source == .trajectory ? .gps : source,
                                     detail: "unloaded at \(site), permit \(permit.id) names \(permit.disposalSite)",
                                     evidence: evidence, tripIndex: k))
            } else {
                out.append(Violation(vehicle: track.vehicle, type: .illegalDump, start: begin, end: end,
                                     lon: trip.dumpLon, lat: trip.dumpLat, source: source,
                                     detail: "\(how) outside any disposal site", evidence: evidence, tripIndex: k))
            }
        }
    }

    /// off_route: the loaded truck drove at least `off_route_min_m` outside its permit's corridor.
    static func offRoute(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        for (k, trip) in track.trips.enumerated() {
            guard let permit = PermitMatcher.permit(of: trip, ctx), let routeID = permit.route,
                  let route = ctx.index.index(ofID: routeID) else { continue }
            let range = trip.fixRange
            let outside = track.runs(in: range) { i in track.site[i] < 0 && !track.isInside(fence: route, at: i) }
            for e in track.merged(outside, gap: ctx.config.mergeGapS) {
                let lo = max(e.first - 1, range.lowerBound), hi = min(e.last + 1, range.upperBound - 1)
                let driven = track.pathLength(lo..<(hi + 1))
                guard driven >= ctx.config.offRouteMinM, e.last > e.first || driven >= ctx.config.offRouteMinM * 2 else { continue }
                let fence = ctx.fence(route)
                out.append(Violation(.offRoute, track, e, source: .gps,
                                     detail: "left corridor of \(routeID) (\(Int(fence.corridorM)) m) for \(Int(driven)) m while loaded",
                                     trip: k))
            }
        }
    }

    /// outside_hours: the loaded truck moving outside its permit's hours.
    static func outsideHours(_ track: VehicleTrack, _ ctx: RuleContext, into out: inout [Violation]) {
        let minKmh = ctx.config.movingMinKmh
        for (k, trip) in track.trips.enumerated() {
            guard let permit = PermitMatcher.permit(of: trip, ctx), let hours = permit.hours, !hours.isEmpty else { continue }
            let outside = track.runs(in: trip.fixRange) { i in
                track.isMoving(i, minKmh: minKmh) && !hours.contains(minuteOfDay: ctx.clock.minuteOfDay(track.fixes[i].time))
            }
            for e in track.merged(outside, gap: ctx.config.mergeGapS) {
                let span = track.fixes[e.last].time - track.fixes[e.first].time
                let allowed = hours.map(\.description).joined(separator: ",")
                out.append(Violation(.outsideHours, track, e, source: .gps,
                                     detail: "loaded and moving \(minutes(span)) outside permit hours \(allowed)", trip: k))
            }
        }
    }
}
