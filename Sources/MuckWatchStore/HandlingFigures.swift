public import MuckWatchCore
public import MuckWatchJudge

/// One department's week of handling: how fast its cases were dispatched and handled, how many
/// within their deadlines, how many sent back (issue #26). The week is the one the case was
/// first dispatched in (local time, weeks from Monday).
public struct DepartmentWeek: Sendable, Equatable {
    public var department: String
    public var weekStart: LocalDate
    /// Cases first dispatched that week.
    public var dispatched: Int
    /// Of those, handled (the latest dispatch followed by a handling).
    public var handled: Int
    public var onTime: Int
    public var sentBack: Int
    /// Mean seconds from found to first dispatch, over `dispatched`.
    public var meanDispatchSeconds: Double?
    /// Mean seconds from latest dispatch to handling, over `handled`.
    public var meanHandleSeconds: Double?

    /// `onTime` of `handled`; `nil` before any case is handled.
    public var shareOnTime: Double? { handled == 0 ? nil : Double(onTime) / Double(handled) }
}

/// A case waiting past its deadline.
public struct OverdueCase: Sendable, Equatable {
    public var times: CaseTimes
    public var deadline: Deadline
}

/// Deadlines applied to `CaseTimes`: the figures pages and APIs show. No SQL here: the store
/// reads the times, this applies a `DeadlinePolicy` to them.
public enum HandlingFigures {
    /// The Monday of the week `t` falls in, in `clock`'s zone.
    public static func weekStart(_ t: Int64, _ clock: LocalClock) -> LocalDate {
        let day = clock.date(of: t).days
        // Day 0 (1970-01-01) was a Thursday: +3 makes Monday 0.
        let weekday = ((day + 3) % 7 + 7) % 7
        return LocalDate(days: day - weekday)
    }

    /// Per department (a case routed to two counts in both) and week, departments by name, newest week first.
    public static func weekly(_ cases: [CaseTimes], policy: DeadlinePolicy, clock: LocalClock) -> [DepartmentWeek] {
        struct Key: Hashable { var department: String; var week: LocalDate }
        struct Sums { var dispatched = 0, handled = 0, onTime = 0, sentBack = 0; var dispatchS: Int64 = 0, handleS: Int64 = 0 }
        var sums: [Key: Sums] = [:]
        for c in cases {
            guard let first = c.clock.firstDispatch, let toDispatch = c.clock.timeToDispatch else { continue }
            let limits = policy.limits(departments: c.departments, types: c.types)
            for d in c.departments {
                let key = Key(department: d, week: weekStart(first, clock))
                var s = sums[key] ?? Sums()
                s.dispatched += 1
                s.dispatchS += toDispatch
                s.sentBack += c.sentBack
                if let toHandle = c.clock.timeToHandle {
                    s.handled += 1
                    s.handleS += toHandle
                    if c.clock.onTime(limits) == true { s.onTime += 1 }
                }
                sums[key] = s
            }
        }
        return sums.map { key, s in
            DepartmentWeek(department: key.department, weekStart: key.week, dispatched: s.dispatched, handled: s.handled,
                           onTime: s.onTime, sentBack: s.sentBack,
                           meanDispatchSeconds: Double(s.dispatchS) / Double(s.dispatched),
                           meanHandleSeconds: s.handled == 0 ? nil : Double(s.handleS) / Double(s.handled))
        }.sorted { ($0.department, -$0.weekStart.days) < ($1.department, -$1.weekStart.days) }
    }

    /// The cases of `cases` past their deadline at `now`, most overdue first.
    public static func overdue(_ cases: [CaseTimes], policy: DeadlinePolicy, now: Int64) -> [OverdueCase] {
        cases.compactMap { c in
            guard let d = c.clock.due(c.status, policy.limits(departments: c.departments, types: c.types)),
                  d.isOverdue(at: now) else { return nil }
            return OverdueCase(times: c, deadline: d)
        }.sorted { ($0.deadline.due, $0.times.caseID) < ($1.deadline.due, $1.times.caseID) }
    }

    /// How many of `overdue` each department has, by name.
    public static func countsByDepartment(_ overdue: [OverdueCase]) -> [(department: String, count: Int)] {
        var counts: [String: Int] = [:]
        for o in overdue { for d in o.times.departments { counts[d, default: 0] += 1 } }
        return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
