import MuckWatchCore
import MuckWatchStore

/// What one `/cases` request read from the store: a page of rows, the per-status counts of the whole
/// filtered set, and the values the filter menus offer.
struct CaseListing: Sendable {
    var counts: [Case.Status: Int]
    var rows: [CaseSummaryRow]
    var departments: [String]
    var companies: [String]

    static func load(_ q: CaseListQuery, pageSize: Int, from s: CaseStore) throws(StoreError) -> CaseListing {
        CaseListing(counts: try s.countsByStatus(q.filter),
                    rows: try s.casePage(q.filter, sort: q.sort, descending: q.descending,
                                         offset: (q.page - 1) * pageSize, limit: pageSize),
                    departments: try s.caseDepartments(), companies: try s.caseCompanies())
    }
}

/// What the case list shows (template `cases`): status tabs with counts, the filter form as the URL
/// set it, one page of rows and the pager. The property names are the template's keys.
struct CaseListModel {
    struct TypeTag { var value: String; var label: String }
    struct Row {
        var id: String, date: String, vehicle: String, company: String, types: [TypeTag]
        var source: String, disposal: String, departments: String, status: String, superseded: Bool
        /// Issue #26: since when the case waits, and its overdue mark (`CaseDeadlineFacts`).
        var age: String? = nil, overdue: String? = nil
    }

    var total: Int, notice: String?, statusTabs: [ListTab], status: String?
    var types: [SelectOption], departments: [SelectOption], companies: [SelectOption], sorts: [SelectOption]
    var vehicle: String, from: String, to: String, descending: Bool
    var rows: [Row], page: Int, pages: Int, previous: String?, next: String?
    /// The Excel download of these filters (issue #21): the same file as `cases export --xlsx` with them.
    var xlsx: String

    init(_ query: CaseListQuery, listing: CaseListing, user: User, pageSize: Int) {
        let filter = query.filter
        total = ListTab.total(listing.counts, selected: filter.status)
        notice = query.parameters.notice
        statusTabs = ListTab.tabs(query.parameters, key: "status", selected: filter.status, counts: listing.counts,
                                 label: Labels.status)
        status = filter.status?.rawValue
        types = ViolationType.allCases.map {
            SelectOption(value: $0.rawValue, label: Labels.violation($0), selected: filter.type == $0)
        }
        // The menu offers an officer only their own departments: the filter cannot widen their view.
        let visibleDepartments = user.role.seesAll
            ? listing.departments : listing.departments.filter { user.departments.contains($0) }
        departments = visibleDepartments.map { SelectOption(value: $0, label: $0, selected: filter.department == $0) }
        companies = listing.companies.map { SelectOption(value: $0, label: $0, selected: filter.company == $0) }
        sorts = CaseSort.allCases.map { SelectOption(value: $0.rawValue, label: $0.rawValue, selected: query.sort == $0) }
        vehicle = filter.vehicle ?? ""
        xlsx = "/cases.xlsx" + query.link(["page": nil, "sort": nil, "dir": nil]).dropFirst("/cases".count)
        from = filter.dateFrom?.description ?? ""
        to = filter.dateTo?.description ?? ""
        descending = query.descending
        rows = listing.rows.map(Row.init)
        (page, pages, previous, next) = query.parameters.pager(total: total, pageSize: pageSize)
    }

}

extension CaseListModel.Row {
    init(_ r: CaseSummaryRow) {
        self.init(id: r.caseID, date: r.date.description, vehicle: r.vehicleID, company: r.company ?? "—",
                  types: r.violationTypes.map { CaseListModel.TypeTag(value: $0.rawValue, label: Labels.violation($0)) },
                  source: r.sourceSite ?? "?", disposal: r.disposalSite ?? "?",
                  departments: r.departments.joined(separator: ", "), status: r.status.rawValue,
                  superseded: r.superseded)
    }
}
