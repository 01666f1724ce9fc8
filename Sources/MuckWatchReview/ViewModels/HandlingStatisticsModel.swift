import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore

/// The statistics page's handling figures (partial `handling-stats`, issue #26): per
/// department and week, time to dispatch, time to handle, share on time and cases sent back;
/// and the cases overdue now per department.
struct HandlingStatisticsModel {
    struct Row { var department, week, dispatched, handled, toDispatch, toHandle, onTime, sentBack: String }
    struct DepartmentCount { var department: String; var count: Int }

    var rows: [Row]
    var hasRows: Bool
    var overdue: [DepartmentCount]
    var overdueTotal: Int

    init(weeks: [DepartmentWeek], overdue: [OverdueCase]) {
        rows = weeks.map { w in
            Row(department: w.department, week: w.weekStart.description, dispatched: String(w.dispatched),
                handled: String(w.handled), toDispatch: Labels.hours(w.meanDispatchSeconds),
                toHandle: Labels.hours(w.meanHandleSeconds),
                onTime: w.shareOnTime.map(Labels.percent) ?? "—", sentBack: String(w.sentBack))
        }
        hasRows = !rows.isEmpty
        self.overdue = HandlingFigures.countsByDepartment(overdue).map { DepartmentCount(department: $0.department, count: $0.count) }
        overdueTotal = overdue.count
    }
}

extension HandlingStatisticsModel {
    /// The figures of every case ever dispatched and the cases overdue now, under `policy`.
    static func load(from s: CaseStore, policy: DeadlinePolicy) throws(StoreError) -> HandlingStatisticsModel {
        let weeks = HandlingFigures.weekly(try s.caseTimes(.everDispatched), policy: policy, clock: s.clock)
        let overdue = HandlingFigures.overdue(try s.caseTimes(.statuses([.open, .dispatched])), policy: policy,
                                              now: s.currentTime())
        return HandlingStatisticsModel(weeks: weeks, overdue: overdue)
    }
}
