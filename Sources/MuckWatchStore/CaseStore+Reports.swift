public import MuckWatchCore

/// One local day's counts along the enforcement funnel (issue #21): signals → cases →
/// confirmed → closed, and the cases dismissed. What each count is, is said once here and in
/// docs/reports.md:
///
/// - `cameraEvents`: camera reads the store keeps, on the local day they were taken;
/// - `detections`: violations of current (not superseded) cases, on the day they started;
/// - `cases`: current cases of the day (their case date);
/// - `confirmed`: of those, the ones an officer ever dispatched (an audit row to `dispatched`);
/// - `closed`: confirmed cases whose last outcome is `resolved` and that are resolved or closed;
/// - `dismissed`: cases whose last outcome is `dismissed` and that are dismissed or closed.
///
/// A case's "last outcome" is the newest audit row that moved it to `resolved` or `dismissed`; a
/// reopened case (status open or dispatched again) counts in neither `closed` nor `dismissed`.
public struct FunnelDay: Sendable, Equatable {
    public var date: LocalDate
    public var cameraEvents = 0, detections = 0, cases = 0, confirmed = 0, closed = 0, dismissed = 0

    public init(date: LocalDate) { self.date = date }
}

/// The counts a league table ranks, for one company, vehicle or driver: trips, violations by
/// type and the cases still being worked (open or dispatched). The ranking rule is the reports'
/// (`LeagueTable`), not the store's.
public struct LeagueCounts: Sendable, Equatable {
    public var name: String
    public var trips = 0
    public var violations: [ViolationType: Int] = [:]
    public var openCases = 0

    public init(name: String) { self.name = name }
}

/// Whom a league table ranks.
public enum LeagueDimension: String, Sendable, CaseIterable {
    /// The vehicle's company in the registry the run read; "(unregistered)" for a vehicle outside it.
    case company
    case vehicle
    /// The driver of the manifest each trip matched: trips without a manifest (or whose manifest
    /// names no driver) are in no driver's row.
    case driver
}

extension CaseStore {
    /// The store's "now" (pinned in tests): when a printed evidence sheet says it was generated,
    /// and what deadlines are judged against.
    public func currentTime() -> Int64 { now() }

    /// The newest run's id and when it finished (or started, if it never finished); `nil` for a
    /// store no run has written.
    public func latestRun() throws(StoreError) -> (id: Int64, at: Int64)? {
        let r = try ResultColumns<RunColumns>(
            db, "SELECT id, coalesce(finished_unix, started_unix) AS finished_unix FROM runs ORDER BY id DESC LIMIT 1",
            reading: [.id, .finishedUnix])
        guard try r.step() else { return nil }
        return (r.int64(.id), r.int64(.finishedUnix))
    }

    /// The funnel's counts for every local day in `from…to` (both optional, inclusive) that has any,
    /// oldest first.
    public func funnelDays(from: LocalDate? = nil, to: LocalDate? = nil) throws(StoreError) -> [FunnelDay] {
        var days: [Int64: FunnelDay] = [:]
        func add(_ sql: String, _ apply: (inout FunnelDay, ResultColumns<FunnelColumns>) -> Void,
                 reading columns: [FunnelColumns]) throws(StoreError) {
            let r = try ResultColumns<FunnelColumns>(db, sql, reading: [.day] + columns)
            try Parameters<ReportParameters>(r.statement).bindEach { _ in .int(clock.offsetSeconds) }
            while try r.step() {
                let day = r.int64(.day)
                apply(&days[day, default: FunnelDay(date: LocalDate(days: day))], r)
            }
        }
        try add("SELECT (at_unix + :offset) / 86400 AS day, count(*) AS camera_events FROM camera_events GROUP BY day",
                { $0.cameraEvents = Int($1.int64(.cameraEvents)) }, reading: [.cameraEvents])
        try add("""
            SELECT (v.start_unix + :offset) / 86400 AS day, count(*) AS detections FROM violations v
            JOIN cases c ON c.case_id = v.case_id WHERE c.superseded = 0 GROUP BY day
            """, { $0.detections = Int($1.int64(.detections)) }, reading: [.detections])
        try add("""
            SELECT case_day AS day, count(*) AS cases, count(*) FILTER (WHERE confirmed) AS confirmed,
                count(*) FILTER (WHERE confirmed AND outcome = 'resolved' AND status IN ('resolved', 'closed')) AS closed,
                count(*) FILTER (WHERE outcome = 'dismissed' AND status IN ('dismissed', 'closed')) AS dismissed
            FROM (SELECT c.case_day, c.status, \(Self.confirmedSQL) AS confirmed, \(Self.outcomeSQL) AS outcome
                  FROM cases c WHERE c.superseded = 0) AS funnel
            GROUP BY case_day
            """, { d, r in
                d.cases = Int(r.int64(.cases))
                d.confirmed = Int(r.int64(.confirmed))
                d.closed = Int(r.int64(.closed))
                d.dismissed = Int(r.int64(.dismissed))
            }, reading: [.cases, .confirmed, .closed, .dismissed])
        return days.values.filter { d in
            (from.map { d.date >= $0 } ?? true) && (to.map { d.date <= $0 } ?? true)
        }.sorted { $0.date < $1.date }
    }

