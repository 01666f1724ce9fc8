import Hummingbird
import MuckWatchStore

/// `GET /cases`: filters, sorting, paging and per-status counts over the cases the user may see
/// (`CaseListModel`).
struct CaseListRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let pageSize: Int
    /// Issue #26: the deadlines behind the rows' overdue marks.
    var field = FieldSettings()

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/") { _, _ in Renderer.redirect("/cases") }
        group.get("/cases") { request, context in try await list(request, context) }
    }

    func list(_ request: Request, _ context: ReviewContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        var query = CaseListQuery(request.uri.queryParameters)
        query.restrict(to: session.user)
        let q = query, size = pageSize
        let (listing, times, now, clock) = try await store.with { s throws(StoreError) in
            let listing = try CaseListing.load(q, pageSize: size, from: s)
            return (listing, try s.caseTimes(.ids(listing.rows.map(\.caseID))), s.currentTime(), s.clock)
        }
        var model = CaseListModel(query, listing: listing, user: session.user, pageSize: size)
        model.markDeadlines(times, policy: field.deadlines, now: now, clock: clock)
        return renderer.page("cases", model, title: "Cases", session: session)
    }
}
