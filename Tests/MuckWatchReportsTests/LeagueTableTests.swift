import Foundation
import MuckWatchCore
import MuckWatchReports
import MuckWatchStore
import Testing

/// The league score's rule (docs/reports.md) on counts made up to tell its parts apart.
@Suite struct LeagueTableTests {
    func counts(_ name: String, trips: Int, _ violations: [ViolationType: Int], open: Int = 0) -> LeagueCounts {
        var c = LeagueCounts(name: name)
        c.trips = trips
        c.violations = violations
        c.openCases = open
        return c
    }

    @Test func severeViolationsWeighThreeAndRatesArePer100Trips() {
        let t = LeagueTable(dimension: .company, counts: [
            counts("small", trips: 5, [.speeding: 1]),                // 100 × 1 / 5 = 20
            counts("big", trips: 200, [.illegalDump: 2, .spill: 4]),  // 100 × (6 + 4) / 200 = 5
            counts("none", trips: 0, [.noPermit: 1]),                 // 100 × 3 / max(0, 1) = 300
            counts("tie", trips: 5, [.spill: 1], open: 2),            // 20, more open cases: ranks above "small"
        ])
        #expect(t.rows.map(\.name) == ["none", "tie", "small", "big"])
        #expect(t.rows.map(\.score) == [300, 20, 20, 5])
        #expect(t.rows.map(\.rank) == [1, 2, 3, 4])
        #expect(t.rows[3].per100Trips(.spill) == 2)
        #expect(t.types == [.illegalDump, .noPermit, .speeding, .spill].sorted())
        let byTrips = t.sorted(by: .trips, descending: true)
        #expect(byTrips.rows.map(\.name) == ["big", "tie", "small", "none"])
        #expect(t.sorted(by: .name, descending: false).rows.map(\.name) == ["big", "none", "small", "tie"])
        #expect(t.sorted(by: .rank, descending: false) == t)
    }

    @Test func weeksAreSumsOfTheirDaysFromMonday() {
        var days: [FunnelDay] = []
        // 2026-11-20 is a Friday: 20–22 fall in the week of Monday 16th, 23 in the next.
        for (d, n) in [(20, 1), (21, 2), (22, 4), (23, 8)] {
            var f = FunnelDay(date: LocalDate(year: 2026, month: 11, day: d))
            f.cases = n
            f.cameraEvents = 1
            days.append(f)
        }
        let r = FunnelReport(days: days, reasons: [])
        #expect(r.weeks.map(\.start.description) == ["2026-11-16", "2026-11-23"])
        #expect(r.weeks.map(\.cases) == [7, 8])
        #expect(r.weeks.map(\.signals) == [3, 1])
        #expect(r.total.cases == 15)
        #expect(FunnelReport.monday(of: LocalDate(year: 2026, month: 11, day: 16)).description == "2026-11-16")
    }

    @Test func tablesAndFunnelEncodeForTheAPI() throws {
        let t = LeagueTable(dimension: .vehicle, counts: [counts("渝F1", trips: 4, [.illegalDump: 1, .spill: 2], open: 1)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(t), as: UTF8.self)
        #expect(json.contains(#""dimension":"vehicle""#))
        #expect(json.contains(#""violations":{"illegal_dump":1,"spill":2}"#))
        #expect(json.contains(#""violationsPer100Trips":{"illegal_dump":25,"spill":50}"#))
        #expect(json.contains(#""score":125"#))
        var d = FunnelDay(date: LocalDate(year: 2026, month: 11, day: 20))
        d.cameraEvents = 2
        d.detections = 3
        let f = String(decoding: try encoder.encode(FunnelReport(days: [d], reasons: [])), as: UTF8.self)
        #expect(f.contains(#""signals":5"#) && f.contains(#""start":"2026-11-16""#) && f.contains(#""start":"2026-11-20""#))
    }
}
