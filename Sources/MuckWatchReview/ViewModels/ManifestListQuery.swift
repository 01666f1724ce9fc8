import Hummingbird
import MuckWatchCore
import MuckWatchStore

/// The listing a `/manifests` URL asks for; unknown values are reported, not guessed at.
struct ManifestListQuery {
    var filter = ManifestFilter()
    var page: Int { parameters.page }
    var problems: [String] { parameters.problems }
    var parameters: ListParameters

    /// From a request's query parameters; `date` is a shorthand for one day (`from` = `to`).
    init(_ q: Parameters) {
        var p = ListParameters(path: "/manifests", q)
        filter.state = p.value("state", "manifest state", ManifestState.init(rawValue:))
        filter.site = p.text("site")
        filter.company = p.text("company")
        filter.vehicle = p.text("vehicle")
        filter.driver = p.text("driver")
        if let day = p.date("date") {
            filter.dateFrom = day
            filter.dateTo = day
        }
        filter.dateFrom = p.date("from") ?? filter.dateFrom
        filter.dateTo = p.date("to") ?? filter.dateTo
        parameters = p
    }

    func link(_ changes: [String: String?]) -> String { parameters.link(changes) }
}
