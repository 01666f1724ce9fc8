import Foundation
import Hummingbird
import MuckWatchCore
import MuckWatchStore

/// `POST /cases/:id/handling`: an officer records the outcome of a dispatched case (处置结果),
/// which moves it to resolved (issue #26). The store checks the status and writes the audit row.
struct HandlingRoutes {
    let store: ReviewStore
    let detail: CaseDetailRoutes

    struct HandlingForm: Decodable, CSRFCarrying {
        var outcome: String?
        var penalty_yuan: String?
        var document_number: String?
        var transferred_to: String?
        var note: String?
        var csrf: String?
    }

    func add(to group: RouterGroup<ReviewContext>) {
        group.post("/cases/:id/handling") { request, context in try await record(request, context) }
    }

    func record(_ request: Request, _ context: ReviewContext) async throws -> Response {
        let (session, id, form) = try await FieldAccess(store: store).post(HandlingForm.self, request, context)
        guard let outcome = form.outcome.flatMap(HandlingOutcome.init(rawValue:)) else {
            return try await detail.show(id, context, message: "Choose an outcome 处置结果.", status: .badRequest)
        }
        func text(_ s: String?, _ limit: Int) -> String? {
            s.map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit)) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let penaltyText = text(form.penalty_yuan, 32)
        let penalty = penaltyText.flatMap { Double($0.replacingOccurrences(of: ",", with: "")) }
        if penaltyText != nil, penalty == nil {
            return try await detail.show(id, context, message: "The penalty “\(penaltyText!)” is not a number of yuan.",
                                         status: .badRequest)
        }
        let handling = Handling(outcome: outcome, penaltyYuan: outcome == .penaltyIssued ? penalty : nil,
                                documentNumber: outcome == .penaltyIssued ? text(form.document_number, 100) : nil,
                                transferredTo: outcome == .transferred ? text(form.transferred_to, 100) : nil,
                                note: text(form.note, 2000))
        let actor = session.user.name
        let refusal = try await store.attempt({ s throws(StoreError) in try s.recordHandling(caseID: id, handling, actor: actor) }) {
            switch $0 {
            case let .refused(_, reason): (reason, .badRequest)
            case .invalidTransition: ("Only a dispatched case can be handled: \($0.description).", .conflict)
            default: nil
            }
        }
        if let (message, status) = refusal { return try await detail.show(id, context, message: message, status: status) }
        return Renderer.redirect("/cases/\(id)#field")
    }
}
