public import MuckWatchCore

/// The officers' status workflow: open → dispatched → resolved | dismissed → closed,
/// plus reopening (→ open) from resolved, dismissed or closed, and (issue #26) a supervisor's
/// evaluation sending a resolved (= handled on site) case back to dispatched, with a reason.
///
/// Kept as data in one place so the CLI can show the allowed next steps and the store
/// can refuse anything else with a message naming them.
public enum CaseWorkflow {
    public static func allowedTargets(from status: Case.Status) -> [Case.Status] {
        switch status {
        case .open: return [.dispatched, .dismissed]
        case .dispatched: return [.resolved, .dismissed]
        case .resolved: return [.closed, .open, .dispatched]
        case .dismissed: return [.closed, .open]
        case .closed: return [.open]
        }
    }

    public static func allows(from: Case.Status, to: Case.Status) -> Bool {
        allowedTargets(from: from).contains(to)
    }

    /// Statuses whose change must carry a note (a dismissal must say why).
    public static func needsNote(_ to: Case.Status) -> Bool { to == .dismissed }

    /// Whether the step `from` → `to` must carry a note: a dismissal, and a handled case sent back.
    public static func needsNote(from: Case.Status, to: Case.Status) -> Bool {
        needsNote(to) || (from == .resolved && to == .dispatched)
    }
}
