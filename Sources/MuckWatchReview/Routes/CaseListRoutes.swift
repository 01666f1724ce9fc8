import Foundation
import Hummingbird
import MuckWatchCore
import MuckWatchStore

/// `GET /cases`: filters, sorting, paging and per-status counts over the cases the user may see.
struct CaseListRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let pageSize: Int

    /// The listing a URL asks for; unknown values are reported, not guessed at.
    struct Query {
        var filter = CaseFilter()
        var sort = CaseSort.date
        var descending = true
        var page = 1
        var problems: [String] = []
        /// The raw parameters, to rebuild links that keep the filters.
        var parameters: [(String, String)] = []

        init(_ request: Request) {
            let uri = request.uri
            let q = uri.queryParameters
            func text(_ key: String) -> String? {
                guard let v = q.get(key)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
                parameters.append((key, v))
                return v
            }
            if let v = text("status") {
                if let s = Case.Status(rawValue: v) { filter.status = s } else { problems.append("unknown status “\(v)”") }
            }
            if let v = text("type") {
                if let t = ViolationType(rawValue: v) { filter.type = t } else { problems.append("unknown violation type “\(v)”") }
            }
            filter.department = text("department")
            filter.company = text("company")
            filter.vehicle = text("vehicle")
            if let v = text("from") {
                if let d = LocalDate(parsing: v) { filter.dateFrom = d } else { problems.append("“\(v)” is not a date (YYYY-MM-DD)") }
            }
            if let v = text("to") {
                if let d = LocalDate(parsing: v) { filter.dateTo = d } else { problems.append("“\(v)” is not a date (YYYY-MM-DD)") }
            }
            if let v = text("sort") {
                if let s = CaseSort(rawValue: v) { sort = s } else { problems.append("unknown sort “\(v)”") }
            }
            if let v = text("dir") { descending = v != "asc" }
            if let v = q.get("page"), let n = Int(v), n >= 1 { page = min(n, 1_000_000) }
            if text("superseded") == "1" { filter.includeSuperseded = true }
        }

        /// This listing's URL with some parameters replaced (`nil` removes one).
        func link(_ changes: [String: String?]) -> String {
            var items = parameters.filter { changes[$0.0] == nil }
            for (k, v) in changes.sorted(by: { $0.key < $1.key }) { if let v = v ?? nil { items.append((k, v)) } }
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))
            let query = items.map { k, v in k + "=" + (v.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }
            return "/cases" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }
    }

    struct Option { var value: String; var label: String; var selected: Bool }
    struct Tab { var href: String; var label: String; var count: Int; var active: Bool; var status: String }
    struct TypeTag { var value: String; var label: String }
    struct Row {
        var id: String, date: String, vehicle: String, company: String, types: [TypeTag]
        var source: String, disposal: String, departments: String, status: String, superseded: Bool
    }
    struct Page {
        var total: Int, notice: String?, statusTabs: [Tab], status: String?
        var types: [Option], departments: [Option], companies: [Option], sorts: [Option]
        var vehicle: String, from: String, to: String, descending: Bool
        var rows: [Row], page: Int, pages: Int, previous: String?, next: String?
    }

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/") { _, _ in Renderer.redirect("/cases") }
        group.get("/cases") { request, context in try await list(request, context) }
    }

    func list(_ request: Request, _ context: ReviewContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        var query = Query(request)
        let user = session.user
        if !user.role.seesAll { query.filter.visibleDepartments = user.departments }
        let q = query, size = pageSize
        let (counts, rows, total, departments, companies) = try await store.with { s throws(StoreError) in
            let counts = try s.countsByStatus(q.filter)
            let total = q.filter.status.map { counts[$0] ?? 0 } ?? counts.values.reduce(0, +)
            let rows = try s.casePage(q.filter, sort: q.sort, descending: q.descending,
                                      offset: (q.page - 1) * size, limit: size)
            return (counts, rows, total, try s.caseDepartments(), try s.caseCompanies())
        }
        let pages = max(1, (total + size - 1) / size)
        var tabs = [Tab(href: query.link(["status": nil, "page": nil]), label: "all 全部",
                        count: counts.values.reduce(0, +), active: query.filter.status == nil, status: "")]
        for st in Case.Status.allCases {
            tabs.append(Tab(href: query.link(["status": st.rawValue, "page": nil]), label: Labels.status(st),
                            count: counts[st] ?? 0, active: query.filter.status == st, status: st.rawValue))
        }
        let visibleDepartments = user.role.seesAll ? departments : departments.filter { user.departments.contains($0) }
        let page = Page(
            total: total,
            notice: query.problems.isEmpty ? nil : "Ignored: " + query.problems.joined(separator: "; "),
            statusTabs: tabs, status: query.filter.status?.rawValue,
            types: ViolationType.allCases.map {
                Option(value: $0.rawValue, label: Labels.violation($0), selected: query.filter.type == $0)
            },
            departments: visibleDepartments.map { Option(value: $0, label: $0, selected: query.filter.department == $0) },
            companies: companies.map { Option(value: $0, label: $0, selected: query.filter.company == $0) },
            sorts: CaseSort.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: query.sort == $0) },
            vehicle: query.filter.vehicle ?? "", from: query.filter.dateFrom?.description ?? "",
            to: query.filter.dateTo?.description ?? "", descending: query.descending,
            rows: rows.map { r in
                Row(id: r.caseID, date: r.date.description, vehicle: r.vehicleID, company: r.company ?? "—",
                    types: r.violationTypes.map { TypeTag(value: $0.rawValue, label: Labels.violation($0)) },
                    source: r.sourceSite ?? "?", disposal: r.disposalSite ?? "?",
                    departments: r.departments.joined(separator: ", "), status: r.status.rawValue,
                    superseded: r.superseded)
            },
            page: query.page, pages: pages,
            previous: query.page > 1 ? query.link(["page": String(query.page - 1)]) : nil,
            next: query.page < pages ? query.link(["page": String(query.page + 1)]) : nil)
        return renderer.page("cases", page, title: "Cases", session: session)
    }
}
