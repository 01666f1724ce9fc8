import Hummingbird
import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore

/// `POST /cases/:id/evaluation`: a supervisor closes a handled case as handled properly or
/// sends it back to dispatched with a reason (issue #26). Whether it was on time is judged here
/// from the audit trail's timestamps and the deadlines, and kept with the evaluation.
struct EvaluationRoutes {
    let store: ReviewStore
    let detail: CaseDetailRoutes
    let settings: FieldSettings

    struct EvaluationForm: Decodable, CSRFCarrying {
        var verdict: String?
        var reason: String?
        var csrf: String?
    }

    func add(to group: RouterGroup<ReviewContext>) {
        group.post("/cases/:id/evaluation") { request, context in try await evaluate(request, context) }
    }

    func evaluate(_ request: Request, _ context: ReviewContext) async throws -> Response {
        let (session, id, form) = try await FieldAccess(store: store).post(EvaluationForm.self, request, context)
        guard session.user.role == .supervisor else {
            throw HTTPError(.forbidden, message: "Only supervisors evaluate handled cases.")
        }
        guard let verdict = form.verdict.flatMap(EvaluationVerdict.init(rawValue:)) else {
            return try await detail.show(id, context, message: "Choose: handled properly, or send back.", status: .badRequest)
        }
        let reason = form.reason.map { String($0.prefix(2000)) }, actor = session.user.name, policy = settings.deadlines
        let refusal = try await store.attempt({ s throws(StoreError) in
            let onTime = try s.caseTimes(.ids([id])).first.flatMap {
                $0.clock.onTime(policy.limits(departments: $0.departments, types: $0.types))
            }
            try s.evaluate(caseID: id, verdict: verdict, onTime: onTime, reason: reason, actor: actor)
        }) {
            switch $0 {
            case .noteRequired: ("Sending a case back needs a reason 退回原因.", .badRequest)
            case .invalidTransition: ("Only a handled (resolved) case is evaluated: \($0.description).", .conflict)
            default: nil
            }
        }
        if let (message, status) = refusal { return try await detail.show(id, context, message: message, status: status) }
        return Renderer.redirect("/cases/\(id)#field")
    }
}