    /// Why dismissed cases (as `FunnelDay.dismissed` counts them) of the case dates `from…to`
    /// were dismissed: the note of each one's last dismissal, trimmed, most frequent first.
    public func dismissalReasons(from: LocalDate? = nil, to: LocalDate? = nil) throws(StoreError)
        -> [(reason: String, count: Int)] {
        let r = try ResultColumns<NameCountColumns>(db, """
            SELECT reason AS name, count(*) AS count FROM (
                SELECT trim(coalesce((SELECT e.note FROM case_events e WHERE e.case_id = c.case_id
                    AND e.to_status = 'dismissed' ORDER BY e.id DESC LIMIT 1), '')) AS reason
                FROM cases c
                WHERE c.superseded = 0 AND c.status IN ('dismissed', 'closed') AND \(Self.outcomeSQL) = 'dismissed'
                    AND c.case_day >= :from AND c.case_day <= :to) AS dismissals
            GROUP BY name ORDER BY count DESC, name
            """)
        try bindDays(r.statement, from: from, to: to)
        var out: [(reason: String, count: Int)] = []
        while try r.step() { out.append((r.text(.name), Int(r.int64(.count)))) }
        return out
    }

    /// Trips, violations by type and open cases per company, vehicle or driver, over trips loaded
    /// and cases dated on local days `from…to` (both optional, inclusive); unsorted.
    public func leagueCounts(_ dimension: LeagueDimension, from: LocalDate? = nil, to: LocalDate? = nil)
        throws(StoreError) -> [LeagueCounts] {
        let (tripKey, tripJoin, caseKey, caseJoin) = Self.leagueKeys(dimension)
        var rows: [String: LeagueCounts] = [:]
        let trips = try ResultColumns<NameCountColumns>(db, """
            SELECT \(tripKey) AS name, count(*) AS count FROM trips t \(tripJoin)
            WHERE \(tripKey) IS NOT NULL AND (t.loaded_unix + :offset) / 86400 BETWEEN :from AND :to GROUP BY name
            """)
        try bindDays(trips.statement, from: from, to: to)
        while try trips.step() {
            rows[trips.text(.name), default: LeagueCounts(name: trips.text(.name))].trips = Int(trips.int64(.count))
        }
        let caseWhere = "c.superseded = 0 AND \(caseKey) IS NOT NULL AND c.case_day BETWEEN :from AND :to"
        let violations = try ResultColumns<LeagueViolationColumns>(db, """
            SELECT \(caseKey) AS name, v.type AS type, count(*) AS count FROM violations v
            JOIN cases c ON c.case_id = v.case_id \(caseJoin) WHERE \(caseWhere) GROUP BY name, v.type
            """)
        try bindDays(violations.statement, from: from, to: to)
        while try violations.step() {
            let name = violations.text(.name)
            guard let type = ViolationType(rawValue: violations.text(.type)) else {
                throw .corrupt(what: "violation type \(violations.text(.type)) in the league of \(name)")
            }
            rows[name, default: LeagueCounts(name: name)].violations[type] = Int(violations.int64(.count))
        }
        let open = try ResultColumns<NameCountColumns>(db, """
            SELECT \(caseKey) AS name, count(*) AS count FROM cases c \(caseJoin)
            WHERE \(caseWhere) AND c.status IN ('open', 'dispatched') GROUP BY name
            """)
        try bindDays(open.statement, from: from, to: to)
        while try open.step() {
            rows[open.text(.name), default: LeagueCounts(name: open.text(.name))].openCases = Int(open.int64(.count))
        }
        return Array(rows.values)
    }

    /// `1` when the case was ever dispatched: the funnel's "confirmed".
    static let confirmedSQL = """
        EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.to_status = 'dispatched')
        """
    /// The case's last outcome: the newest audit row's target among resolved and dismissed.
    static let outcomeSQL = """
        (SELECT e.to_status FROM case_events e WHERE e.case_id = c.case_id
            AND e.to_status IN ('resolved', 'dismissed') ORDER BY e.id DESC LIMIT 1)
        """

    /// Each dimension's key over trips (`t`) and over cases (`c`), with the joins they need.
    static func leagueKeys(_ dimension: LeagueDimension)
        -> (tripKey: String, tripJoin: String, caseKey: String, caseJoin: String) {
        switch dimension {
        case .vehicle:
            return ("t.vehicle_id", "", "c.vehicle_id", "")
        case .company:
            let unregistered = "'\(unregisteredCompany)'"
            return ("coalesce(vh.company, \(unregistered))", "LEFT JOIN vehicles vh ON vh.vehicle_id = t.vehicle_id",
                    "coalesce(c.company, \(unregistered))", "")
        case .driver:
            return ("m.driver_id", "JOIN manifests m ON m.manifest_id = t.manifest_id", "m.driver_id",
                    "JOIN trips ct ON ct.trip_key = c.trip_key JOIN manifests m ON m.manifest_id = ct.manifest_id")
        }
    }

    /// Binds `:offset` (the clock's) and the local days `:from`/`:to`, open ends as the widest days.
    private func bindDays(_ statement: Statement, from: LocalDate?, to: LocalDate?) throws(StoreError) {
        try Parameters<ReportParameters>(statement).bindEach { p in
            switch p {
            case .offset: .int(clock.offsetSeconds)
            case .from: .int(from?.days ?? Int64(Int32.min))
            case .to: .int(to?.days ?? Int64(Int32.max))
            }
        }
    }
}

/// The funnel's per-day results.
private enum FunnelColumns: String, ColumnSet {
    case day, cameraEvents = "camera_events", detections, cases, confirmed, closed, dismissed
}

/// A league table's violations per key and type.
private enum LeagueViolationColumns: String, ColumnSet {
    case name, type, count
}

/// The reports' parameters: the clock's offset and a span of local days.
private enum ReportParameters: String, ColumnSet {
    case offset, from, to
}
