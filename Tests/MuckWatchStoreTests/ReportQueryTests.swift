import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// The funnel and league counts (issue #21) on the three sample cases after an officer worked
/// them: case 1 dispatched, resolved and closed; case 2 dismissed as a duplicate; case 3 (the
/// next day) dispatched. Each figure is checked against the hand count and against SQL written
/// here, apart from the store's queries.
@Suite struct ReportQueryTests {
    let ids = ["C-20261120-0001", "C-20261120-0002", "C-20261120-0003"]

    func workedStore(_ dir: TempDir) throws -> CaseStore {
        let s = try CaseStore(path: dir.storePath, now: { night + 20_000 })
        try s.write(sampleRun())
        try s.setStatus(caseID: ids[0], to: .dispatched, actor: "wang", note: nil)
        try s.setStatus(caseID: ids[0], to: .resolved, actor: "wang", note: "fined")
        try s.setStatus(caseID: ids[0], to: .closed, actor: "li", note: nil)
        try s.setStatus(caseID: ids[1], to: .dismissed, actor: "wang", note: "  duplicate of C-1 ")
        try s.setStatus(caseID: ids[2], to: .dispatched, actor: "wang", note: nil)
        return s
    }

    func count(_ s: CaseStore, _ sql: String) throws -> Int { Int(try s.db.scalarInt(sql) ?? 0) }

    @Test(arguments: StoreBackend.allCases) func funnelPerDayMatchesHandAndSQLCounts(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try workedStore(dir)
        let days = try s.funnelDays()
        #expect(days.map(\.date.description) == ["2026-11-20", "2026-11-21"])
        #expect(days.map(\.cases) == [2, 1])
        #expect(days.map(\.detections) == [3, 1])
        #expect(days.map(\.confirmed) == [1, 1])
        #expect(days.map(\.closed) == [1, 0])
        #expect(days.map(\.dismissed) == [1, 0])
        let offset = s.clock.offsetSeconds
        for d in days {
            let day = d.date.days
            #expect(d.cases == (try count(s, "SELECT count(*) FROM cases WHERE superseded = 0 AND case_day = \(day)")))
            #expect(d.detections == (try count(s, """
                SELECT count(*) FROM violations WHERE case_id IN (SELECT case_id FROM cases WHERE superseded = 0)
                AND start_unix >= \(day * 86_400 - offset) AND start_unix < \((day + 1) * 86_400 - offset)
                """)))
            #expect(d.cameraEvents == (try count(s, """
                SELECT count(*) FROM camera_events
                WHERE at_unix >= \(day * 86_400 - offset) AND at_unix < \((day + 1) * 86_400 - offset)
                """)))
            #expect(d.confirmed == (try count(s, """
                SELECT count(DISTINCT c.case_id) FROM cases c JOIN case_events e ON e.case_id = c.case_id
                WHERE c.superseded = 0 AND c.case_day = \(day) AND e.to_status = 'dispatched'
                """)))
            #expect(d.dismissed == (try count(s, """
                SELECT count(*) FROM cases WHERE superseded = 0 AND case_day = \(day) AND status = 'dismissed'
                """)))
        }
        let reasons = try s.dismissalReasons()
        #expect(reasons.count == 1)
        #expect(reasons.first?.reason == "duplicate of C-1")
        #expect(reasons.first?.count == 1)
        #expect(try s.funnelDays(from: LocalDate(year: 2026, month: 11, day: 21)).map(\.cases) == [1])
    }

    @Test(arguments: StoreBackend.allCases) func reopenedCaseLeavesClosedAndDismissed(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try workedStore(dir)
        try s.setStatus(caseID: ids[1], to: .open, actor: "li", note: "new evidence")
        try s.setStatus(caseID: ids[0], to: .open, actor: "li", note: nil)
        let day = try #require(try s.funnelDays().first)
        #expect((day.cases, day.confirmed, day.closed, day.dismissed) == (2, 1, 0, 0))
        #expect(try s.dismissalReasons().isEmpty)
    }

    @Test(arguments: StoreBackend.allCases, LeagueDimension.allCases)
    func leagueCountsMatchSQLCounts(backend: StoreBackend, dimension: LeagueDimension) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try workedStore(dir)
        let rows = try s.leagueCounts(dimension)
        let (tripKey, tripJoin, caseKey, caseJoin) = CaseStore.leagueKeys(dimension)
        let names = Set(try strings(s, "SELECT DISTINCT \(tripKey) FROM trips t \(tripJoin) WHERE \(tripKey) IS NOT NULL")
            + strings(s, "SELECT DISTINCT \(caseKey) FROM cases c \(caseJoin) WHERE c.superseded = 0 AND \(caseKey) IS NOT NULL"))
        #expect(Set(rows.map(\.name)) == names)
        for r in rows {
            let n = r.name.replacingOccurrences(of: "'", with: "''")
            #expect(r.trips == (try count(s, "SELECT count(*) FROM trips t \(tripJoin) WHERE \(tripKey) = '\(n)'")))
            #expect(r.openCases == (try count(s, """
                SELECT count(*) FROM cases c \(caseJoin) WHERE \(caseKey) = '\(n)' AND c.superseded = 0
                AND c.status NOT IN ('resolved', 'dismissed', 'closed')
                """)))
            for type in ViolationType.allCases {
                #expect((r.violations[type] ?? 0) == (try count(s, """
                    SELECT count(*) FROM cases c \(caseJoin) JOIN violations v ON v.case_id = c.case_id
                    WHERE \(caseKey) = '\(n)' AND c.superseded = 0 AND v.type = '\(type.rawValue)'
                    """)))
            }
        }
    }

    @Test(arguments: StoreBackend.allCases) func leagueByVehicleAndCompanyByHand(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try workedStore(dir)
        let vehicles = Dictionary(uniqueKeysWithValues: try s.leagueCounts(.vehicle).map { ($0.name, $0) })
        #expect(vehicles["渝F12345"]?.trips == 1)
        #expect(vehicles["渝F12345"]?.violations == [.illegalDump: 1, .unsealed: 1])
        #expect(vehicles["渝F12345"]?.openCases == 0)
        #expect(vehicles["渝F67890"]?.trips == 2)
        #expect(vehicles["渝F67890"]?.violations == [.noPermit: 1, .speeding: 1])
        #expect(vehicles["渝F67890"]?.openCases == 1)
        let companies = Dictionary(uniqueKeysWithValues: try s.leagueCounts(.company).map { ($0.name, $0) })
        // The sample run writes no vehicle registry: every trip is an unregistered vehicle's.
        #expect(companies[CaseStore.unregisteredCompany]?.trips == 3)
        #expect(companies["渝运公司"]?.trips == 0)
        #expect(companies["渝运公司"]?.violations.values.reduce(0, +) == 2)
        #expect(try s.leagueCounts(.driver).isEmpty)
    }

    @Test(arguments: StoreBackend.allCases) func latestRunIsTheNewest(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try CaseStore(path: dir.storePath, now: { night })
        #expect(try s.latestRun() == nil)
        try s.write(sampleRun())
        let first = try #require(try s.latestRun())
        try s.write(sampleRun())
        #expect(try s.latestRun()?.id == first.id + 1)
    }

    func strings(_ s: CaseStore, _ sql: String) throws -> [String] {
        let st = try s.db.prepare(sql)
        var out: [String] = []
        while try st.step() { out.append(st.text(0)) }
        return out
    }
}
