import MuckWatchCore
import MuckWatchAnalysis

/// Assigns each trip the permit that covers it: this vehicle, the trip's source site and
/// the local date of the loading (contract section 11). Among several, the one naming
/// the trip's disposal site wins, so a second valid permit is never mistaken for a
/// wrong disposal.
enum PermitMatcher {
    static func assign(_ track: inout VehicleTrack, _ ctx: RuleContext) {
        for k in track.trips.indices {
            let trip = track.trips[k]
            guard let source = trip.sourceSite else { continue }
            let date = ctx.clock.date(of: trip.loadedAt)
            let valid = ctx.permits.filter { $0.covers(vehicle: ctx.plate, sourceSite: source, on: date) }
            let best = valid.first { $0.disposalSite == trip.disposalSite } ?? valid.first
            track.trips[k].permitID = best?.id
        }
    }

    static func permit(of trip: Trip, _ ctx: RuleContext) -> Permit? {
        guard let id = trip.permitID else { return nil }
        return ctx.permits.first { $0.id == id }
    }
}
