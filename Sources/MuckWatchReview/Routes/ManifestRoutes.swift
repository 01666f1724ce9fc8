import Hummingbird
import MuckWatchStore

/// `GET /manifests`: every manifest with its state, the trip it matched and its case, filtered and
/// paged like the case list (`ManifestListModel`). Any logged-in user may read it; links to cases
/// follow the case rules.
struct ManifestRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let fences: FenceCache
    let pageSize: Int

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/manifests") { request, context in try await list(request, context) }
    }

    func list(_ request: Request, _ context: ReviewContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        let query = ManifestListQuery(request.uri.queryParameters), size = pageSize
        let (listing, clock) = try await store.with { s throws(StoreError) in
            (try ManifestListing.load(query, pageSize: size, from: s), s.clock)
        }
        let model = ManifestListModel(query, listing: listing, viewer: session.user,
                                      names: FenceNames(try await fences.shapes(store)), clock: clock, pageSize: size)
        return renderer.page("manifests", model, title: "Manifests", session: session)
    }
}
