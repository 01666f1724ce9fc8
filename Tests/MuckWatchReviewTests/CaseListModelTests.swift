import Hummingbird
import MuckWatchCore
@testable import MuckWatchReview
@testable import MuckWatchStore
import Testing

/// The case list's query and model built from a URL and store values: no router, no HTTP.
@Suite("Review app: case list model")
struct CaseListModelTests {
    static let officer = User(name: "wang", role: .officer, departments: ["city_management"], passwordHash: "")
    static let supervisor = User(name: "li", role: .supervisor, departments: [], passwordHash: "")

    static func row(_ id: String, types: [ViolationType] = [.overload]) -> CaseSummaryRow {
        CaseSummaryRow(caseID: id, vehicleID: "渝F12345", company: nil, status: .open,
                       departments: ["city_management"], date: LocalDate(year: 2026, month: 11, day: 18),
                       violationTypes: types, sourceSite: "CS-1", disposalSite: nil, superseded: true)
    }

    static let listing = CaseListing(counts: [.open: 120, .dismissed: 7], rows: [row("C-1"), row("C-2", types: [])],
                                     departments: ["city_management", "environment", "traffic_police"],
                                     companies: ["Shancheng Haulage"])

    @Test("The URL's filters are parsed; unknown values are reported and ignored")
    func query() {
        let q = CaseListQuery(["status": "open", "type": "bogus", "vehicle": " 渝F1 ", "from": "2026-11-01", "dir": "asc",
                               "page": "0"])
        #expect(q.filter.status == .open)
        #expect(q.filter.type == nil)
        #expect(q.filter.vehicle == "渝F1")
        #expect(q.filter.dateFrom == LocalDate(year: 2026, month: 11, day: 1))
        #expect(!q.descending)
        #expect(q.page == 1)
        #expect(q.problems == ["unknown violation type “bogus”"])
        #expect(q.link(["page": "2"]) == "/cases?status=open&type=bogus&vehicle=%E6%B8%9DF1&from=2026-11-01&dir=asc&page=2")
        #expect(q.link(["status": nil]) == "/cases?type=bogus&vehicle=%E6%B8%9DF1&from=2026-11-01&dir=asc")
    }

    @Test("An officer's filter is narrowed to their departments, a supervisor's is not")
    func restriction() {
        var q = CaseListQuery(["department": "traffic_police"])
        q.restrict(to: Self.supervisor)
        #expect(q.filter.visibleDepartments == nil)
        q.restrict(to: Self.officer)
        #expect(q.filter.visibleDepartments == ["city_management"])
        #expect(q.filter.department == "traffic_police")
    }

    @Test("Tabs count every status, the total follows the status filter, and the pager links keep the filters")
    func tabsAndPager() {
        let q = CaseListQuery(["status": "open", "sort": "vehicle", "page": "2"])
        let model = CaseListModel(q, listing: Self.listing, user: Self.supervisor, pageSize: 50)
        #expect(model.total == 120)
        #expect(model.statusTabs.map(\.count) == [127, 120, 0, 0, 7, 0])
        #expect(model.statusTabs.map(\.active) == [false, true, false, false, false, false])
        #expect(model.statusTabs[0].href == "/cases?sort=vehicle")
        #expect(model.statusTabs[4].href == "/cases?sort=vehicle&status=dismissed")
        #expect(model.pages == 3)
        #expect(model.previous == "/cases?status=open&sort=vehicle&page=1")
        #expect(model.next == "/cases?status=open&sort=vehicle&page=3")
        #expect(model.sorts.filter(\.selected).map(\.value) == ["vehicle"])
        #expect(model.status == "open")
    }

    @Test("The first and only page has no pager links; rows show placeholders for what is unknown")
    func rows() {
        let model = CaseListModel(CaseListQuery([:]), listing: Self.listing, user: Self.supervisor,
                                  pageSize: 200)
        #expect(model.total == 127 && model.pages == 1)
        #expect(model.previous == nil && model.next == nil)
        #expect(model.notice == nil)
        #expect(model.rows.map(\.id) == ["C-1", "C-2"])
        #expect(model.rows[0].company == "—" && model.rows[0].source == "CS-1" && model.rows[0].disposal == "?")
        #expect(model.rows[0].types.map(\.label) == ["overload 冒装"])
        #expect(model.rows[0].superseded)
        #expect(model.departments.map(\.value) == ["city_management", "environment", "traffic_police"])
    }

    @Test("The department menu offers an officer only their own departments")
    func officerMenu() {
        let model = CaseListModel(CaseListQuery(["department": "city_management", "type": "x"]), listing: Self.listing,
                                  user: Self.officer, pageSize: 50)
        #expect(model.departments.map(\.value) == ["city_management"])
        #expect(model.departments[0].selected)
        #expect(model.notice == "Ignored: unknown violation type “x”")
    }
}
