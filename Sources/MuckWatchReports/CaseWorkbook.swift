import Foundation
public import MuckWatchCore
public import MuckWatchStore

/// The officers' Excel file (issue #21): the cases a filter selects, one row each; their
/// violations, one row each with its evidence ids; the statistics of those cases; the funnel
/// per day and week and the league tables over the filter's dates. `muckwatch cases export
/// --xlsx` and the review app's download both build it here, so the same filters give the
/// same file.
public enum CaseWorkbook {
    public static let casesSheet = "Cases 案件", violationsSheet = "Violations 违规"
    public static let statisticsSheet = "Statistics 统计", funnelSheet = "Funnel 漏斗", leagueSheet = "League 排行"

    /// - Parameters:
    ///   - linkBase: the review app's address (`http://host:port`); each case row links to
    ///     `linkBase/cases/ID`.
    public static func build(_ store: CaseStore, filter: CaseFilter, linkBase: String) throws(StoreError) -> SheetBook {
        let rows = try store.listCases(filter)
        var cases: [StoredCase] = []
        cases.reserveCapacity(rows.count)
        for row in rows {
            guard let c = try store.loadCase(id: row.caseID) else { throw .caseNotFound(row.caseID) }
            cases.append(c)
        }
        let clock = store.clock
        let funnel = try FunnelReport.load(store, from: filter.dateFrom, to: filter.dateTo)
        var leagues: [LeagueTable] = []
        for d in LeagueDimension.allCases {
            leagues.append(try LeagueTable.load(store, d, from: filter.dateFrom, to: filter.dateTo))
        }
        let base = linkBase.hasSuffix("/") ? String(linkBase.dropLast()) : linkBase
        return SheetBook(
            sheets: [casesSheet(rows, cases, clock: clock, base: base), violationsSheet(cases, clock: clock),
                     statistics(rows, cases), funnelSheet(funnel), leagueSheet(leagues)],
            created: try store.latestRun()?.at ?? 0, title: "MuckWatch cases")
    }

