public import MuckWatchCore
public import MuckWatchStore

/// The enforcement funnel per day and per week (issue #21): signals → cases → confirmed → closed,
/// and why cases were dismissed. Built from the store's per-day counts (`CaseStore.funnelDays`),
/// so a week is exactly the sum of its days; the statistics page, the Excel file and the API read
/// this one value.
public struct FunnelReport: Sendable, Equatable, Encodable {
    /// One day's or one week's counts; a week runs Monday to Sunday and is named by its Monday.
    public struct Period: Sendable, Equatable, Encodable {
        public var start: LocalDate
        public var days: Int
        public var cameraEvents, detections, cases, confirmed, closed, dismissed: Int
        /// Camera events and detections: everything the rules and cameras raised.
        public var signals: Int { cameraEvents + detections }
    }

    public var days: [Period]
    public var weeks: [Period]
    public var dismissalReasons: [Reason]

    public struct Reason: Sendable, Equatable, Encodable {
        public var reason: String
        public var count: Int
    }

    /// Every day's and week's counts in `from…to` (both optional, inclusive).
    public static func load(_ store: CaseStore, from: LocalDate? = nil, to: LocalDate? = nil) throws(StoreError)
        -> FunnelReport {
        let days = try store.funnelDays(from: from, to: to)
        return FunnelReport(days: days, reasons: try store.dismissalReasons(from: from, to: to)
            .map { Reason(reason: $0.reason.isEmpty ? "(no reason given)" : $0.reason, count: $0.count) })
    }

    public init(days: [FunnelDay], reasons: [Reason]) {
        self.days = days.map { Period(start: $0.date, days: 1, $0) }
        var weeks: [Period] = []
        for d in days {
            let monday = Self.monday(of: d.date)
            if weeks.last?.start == monday {
                weeks[weeks.count - 1].add(Period(start: d.date, days: 1, d))
            } else {
                weeks.append(Period(start: monday, days: 7, d))
            }
        }
        self.weeks = weeks
        dismissalReasons = reasons
    }

    /// The Monday on or before `date` (1970-01-01, day 0, was a Thursday).
    public static func monday(of date: LocalDate) -> LocalDate {
        LocalDate(days: date.days - ((date.days % 7 + 7 + 3) % 7))
    }

    /// All days together.
    public var total: Period {
        var t = Period(start: days.first?.start ?? LocalDate(days: 0), days: 0, FunnelDay(date: LocalDate(days: 0)))
        for d in days { t.add(d) }
        t.days = days.count
        return t
    }
}

extension FunnelReport.Period {
    init(start: LocalDate, days: Int, _ d: FunnelDay) {
        self.init(start: start, days: days, cameraEvents: d.cameraEvents, detections: d.detections, cases: d.cases,
                  confirmed: d.confirmed, closed: d.closed, dismissed: d.dismissed)
    }

    mutating func add(_ p: Self) {
        cameraEvents += p.cameraEvents
        detections += p.detections
        cases += p.cases
        confirmed += p.confirmed
        closed += p.closed
        dismissed += p.dismissed
    }
}

/// JSON for the API (issue #20): each period with its `signals`, dates as `YYYY-MM-DD`.
extension FunnelReport.Period {
    enum CodingKeys: String, CodingKey {
        case start, days, cameraEvents, detections, signals, cases, confirmed, closed, dismissed
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(start.description, forKey: .start)
        try c.encode(days, forKey: .days)
        try c.encode(cameraEvents, forKey: .cameraEvents)
        try c.encode(detections, forKey: .detections)
        try c.encode(signals, forKey: .signals)
        try c.encode(cases, forKey: .cases)
        try c.encode(confirmed, forKey: .confirmed)
        try c.encode(closed, forKey: .closed)
        try c.encode(dismissed, forKey: .dismissed)
    }
}
