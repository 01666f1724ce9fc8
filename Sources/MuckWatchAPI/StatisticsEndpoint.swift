import MuckWatchCore
import MuckWatchStore

/// `GET /api/v1/statistics?date=`: the web app's statistics page as JSON, for one local day
/// (the newest day with cases when none is asked for). City-wide figures: a department-scoped
/// token is refused rather than shown other departments' numbers.
struct StatisticsEndpoint {
    let store: APIStore

    func day(_ date: String?, token: APIToken) async throws -> Components.Schemas.Statistics {
        guard token.departments.isEmpty else {
            throw APIProblem.forbidden("token \(token.name) is limited to \(token.departments.joined(separator: ", ")); "
                                       + "the statistics are city-wide: use a token without --department")
        }
        let asked = try QueryValues.date(date, field: "date")
        let stats = try await store.with { s throws(StoreError) -> DailyStatistics? in
            let newest = try s.caseDates().first
            guard let day = asked ?? newest else { return nil }
            return try s.dailyStatistics(day)
        }
        guard let stats else {
            return .init(date: nil, tonnesBySourceSite: [], tonnesByDisposalSite: [], violationsByType: [],
                         violationsByCompany: [], casesByStatus: [])
        }
        func tonnes(_ rows: [(name: String, tonnes: Double, trips: Int)]) -> [Components.Schemas.SiteTonnes] {
            rows.map { .init(name: $0.name, tonnes: ($0.tonnes * 100).rounded() / 100, trips: $0.trips) }
        }
        func counts(_ rows: [(name: String, count: Int)]) -> [Components.Schemas.NameCount] {
            rows.map { .init(name: $0.name, count: $0.count) }
        }
        return .init(date: stats.date.description, tonnesBySourceSite: tonnes(stats.tonnesBySourceSite),
                     tonnesByDisposalSite: tonnes(stats.tonnesByDisposalSite), violationsByType: counts(stats.violationsByType),
                     violationsByCompany: counts(stats.violationsByCompany), casesByStatus: counts(stats.casesByStatus))
    }
}
