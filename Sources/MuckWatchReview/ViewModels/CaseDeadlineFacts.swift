import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore

/// What the lists and pages say about a case's deadline: how old it is, and whether the step
/// it waits for is overdue (issue #26).
struct CaseDeadlineFacts {
    /// Since the case was found: `5.5 h`, `3 d 4 h`.
    var age: String
    /// `dispatch overdue 2.0 h` / `handling overdue 1 d 2 h`; `nil` when in time or not waiting.
    var overdue: String?
    /// `dispatch by 2026-11-21 10:00:00` / `handle by …`.
    var due: String?

    init(_ t: CaseTimes, policy: DeadlinePolicy, now: Int64, clock: LocalClock) {
        age = Labels.duration(now - t.clock.found)
        let deadline = t.clock.due(t.status, policy.limits(departments: t.departments, types: t.types))
        due = deadline.map { "\($0.step == .dispatch ? "dispatch" : "handle") by \(Labels.time($0.due, clock))" }
        overdue = deadline.flatMap { d in
            d.isOverdue(at: now) ? "\(d.step == .dispatch ? "dispatch" : "handling") overdue \(Labels.duration(now - d.due))" : nil
        }
    }
}

extension CaseListModel {
    /// Marks the page's rows with their age and overdue deadline (issue #26).
    mutating func markDeadlines(_ times: [CaseTimes], policy: DeadlinePolicy, now: Int64, clock: LocalClock) {
        let byID = Dictionary(times.map { ($0.caseID, $0) }, uniquingKeysWith: { a, _ in a })
        for i in rows.indices {
            guard let t = byID[rows[i].id] else { continue }
            let facts = CaseDeadlineFacts(t, policy: policy, now: now, clock: clock)
            rows[i].age = facts.age
            rows[i].overdue = facts.overdue
        }
    }
}
