import Hummingbird
import MuckWatchCore
import MuckWatchStore

/// The listing a `/cases` URL asks for; unknown values are reported, not guessed at.
struct CaseListQuery {
    var filter = CaseFilter()
    var sort = CaseSort.date
    var descending = true
    var page: Int { parameters.page }
    var problems: [String] { parameters.problems }
    /// The raw parameters, to rebuild links that keep the filters.
    var parameters: ListParameters

    /// From a request's query parameters (percent-decoded; the first of repeated keys counts).
    init(_ q: Parameters) {
        var p = ListParameters(path: "/cases", q)
        filter.status = p.value("status", "status", Case.Status.init(rawValue:))
        filter.type = p.value("type", "violation type", ViolationType.init(rawValue:))
        filter.department = p.text("department")
        filter.company = p.text("company")
        filter.vehicle = p.text("vehicle")
        filter.dateFrom = p.date("from")
        filter.dateTo = p.date("to")
        sort = p.value("sort", "sort", CaseSort.init(rawValue:)) ?? .date
        if let v = p.text("dir") { descending = v != "asc" }
        if p.text("superseded") == "1" { filter.includeSuperseded = true }
        parameters = p
    }

    /// Narrows the filter to what `user` may see: an officer only their departments' cases.
    mutating func restrict(to user: User) {
        if !user.role.seesAll { filter.visibleDepartments = user.departments }
    }

    /// This listing's URL with some parameters replaced (`nil` removes one).
    func link(_ changes: [String: String?]) -> String { parameters.link(changes) }
}
