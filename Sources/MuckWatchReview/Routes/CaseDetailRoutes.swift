import Hummingbird
import MuckWatchJournal
import MuckWatchStore

/// `GET /cases/:id`: the case page (`CasePageModel`), for the users the case is routed to.
struct CaseDetailRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let fences: FenceCache
    /// The tile server the case map draws on, when `serve --tiles` named one (issue #21).
    var basemap: Basemap? = nil
    /// Issue #26: deadlines and photo limits of the page's field section.
    var field = FieldSettings()
    /// Issue #24: the gateway's journal, when `serve --journal` named one (its indexes cached here).
    var journal: JournalWindowReader? = nil

    func add(to group: RouterGroup<ReviewContext>) {
        group.get("/cases/:id") { request, context in
            try await show(context.parameters.get("id") ?? "", context, message: nil, status: .ok)
        }
    }

    /// The case page, with `message` saying why an action on it was refused (and `status` to match).
    func show(_ id: String, _ context: ReviewContext, message: String?, status: HTTPResponse.Status) async throws
        -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        guard id.utf8.count <= 64,
              var record = try await store.with({ s throws(StoreError) in try CaseRecord.load(id, from: s) }) else {
            return renderer.problem(.notFound, "There is no case \(id).", session: session)
        }
        let departments = record.stored.departments
        guard session.user.canSee(caseDepartments: departments) else {
            return renderer.problem(.forbidden, "Case \(id) is routed to \(departments.joined(separator: ", ")), "
                + "not to your department.", session: session)
        }
        record.journal = JournalEvidence.load(record.stored, from: journal)
        var model = CasePageModel(record, shapes: try await fences.shapes(store), viewer: Viewer(session),
                                  message: message)
        model.basemap = basemap.map { CasePageModel.BasemapTag(tiles: $0.template, datum: $0.datum.rawValue) }
        let fieldRecord = try await store.with { s throws(StoreError) in try CaseFieldModel.Record.load(id, from: s) }
        model.field = CaseFieldModel(record.stored, fieldRecord, viewer: Viewer(session), settings: field, clock: record.clock)
        return renderer.page("case", model, title: "Case \(id)", session: session, status: status)
    }
}
