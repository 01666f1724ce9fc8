import Hummingbird
import MuckWatchCore
import MuckWatchStore

/// `GET /stats?date=YYYY-MM-DD`: one day's tonnes per site, violations per type and company, cases per status.
struct StatisticsRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let fences: FenceCache

    struct Option { var value: String; var label: String; var selected: Bool }
    struct Row { var name: String; var value: String; var trips: Int }
    struct Table { var key, title, column, unit: String; var chart: String; var rows: [Row]; var hasTrips: Bool }
    struct Page { var date: String; var dates: [Option]; var hasDates: Bool; var tables: [Table] }

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/stats") { request, context in
            guard let session = context.session else { throw HTTPError(.unauthorized) }
            let asked = request.uri.queryParameters.get("date").flatMap { LocalDate(parsing: $0) }
            let (dates, stats) = try await store.with { s throws(StoreError) -> ([LocalDate], DailyStatistics?) in
                let dates = try s.caseDates()
                guard let day = asked ?? dates.first else { return (dates, nil) }
                return (dates, try s.dailyStatistics(day))
            }
            let names = FenceNames(try await fences.shapes(store))
            return renderer.page("stats", page(dates: dates, stats: stats, names: names), title: "Statistics",
                                 session: session)
        }
    }

    func page(dates: [LocalDate], stats: DailyStatistics?, names: FenceNames) -> Page {
        var tables: [Table] = []
        if let st = stats {
            func tonnes(_ key: String, _ title: String, _ column: String, _ rows: [(name: String, tonnes: Double, trips: Int)],
                        _ color: String) -> Table {
                Table(key: key, title: title, column: column, unit: "tonnes",
                      chart: BarChart(rows: rows.map { (names.label($0.name) ?? $0.name, $0.tonnes) }, color: color,
                                      unit: "t").svg(),
                      rows: rows.map { Row(name: names.label($0.name) ?? $0.name, value: num($0.tonnes), trips: $0.trips) },
                      hasTrips: true)
            }
            func counts(_ key: String, _ title: String, _ column: String, _ rows: [(name: String, count: Int)],
                        _ color: String, label: (String) -> String = { $0 }) -> Table {
                Table(key: key, title: title, column: column, unit: "count",
                      chart: BarChart(rows: rows.map { (label($0.name), Double($0.count)) }, color: color, unit: "").svg(),
                      rows: rows.map { Row(name: label($0.name), value: String($0.count), trips: 0) }, hasTrips: false)
            }
            tables = [
                tonnes("source", "Tonnes out of each source site 出土量", "source site", st.tonnesBySourceSite, "#e8590c"),
                tonnes("disposal", "Tonnes into each disposal site 消纳量", "disposal site", st.tonnesByDisposalSite, "#2f9e44"),
                counts("types", "Violations by type 违规类型", "type", st.violationsByType, "#c92a2a") {
                    ViolationType(rawValue: $0).map(Labels.violation) ?? $0
                },
                counts("companies", "Violations by company 运输企业", "company", st.violationsByCompany, "#7048e8"),
                counts("status", "Cases by status 案件状态", "status", st.casesByStatus, "#0b6bcb") {
                    Case.Status(rawValue: $0).map(Labels.status) ?? $0
                },
            ]
        }
        return Page(date: stats?.date.description ?? "", dates: dates.map {
            Option(value: $0.description, label: $0.description, selected: $0 == stats?.date)
        }, hasDates: !dates.isEmpty, tables: tables)
    }
}
