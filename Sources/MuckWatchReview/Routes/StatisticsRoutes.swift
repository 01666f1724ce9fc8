import Hummingbird
import MuckWatchCore
import MuckWatchStore

/// `GET /stats?date=YYYY-MM-DD`: one day's tonnes per site, violations per type and company, cases per
/// status and, when the store has manifests, the chain's figures (`StatisticsModel`); the newest day
/// with cases or manifests when no date is asked for.
struct StatisticsRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let fences: FenceCache
    /// Issue #26: the deadlines behind the handling figures.
    var field = FieldSettings()

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/stats") { request, context in
            guard let session = context.session else { throw HTTPError(.unauthorized) }
            let asked = request.uri.queryParameters.get("date").flatMap { LocalDate(parsing: $0) }
            let (dates, stats, chain) = try await store.with {
                s throws(StoreError) -> ([LocalDate], DailyStatistics?, ChainStatistics?) in
                let hasManifests = try s.hasManifests()
                let days = try s.caseDates() + (hasManifests ? try s.manifestDates() : [])
                let dates = Set(days).sorted(by: >)
                guard let day = asked ?? dates.first else { return (dates, nil, nil) }
                return (dates, try s.dailyStatistics(day), hasManifests ? try s.chainStatistics(day) : nil)
            }
            var model = StatisticsModel(dates: dates, stats: stats, chain: chain,
                                        names: FenceNames(try await fences.shapes(store)))
            let policy = field.deadlines
            model.handling = try await store.with { s throws(StoreError) in
                try HandlingStatisticsModel.load(from: s, policy: policy)
            }
            return renderer.page("stats", model, title: "Statistics", session: session)
        }
    }
}
