import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore

extension CasePageModel {
    /// A workflow button: the form that moves the case to `to`.
    struct Action { var caseID: String; var to: String; var label: String; var needsNote: Bool; var csrf: String }

    /// The steps the workflow allows from the case's status, when the viewer's role may act at all.
    static func actions(_ c: StoredCase, viewer: Viewer) -> [Action] {
        guard viewer.user.role.acts else { return [] }
        return CaseWorkflow.allowedTargets(from: c.status).map {
            // Issue #26: back from resolved to dispatched is a handled case sent back, with a reason.
            let label = c.status == .resolved && $0 == .dispatched ? "Send back 退回重办" : Labels.action($0)
            return Action(caseID: c.caseID, to: $0.rawValue, label: label,
                          needsNote: CaseWorkflow.needsNote(from: c.status, to: $0), csrf: viewer.csrf)
        }
    }
}
