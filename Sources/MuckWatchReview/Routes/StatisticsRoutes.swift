import Hummingbird
import MuckWatchCore
import MuckWatchStore

/// `GET /stats?date=YYYY-MM-DD`: one day's tonnes per site, violations per type and company, cases per
/// status (`StatisticsModel`); the newest day with cases when no date is asked for.
struct StatisticsRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let fences: FenceCache

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/stats") { request, context in
            guard let session = context.session else { throw HTTPError(.unauthorized) }
            let asked = request.uri.queryParameters.get("date").flatMap { LocalDate(parsing: $0) }
            let (dates, stats) = try await store.with { s throws(StoreError) -> ([LocalDate], DailyStatistics?) in
                let dates = try s.caseDates()
                guard let day = asked ?? dates.first else { return (dates, nil) }
                return (dates, try s.dailyStatistics(day))
            }
            let model = StatisticsModel(dates: dates, stats: stats, names: FenceNames(try await fences.shapes(store)))
            return renderer.page("stats", model, title: "Statistics", session: session)
        }
    }
}
