import Foundation
import Hummingbird
import MuckWatchCore
import MuckWatchReports
import MuckWatchStore

/// The reports page (`GET /reports`, template `reports`): the funnel per day and per week with the
/// dismissal reasons, and one league table (company, vehicle or driver) sorted on the server by
/// the `sort` and `dir` parameters, so sorting needs no script.
struct ReportsPageModel {
    struct Query {
        var from: LocalDate?, to: LocalDate?
        var league = LeagueDimension.company
        var sort = LeagueTable.Sort.rank
        var descending = false
        var parameters: ListParameters

        init(_ q: Parameters) {
            var p = ListParameters(path: "/reports", q)
            from = p.date("from")
            to = p.date("to")
            league = p.value("league", "league table", LeagueDimension.init(rawValue:)) ?? .company
            sort = p.value("sort", "sort", LeagueTable.Sort.init(rawValue:)) ?? .rank
            // Rank reads best top-down ascending; every other column largest first unless asked.
            descending = p.text("dir").map { $0 == "desc" } ?? (sort != .rank && sort != .name)
            parameters = p
        }
    }

    struct FunnelRow { var period, cameraEvents, detections, signals, cases, confirmed, closed, dismissed: String }
    struct Reason { var reason: String; var count: Int }
    struct Tab { var label: String; var href: String; var active: Bool; var key: String }
    struct Header { var label: String; var href: String; var mark: String; var numeric: Bool; var key: String }
    struct Row { var rank: Int; var name: String; var cells: [String] }

    var from: String, to: String, period: String, notice: String?
    var days: [FunnelRow], weeks: [FunnelRow], total: FunnelRow, reasons: [Reason], hasReasons: Bool
    var tabs: [Tab], league: String, headers: [Header], rows: [Row], scoreRule: String
    var xlsx: String

    init(_ query: Query, funnel: FunnelReport, table: LeagueTable) {
        from = query.from?.description ?? ""
        to = query.to?.description ?? ""
        period = from.isEmpty && to.isEmpty ? "all days" : (from.isEmpty ? "…" : from) + " – " + (to.isEmpty ? "…" : to)
        notice = query.parameters.notice
        func row(_ label: String, _ p: FunnelReport.Period) -> FunnelRow {
            FunnelRow(period: label, cameraEvents: String(p.cameraEvents), detections: String(p.detections),
                      signals: String(p.signals), cases: String(p.cases), confirmed: String(p.confirmed),
                      closed: String(p.closed), dismissed: String(p.dismissed))
        }
        days = funnel.days.map { row($0.start.description, $0) }
        weeks = funnel.weeks.map { row("week of " + $0.start.description, $0) }
        total = row("total", funnel.total)
        reasons = funnel.dismissalReasons.map { Reason(reason: $0.reason, count: $0.count) }
        hasReasons = !reasons.isEmpty
        tabs = LeagueDimension.allCases.map { d in
            Tab(label: Self.title(d), href: query.parameters.link(["league": d.rawValue, "sort": nil, "dir": nil]),
                active: d == query.league, key: d.rawValue)
        }
        league = Self.title(query.league)
        let sorted = table.sorted(by: query.sort, descending: query.descending)
        let columns: [(LeagueTable.Sort?, String, Bool)] = [
            (.rank, "Rank 名次", true), (.name, "Name 名称", false), (.trips, "Trips 趟次", true),
            (.violations, "Violations 违规", true), (.open, "Open cases 未结", true), (.score, "Score 分值", true),
        ] + table.types.map { (nil, Labels.violation($0) + " /100", true) }
        headers = columns.map { sort, label, numeric in
            guard let sort else { return Header(label: label, href: "", mark: "", numeric: numeric, key: "") }
            let active = sort == query.sort
            // A second click on the sorted column turns its order round.
            let dir = active ? (query.descending ? "asc" : "desc") : (sort == .rank || sort == .name ? "asc" : "desc")
            return Header(label: label, href: query.parameters.link(["sort": sort.rawValue, "dir": dir]),
                          mark: active ? (query.descending ? " ▼" : " ▲") : "", numeric: numeric, key: sort.rawValue)
        }
        rows = sorted.rows.map { r in
            Row(rank: r.rank, name: r.name,
                cells: [String(r.trips), String(r.totalViolations), String(r.openCases), String(format: "%.1f", r.score)]
                    + table.types.map { String(format: "%.1f", r.per100Trips($0)) })
        }
        scoreRule = "Score = 100 × Σ weight × violations ÷ max(trips, 1); weight 3 for illegal dump, unapproved "
            + "disposal, plate mismatch and no permit, 1 for the rest. Rank 1 is the worst; ties by open cases, then name."
        xlsx = ListParameters.link(path: "/cases.xlsx", [("from", from), ("to", to)].filter { !$0.1.isEmpty })
    }

    static func title(_ d: LeagueDimension) -> String {
        switch d {
        case .company: "Companies 运输企业"
        case .vehicle: "Vehicles 车辆"
        case .driver: "Drivers 驾驶员"
        }
    }
}
