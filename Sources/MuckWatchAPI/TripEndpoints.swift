import MuckWatchCore
import MuckWatchStore

/// `GET /api/v1/trips`: the store's trips by load time, cursor-paged; a department-scoped
/// token sees only the trips of its departments' cases.
struct TripEndpoints {
    let store: APIStore

    func list(_ q: Operations.ListTrips.Input.Query, token: APIToken) async throws -> Components.Schemas.TripPage {
        let filter = TripFilter(vehicle: QueryValues.text(q.vehicle), dateFrom: try QueryValues.date(q.from, field: "from"),
                                dateTo: try QueryValues.date(q.to, field: "to"),
                                visibleDepartments: token.departments.isEmpty ? nil : token.departments)
        let limit = try QueryValues.limit(q.limit)
        let key = try PageCursor.tripKey(q.cursor)
        let rows = try await store.with { s throws(StoreError) in try s.tripPage(filter, after: key, limit: limit + 1) }
        let page = rows.prefix(limit)
        let next = rows.count > limit ? page.last.map { PageCursor.encode([String($0.trip.loadedAt), $0.key]) } : nil
        return .init(trips: page.map(Components.Schemas.Trip.init), nextCursor: next)
    }
}

extension Components.Schemas.Trip {
    /// As `trips.json` rounds: coordinates to 6 decimals, km to 3, tonnes to 2.
    init(_ r: TripRow) {
        func round(_ v: Double?, _ decimals: Double) -> Double? {
            v.flatMap { $0.isFinite ? ($0 * decimals).rounded() / decimals : nil }
        }
        self.init(vehicleId: r.vehicleID, sourceSite: r.trip.sourceSite, loadedAt: r.loadedAtText,
                  disposalSite: r.trip.disposalSite, dumpLon: round(r.trip.dumpLon, 1e6), dumpLat: round(r.trip.dumpLat, 1e6),
                  dumpedAt: r.dumpedAtText, distanceKm: round(r.trip.distanceKm, 1e3) ?? 0, loadT: round(r.trip.loadT, 1e2),
                  permitId: r.trip.permitID, caseId: r.caseID, manifestId: r.manifestID, receivedT: round(r.receivedT, 1e2))
    }
}
