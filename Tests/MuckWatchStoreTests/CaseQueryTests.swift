import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

@Suite struct CaseQueryTests {
    func ids(_ s: CaseStore, _ f: CaseFilter, limit: Int? = nil) throws -> [String] {
        try s.listCases(f, limit: limit).map(\.caseID)
    }

    @Test(arguments: StoreBackend.allCases) func filters(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try CaseStore(path: dir.storePath, now: { night })
        try s.write(sampleRun())
        let (c1, c2, c3) = ("C-20261120-0001", "C-20261120-0002", "C-20261120-0003")
        // Newest date first, then by id.
        #expect(try ids(s, CaseFilter()) == [c3, c1, c2])
        #expect(try ids(s, CaseFilter(), limit: 2) == [c3, c1])
        #expect(try ids(s, CaseFilter(type: .illegalDump)) == [c1])
        #expect(try ids(s, CaseFilter(type: .overload)) == [])
        #expect(try ids(s, CaseFilter(department: "city_management")) == [c1, c2])
        #expect(try ids(s, CaseFilter(department: "housing_construction")) == [c2])
        #expect(try ids(s, CaseFilter(company: "渝运公司")) == [c1])
        #expect(try ids(s, CaseFilter(vehicle: "渝F67890")) == [c3, c2])
        let d20 = LocalDate(year: 2026, month: 11, day: 20), d21 = LocalDate(year: 2026, month: 11, day: 21)
        #expect(try ids(s, CaseFilter(dateFrom: d21)) == [c3])
        #expect(try ids(s, CaseFilter(dateTo: d20)) == [c1, c2])
        #expect(try ids(s, CaseFilter(dateFrom: d20, dateTo: d20)) == [c1, c2])
        #expect(try ids(s, CaseFilter(type: .noPermit, department: "city_management", vehicle: "渝F67890")) == [c2])
        try s.setStatus(caseID: c2, to: .dispatched, actor: "a", note: nil)
        #expect(try ids(s, CaseFilter(status: .dispatched)) == [c2])
        #expect(try ids(s, CaseFilter(status: .open)) == [c3, c1])
    }

    @Test(arguments: StoreBackend.allCases) func summaryRowContent(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try CaseStore(path: dir.storePath, now: { night })
        try s.write(sampleRun())
        let rows = try s.listCases(CaseFilter())
        let r1 = try #require(rows.first { $0.caseID == "C-20261120-0001" })
        #expect(r1 == CaseSummaryRow(caseID: "C-20261120-0001", vehicleID: "渝F12345", company: "渝运公司",
                                     status: .open, departments: ["city_management"],
                                     date: LocalDate(year: 2026, month: 11, day: 20),
                                     violationTypes: [.illegalDump, .unsealed], sourceSite: "S-03",
                                     disposalSite: nil, superseded: false))
        let r2 = try #require(rows.first { $0.caseID == "C-20261120-0002" })
        #expect(r2.departments == ["city_management", "housing_construction"])
        #expect(r2.company == nil)
        #expect(r2.sourceSite == nil && r2.disposalSite == "D-01")
        let r3 = try #require(rows.first { $0.caseID == "C-20261120-0003" })
        #expect(r3.sourceSite == nil && r3.disposalSite == nil)
        #expect(r3.violationTypes == [.speeding])
    }

    @Test func queriesUseTheIndexes() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let s = try CaseStore(path: dir.storePath)
        func plan(_ sql: String) throws -> String {
            let p = try s.db.prepare("EXPLAIN QUERY PLAN " + sql)
            var lines: [String] = []
            while try p.step() { lines.append(p.text(3)) }
            return lines.joined(separator: "\n")
        }
        #expect(try plan("SELECT * FROM cases WHERE status = 'open'").contains("cases_status"))
        #expect(try plan("SELECT * FROM cases WHERE company = 'x'").contains("cases_company"))
        #expect(try plan("SELECT * FROM cases WHERE vehicle_id = 'x'").contains("cases_vehicle"))
        #expect(try plan("SELECT * FROM cases WHERE case_day BETWEEN 1 AND 2").contains("cases_day"))
        // The list's filters by violation type and department look a case's rows up by its id
        // (the type from the index alone).
        #expect(try plan("SELECT 1 FROM cases c WHERE EXISTS (SELECT 1 FROM violations v WHERE v.case_id = c.case_id"
            + " AND v.type = 'speeding')").contains("COVERING INDEX violations_case"))
        #expect(try plan("SELECT 1 FROM cases c WHERE EXISTS (SELECT 1 FROM case_departments d"
            + " WHERE d.case_id = c.case_id AND d.department = 'x')").contains("PRIMARY KEY"))
    }
}
