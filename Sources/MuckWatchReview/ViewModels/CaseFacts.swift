import Foundation
import MuckWatchCore
import MuckWatchStore

extension CasePageModel {
    /// The permit the trip ran under, fence ids named.
    struct PermitFacts { var id, source, disposal, route, valid, hours, vehicles: String }

    /// The vehicle's registry entry.
    struct VehicleFacts { var id, company, rated, terminal: String }

    /// What the permit box says when the store has no permit for the trip.
    static func noPermit(_ trip: StoredTrip?) -> String {
        trip?.permitID.map { "Permit \($0) (not in the store's permit list)." } ?? "No permit covers this trip."
    }
}

extension CasePageModel.PermitFacts {
    init(_ p: Permit, names: FenceNames) {
        self.init(id: p.id, source: names.label(p.sourceSite) ?? p.sourceSite,
                  disposal: names.label(p.disposalSite) ?? p.disposalSite,
                  route: p.route.map { names.label($0) ?? $0 } ?? "any route",
                  valid: "\(p.validFrom) – \(p.validTo)",
                  hours: p.hours?.map(\.description).joined(separator: ", ") ?? "any hour",
                  vehicles: p.vehicles.joined(separator: ", "))
    }
}

extension CasePageModel.VehicleFacts {
    init(_ v: Vehicle) {
        self.init(id: v.id, company: v.company, rated: v.ratedLoadT.map { String(format: "%.1f t", $0) } ?? "unknown",
                  terminal: v.terminalID ?? "—")
    }
}
