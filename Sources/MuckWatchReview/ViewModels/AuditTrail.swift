import MuckWatchCore
import MuckWatchStore

extension CasePageModel {
    /// One row of the audit trail; absent statuses and notes are blank cells.
    struct EventRow { var at, actor, action, from, to, note: String }
}

extension CasePageModel.EventRow {
    init(_ e: CaseEvent, clock: LocalClock) {
        self.init(at: Labels.time(e.at, clock), actor: e.actor, action: e.action, from: e.fromStatus?.rawValue ?? "",
                  to: e.toStatus?.rawValue ?? "", note: e.note ?? "")
    }
}
