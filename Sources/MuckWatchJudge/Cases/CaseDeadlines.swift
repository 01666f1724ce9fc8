public import MuckWatchCore

/// How long a case may wait: from found to dispatched, and from dispatched to handled.
public struct DeadlineLimits: Sendable, Equatable {
    public var dispatchSeconds: Int64
    public var handleSeconds: Int64

    public init(dispatchSeconds: Int64, handleSeconds: Int64) {
        self.dispatchSeconds = dispatchSeconds
        self.handleSeconds = handleSeconds
    }

    /// Dispatch within 2 hours, handle within 24: Wanzhou's 及时 for an ordinary case.
    public static let standard = DeadlineLimits(dispatchSeconds: 2 * 3600, handleSeconds: 24 * 3600)
}

/// The deadlines of a city: defaults, and rules per department and violation type (issue #26).
///
/// A rule applies to a case routed to its department (any, when it names none) with a
/// violation of its type (any, when it names none). When several apply the strictest limit of
/// each wins, so an urgent type is never slowed by a lenient department rule; when none
/// applies the defaults do.
public struct DeadlinePolicy: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var department: String?
        public var type: ViolationType?
        public var dispatchSeconds: Int64?
        public var handleSeconds: Int64?

        public init(department: String? = nil, type: ViolationType? = nil, dispatchSeconds: Int64? = nil,
                    handleSeconds: Int64? = nil) {
            self.department = department
            self.type = type
            self.dispatchSeconds = dispatchSeconds
            self.handleSeconds = handleSeconds
        }

        func applies(departments: [String], types: [ViolationType]) -> Bool {
            (department.map(departments.contains) ?? true) && (type.map(types.contains) ?? true)
        }
    }

    public var defaults: DeadlineLimits
    public var rules: [Rule]

    public init(defaults: DeadlineLimits = .standard, rules: [Rule] = []) {
        self.defaults = defaults
        self.rules = rules
    }

    /// The limits of a case routed to `departments` with violations of `types`.
    public func limits(departments: [String], types: [ViolationType]) -> DeadlineLimits {
        let applying = rules.filter { $0.applies(departments: departments, types: types) }
        let dispatch = applying.compactMap(\.dispatchSeconds).min() ?? defaults.dispatchSeconds
        let handle = applying.compactMap(\.handleSeconds).min() ?? defaults.handleSeconds
        return DeadlineLimits(dispatchSeconds: dispatch, handleSeconds: handle)
    }
}

/// When a case was found, dispatched and handled, read off its audit trail.
///
/// A case sent back and dispatched again is timed from its latest dispatch: the handling the
/// supervisor judges is the one after it. A handling older than the latest dispatch is not
/// this round's (the case waits to be handled again).
public struct CaseClock: Sendable, Equatable {
    /// The audit trail's `created` row: when the case entered the store.
    public var found: Int64
    public var firstDispatch: Int64?
    public var lastDispatch: Int64?
    /// The latest change to resolved, when it is not older than `lastDispatch`.
    public var handled: Int64?

    public init(found: Int64, firstDispatch: Int64?, lastDispatch: Int64?, handled: Int64?) {
        self.found = found
        self.firstDispatch = firstDispatch
        self.lastDispatch = lastDispatch
        self.handled = handled.flatMap { h in (lastDispatch.map { h >= $0 } ?? false) ? h : nil }
    }

    /// Seconds from found to the first dispatch.
    public var timeToDispatch: Int64? { firstDispatch.map { $0 - found } }
    /// Seconds from the latest dispatch to its handling.
    public var timeToHandle: Int64? { handled.flatMap { h in lastDispatch.map { h - $0 } } }

    /// Whether the case was dispatched and handled within `limits`; `nil` until it is handled.
    public func onTime(_ limits: DeadlineLimits) -> Bool? {
        guard let d = timeToDispatch, let h = timeToHandle else { return nil }
        return d <= limits.dispatchSeconds && h <= limits.handleSeconds
    }

    /// The deadline a case in `status` is waiting on, or `nil` when it waits on none.
    public func due(_ status: Case.Status, _ limits: DeadlineLimits) -> Deadline? {
        switch status {
        case .open: return Deadline(step: .dispatch, due: found + limits.dispatchSeconds)
        case .dispatched:
            guard let d = lastDispatch else { return nil }
            return Deadline(step: .handle, due: d + limits.handleSeconds)
        case .resolved, .dismissed, .closed: return nil
        }
    }
}

/// The next step a case waits for and when it is due.
public struct Deadline: Sendable, Equatable {
    public enum Step: String, Sendable { case dispatch, handle }
    public var step: Step
    public var due: Int64

    public init(step: Step, due: Int64) {
        self.step = step
        self.due = due
    }

    public func isOverdue(at now: Int64) -> Bool { now > due }
}
