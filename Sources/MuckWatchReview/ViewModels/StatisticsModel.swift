import MuckWatchCore
import MuckWatchStore

/// What the statistics page shows (template `stats`): the day picker and, for the day, one table
/// with its bar chart per figure. The property names are the template's keys.
struct StatisticsModel {
    struct Row { var name: String; var value: String; var trips: Int }
    /// One figure of the day: a bar chart over the same rows as the table under it.
    struct Table { var key, title, column, unit: String; var chart: String; var rows: [Row]; var hasTrips: Bool }

    var date: String
    var dates: [SelectOption]
    var hasDates: Bool
    var tables: [Table]
    /// The manifests and gates of the day; `nil` when the store has no manifests at all.
    var chain: Chain?
    /// Issue #26: handling per department and week, overdue now (partial `handling-stats`); set by the route.
    var handling: HandlingStatisticsModel?

    /// `stats` is `nil` when the store has no case yet (no day to show); `chain` is `nil` when
    /// the store has no manifests.
    init(dates: [LocalDate], stats: DailyStatistics?, chain: ChainStatistics? = nil, names: FenceNames) {
        date = stats?.date.description ?? ""
        self.dates = dates.map { SelectOption(value: $0.description, label: $0.description, selected: $0 == stats?.date) }
        hasDates = !dates.isEmpty
        tables = stats.map { Self.tables($0, names: names) } ?? []
        self.chain = chain.map { Self.chain($0, names: names) }
    }

    static func tables(_ st: DailyStatistics, names: FenceNames) -> [Table] {
        [
            tonnes("source", "Tonnes out of each source site 出土量", "source site", st.tonnesBySourceSite, "#e8590c", names),
            tonnes("disposal", "Tonnes into each disposal site 消纳量", "disposal site", st.tonnesByDisposalSite, "#2f9e44", names),
            counts("types", "Violations by type 违规类型", "type", st.violationsByType, "#c92a2a") {
                ViolationType(rawValue: $0).map(Labels.violation) ?? $0
            },
            counts("companies", "Violations by company 运输企业", "company", st.violationsByCompany, "#7048e8"),
            counts("status", "Cases by status 案件状态", "status", st.casesByStatus, "#0b6bcb") {
                Case.Status(rawValue: $0).map(Labels.status) ?? $0
            },
        ]
    }

    /// Tonnes per site, sites named, with the trips behind each figure.
    static func tonnes(_ key: String, _ title: String, _ column: String,
                       _ rows: [(name: String, tonnes: Double, trips: Int)], _ color: String, _ names: FenceNames)
        -> Table {
        Table(key: key, title: title, column: column, unit: "tonnes",
              chart: BarChart(rows: rows.map { (names.label($0.name) ?? $0.name, $0.tonnes) }, color: color,
                              unit: "t").svg(),
              rows: rows.map { Row(name: names.label($0.name) ?? $0.name, value: num($0.tonnes), trips: $0.trips) },
              hasTrips: true)
    }

    /// Counts per name, each name as officers read it (`label`).
    static func counts(_ key: String, _ title: String, _ column: String, _ rows: [(name: String, count: Int)],
                       _ color: String, label: (String) -> String = { $0 }) -> Table {
        Table(key: key, title: title, column: column, unit: "count",
              chart: BarChart(rows: rows.map { (label($0.name), Double($0.count)) }, color: color, unit: "").svg(),
              rows: rows.map { Row(name: label($0.name), value: String($0.count), trips: 0) }, hasTrips: false)
    }
}
