import Hummingbird
import MuckWatchCore
import MuckWatchStore

/// `POST /cases/:id/status`: moves a case through the workflow. The store checks the transition and
/// writes the audit row in the same transaction; this route checks who may do it.
struct WorkflowRoutes {
    let store: ReviewStore
    let renderer: Renderer
    let detail: CaseDetailRoutes

    struct StatusForm: Decodable {
        var to: String?
        var note: String?
        var csrf: String?
    }

    func add(to group: RouterGroup<ReviewContext>) {
        group.post("/cases/:id/status") { request, context in try await change(request, context) }
    }

    func change(_ request: Request, _ context: ReviewContext) async throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        let id = context.parameters.get("id") ?? ""
        let form = try await decodeForm(StatusForm.self, request, context)
        guard form.csrf == session.csrf else {
            return renderer.problem(.forbidden, "This form has expired or did not come from this app; "
                + "reload the case page and try again.", session: session)
        }
        guard session.user.role.acts else {
            return renderer.problem(.forbidden, "Auditors cannot change cases.", session: session)
        }
        let departments = try await store.with { s throws(StoreError) in try s.loadCase(id: id)?.departments }
        guard let departments else {
            return renderer.problem(.notFound, "There is no case \(id).", session: session)
        }
        guard session.user.canSee(caseDepartments: departments) else {
            return renderer.problem(.forbidden, "Case \(id) is not routed to your department.", session: session)
        }
        guard let target = form.to.flatMap(Case.Status.init(rawValue:)) else {
            return try await detail.show(id, context, message: "Unknown status “\(form.to ?? "")”.", status: .badRequest)
        }
        let note = form.note.map { String($0.prefix(2000)) }
        if let (message, status) = try await move(id, to: target, actor: session.user.name, note: note) {
            return try await detail.show(id, context, message: message, status: status)
        }
        return Renderer.redirect("/cases/" + id)
    }

    /// Asks the store for the step; a step the workflow refuses comes back as the message and status
    /// to show on the case page, any other store failure is thrown.
    func move(_ id: String, to target: Case.Status, actor: String, note: String?) async throws
        -> (String, HTTPResponse.Status)? {
        try await store.with { s throws(StoreError) -> (String, HTTPResponse.Status)? in
            do throws(StoreError) {
                try s.setStatus(caseID: id, to: target, actor: actor, note: note)
                return nil
            } catch {
                switch error {
                case let .noteRequired(_, to):
                    return (to == .dismissed ? "A dismissal needs a reason." : "Sending a case back needs a reason.", .badRequest)
                case .invalidTransition: return (error.description, .conflict)
                default: throw error
                }
            }
        }
    }
}