    static func casesSheet(_ rows: [CaseSummaryRow], _ cases: [StoredCase], clock: LocalClock, base: String) -> Sheet {
        Sheet(name: casesSheet,
              header: ["Case 案件", "Date 日期", "Plate 车牌", "Company 公司", "Violations 违规类型",
                       "Violations (English)", "Source → disposal 来源 → 消纳", "Departments 部门", "Status 状态",
                       "Last action 最近处置", "Case page 链接"],
              rows: zip(rows, cases).map { row, c in
                  [.text(c.caseID), .text(c.date.description), .text(c.vehicleID), .optional(c.company),
                   .text(row.violationTypes.map(ViolationNames.chinese).joined(separator: "、")),
                   .text(row.violationTypes.map(ViolationNames.english).joined(separator: ", ")),
                   .text((row.sourceSite ?? "?") + " → " + (row.disposalSite ?? "?")),
                   .text(c.departments.joined(separator: ", ")), .text(c.status.rawValue),
                   .optional(c.events.last.map { lastAction($0, clock: clock) }),
                   .link(url: base + "/cases/" + (c.caseID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)
                             ?? c.caseID), text: c.caseID)]
              },
              widths: [20, 11, 11, 18, 22, 28, 16, 28, 11, 44, 20])
    }

    static func violationsSheet(_ cases: [StoredCase], clock: LocalClock) -> Sheet {
        func ids(_ list: [String]) -> Cell { list.isEmpty ? .empty : .text(list.joined(separator: ", ")) }
        var out: [[Cell]] = []
        for c in cases {
            for (i, v) in c.violations.enumerated() {
                let ranges = v.evidence.fixRanges.map { time($0.lowerBound, clock) + " – " + time($0.upperBound, clock) }
                out.append([.text(c.caseID), .int(i + 1), .text(v.type.rawValue), .text(ViolationNames.chinese(v.type)),
                            .text(time(v.start, clock)), .text(time(v.end, clock)), .text(v.source.rawValue),
                            .text(v.detail), .number(v.lon), .number(v.lat), ids(ranges), ids(v.evidence.sensorReadings),
                            ids(v.evidence.cameraEvents), ids(v.evidence.images), ids(v.evidence.manifests),
                            ids(v.evidence.gateEvents)])
            }
        }
        return Sheet(name: violationsSheet,
                     header: ["Case 案件", "No.", "Type", "类型", "Start 开始", "End 结束", "Source 来源", "Detail 说明",
                              "Lon", "Lat", "GPS fixes", "Sensor readings", "Camera events", "Images", "Manifests",
                              "Gate passes"],
                     rows: out, widths: [20, 5, 18, 12, 19, 19, 10, 40, 11, 10, 30, 30, 20, 24, 16, 16])
    }

    /// Totals of the exported cases: how many, their violations, per status and per type.
    static func statistics(_ rows: [CaseSummaryRow], _ cases: [StoredCase]) -> Sheet {
        var out: [[Cell]] = [[.text("total"), .text("cases"), .int(cases.count)],
                             [.text("total"), .text("violations"), .int(cases.reduce(0) { $0 + $1.violations.count })]]
        for status in Case.Status.allCases {
            out.append([.text("cases by status"), .text(status.rawValue), .int(cases.count { $0.status == status })])
        }
        var byType: [ViolationType: Int] = [:]
        for c in cases { for v in c.violations { byType[v.type, default: 0] += 1 } }
        for (type, n) in byType.sorted(by: { $0.key < $1.key }) {
            out.append([.text("violations by type"), .text(type.rawValue + " " + ViolationNames.chinese(type)), .int(n)])
        }
        var byCompany: [String: Int] = [:]
        for r in rows { byCompany[r.company ?? CaseStore.unregisteredCompany, default: 0] += 1 }
        for (company, n) in byCompany.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            out.append([.text("cases by company"), .text(company), .int(n)])
        }
        return Sheet(name: statisticsSheet, header: ["Figure 指标", "Of 项", "Value 数值"], rows: out, widths: [22, 36, 10])
    }

    static func funnelSheet(_ funnel: FunnelReport) -> Sheet {
        func row(_ kind: String, _ p: FunnelReport.Period) -> [Cell] {
            [.text(kind), .text(p.start.description), .int(p.cameraEvents), .int(p.detections), .int(p.signals),
             .int(p.cases), .int(p.confirmed), .int(p.closed), .int(p.dismissed)]
        }
        var out = funnel.days.map { row("day", $0) } + funnel.weeks.map { row("week", $0) }
        out.append(row("total", funnel.total))
        out += funnel.dismissalReasons.map { [.text("dismissal reason"), .text($0.reason), .int($0.count)] }
        return Sheet(name: funnelSheet,
                     header: ["Period 周期", "From 起", "Camera events", "Detections", "Signals 信号", "Cases 立案",
                              "Confirmed 确认派单", "Closed 结案", "Dismissed 驳回"],
                     rows: out, widths: [16, 30, 13, 11, 11, 10, 16, 11, 12])
    }

    /// The company, vehicle and driver tables one under the other, each in rank order, with every
    /// violation type any of them has as a column of violations per 100 trips.
    static func leagueSheet(_ tables: [LeagueTable]) -> Sheet {
        let types = Set(tables.flatMap(\.types)).sorted()
        var out: [[Cell]] = []
        for t in tables {
            for r in t.rows {
                out.append([.text(t.dimension.rawValue), .int(r.rank), .text(r.name), .int(r.trips),
                            .int(r.totalViolations), .int(r.openCases), .number((r.score * 10).rounded() / 10)]
                           + types.map { .number((r.per100Trips($0) * 10).rounded() / 10) })
            }
        }
        return Sheet(name: leagueSheet,
                     header: ["Table 榜单", "Rank 名次", "Name 名称", "Trips 趟次", "Violations 违规", "Open cases 未结",
                              "Score 分值"] + types.map { "\($0.rawValue) /100 trips" },
                     rows: out, widths: [10, 8, 18, 10, 12, 12, 10] + types.map { _ in 14 })
    }

    static func lastAction(_ e: CaseEvent, clock: LocalClock) -> String {
        var s = time(e.at, clock) + " " + e.actor + ": " + e.action
        if let from = e.fromStatus, let to = e.toStatus { s += " " + from.rawValue + " → " + to.rawValue }
        if let note = e.note, !note.isEmpty { s += " (" + note + ")" }
        return s
    }

    /// Local time without the zone: `2026-11-20 22:14:05`.
    static func time(_ t: Int64, _ clock: LocalClock) -> String {
        String(clock.format(t).prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
