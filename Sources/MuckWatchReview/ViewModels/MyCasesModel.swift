import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore

/// What My cases shows (template `my`, issue #26): the cases dispatched to the officer's
/// departments (every department's, for supervisors and auditors), oldest dispatch first, as
/// cards with the dump point's position (for the distance script) and map-app links.
struct MyCasesModel {
    struct Card {
        var id, vehicle, place, status, statusLabel, age, dispatched: String
        var types: [CaseListModel.TypeTag]
        var overdue: String?, due: String?
        var lat, lon: String
        var links: MapLinks?
    }

    var scope: String
    var count: Int
    var overdueCount: Int
    /// Mustache treats 0 as a value, not as false: the badge shows only when some card is overdue.
    var hasOverdue: Bool
    var cards: [Card]

    init(_ cases: [CaseTimes], user: User, policy: DeadlinePolicy, now: Int64, clock: LocalClock, names: FenceNames) {
        scope = user.role.seesAll ? "every department" : user.departments.joined(separator: ", ")
        cards = cases.map { t in
            let facts = CaseDeadlineFacts(t, policy: policy, now: now, clock: clock)
            let place = t.disposalSite.map { names.label($0) ?? $0 } ?? t.sourceSite.map { names.label($0) ?? $0 } ?? "—"
            return Card(id: t.caseID, vehicle: t.vehicleID, place: place, status: t.status.rawValue,
                        statusLabel: Labels.status(t.status), age: facts.age,
                        dispatched: t.clock.lastDispatch.map { Labels.time($0, clock) } ?? "—",
                        types: t.types.map { CaseListModel.TypeTag(value: $0.rawValue, label: Labels.violation($0)) },
                        overdue: facts.overdue, due: facts.due,
                        lat: t.lat.map { String($0) } ?? "", lon: t.lon.map { String($0) } ?? "",
                        links: MapLinks(lat: t.lat, lon: t.lon, label: "\(t.caseID) \(t.vehicleID)"))
        }
        count = cards.count
        overdueCount = cards.filter { $0.overdue != nil }.count
        hasOverdue = overdueCount > 0
    }
}

/// What the overdue page shows (template `overdue`): the cases past a deadline, most overdue
/// first, and how many each department has (issue #26).
struct OverdueModel {
    struct Row { var id, vehicle, departments, step, due, late, status: String }
    struct DepartmentCount { var department: String; var count: Int }

    var count: Int
    var departments: [DepartmentCount]
    var rows: [Row]
    var policy: String

    init(_ overdue: [OverdueCase], policy: DeadlinePolicy, now: Int64, clock: LocalClock) {
        count = overdue.count
        departments = HandlingFigures.countsByDepartment(overdue).map { DepartmentCount(department: $0.department, count: $0.count) }
        rows = overdue.map { o in
            Row(id: o.times.caseID, vehicle: o.times.vehicleID, departments: o.times.departments.joined(separator: ", "),
                step: o.deadline.step == .dispatch ? "dispatch 派单" : "handling 处置",
                due: Labels.time(o.deadline.due, clock), late: Labels.duration(now - o.deadline.due),
                status: o.times.status.rawValue)
        }
        self.policy = "dispatch within \(Labels.duration(policy.defaults.dispatchSeconds)), handle within "
            + "\(Labels.duration(policy.defaults.handleSeconds))"
            + (policy.rules.isEmpty ? "" : "; \(policy.rules.count) rule(s) per department or type")
    }
}
