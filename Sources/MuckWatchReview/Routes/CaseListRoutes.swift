import Hummingbird
import MuckWatchStore

/// `GET /cases`: filters, sorting, paging and per-status counts over the cases the user may see
/// (`CaseListModel`).
struct CaseListRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let pageSize: Int

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/") { _, _ in Renderer.redirect("/cases") }
        group.get("/cases") { request, context in try await list(request, context) }
    }

    func list(_ request: Request, _ context: ReviewContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        var query = CaseListQuery(request.uri.queryParameters)
        query.restrict(to: session.user)
        let q = query, size = pageSize
        let listing = try await store.with { s throws(StoreError) in try CaseListing.load(q, pageSize: size, from: s) }
        return renderer.page("cases", CaseListModel(query, listing: listing, user: session.user, pageSize: size),
                             title: "Cases", session: session)
    }
}
