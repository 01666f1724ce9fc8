import Foundation
import Hummingbird
import MuckWatchCore
import MuckWatchStore

/// The listing a `/cases` URL asks for; unknown values are reported, not guessed at.
struct CaseListQuery {
    var filter = CaseFilter()
    var sort = CaseSort.date
    var descending = true
    var page = 1
    var problems: [String] = []
    /// The raw parameters, to rebuild links that keep the filters.
    var parameters: [(String, String)] = []

    /// From a request's query parameters (percent-decoded; the first of repeated keys counts).
    init(_ q: Parameters) {
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

    /// Narrows the filter to what `user` may see: an officer only their departments' cases.
    mutating func restrict(to user: User) {
        if !user.role.seesAll { filter.visibleDepartments = user.departments }
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
