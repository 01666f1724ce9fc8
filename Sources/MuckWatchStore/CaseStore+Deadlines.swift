public import MuckWatchCore
public import MuckWatchJudge

/// A case with the times its deadlines run on (`CaseClock`, read off the audit trail) and what
/// an officer needs to find it: the review app's My cases, overdue marks and handling figures,
/// and whatever else reports deadlines (issue #26; the API and metrics of issue #20).
public struct CaseTimes: Sendable, Equatable {
    public var caseID: String
    public var status: Case.Status
    public var vehicleID: String
    public var date: LocalDate
    public var departments: [String]
    public var types: [ViolationType]
    public var sourceSite: String?
    public var disposalSite: String?
    /// Where the muck was dumped (the trip's dump point, else the first violation's place), WGS84.
    public var lon: Double?
    public var lat: Double?
    public var clock: CaseClock
    /// Times a handled case was sent back to dispatched (audit rows resolved → dispatched).
    public var sentBack: Int
}

/// Which cases `caseTimes` reads.
public enum CaseTimesSelection: Sendable, Equatable {
    /// These ids (a page of the case list).
    case ids([String])
    /// Current cases in these statuses, oldest first.
    case statuses([Case.Status])
    /// Current cases ever dispatched (whatever their status now), oldest first: the handling figures.
    case everDispatched
}

/// The columns of `caseTimes`' result.
private enum CaseTimeColumns: String, ColumnSet {
    case caseID = "case_id", status, vehicleID = "vehicle_id", caseDay = "case_day"
    case sourceSite = "trip_source_site", disposalSite = "trip_disposal_site", lon, lat
    case departmentList = "department_list", violationTypes = "violation_types"
    case found = "found_unix", firstDispatch = "first_dispatch_unix", lastDispatch = "last_dispatch_unix"
    case handled = "handled_unix", sentBack = "sent_back"
}

extension CaseStore {
    /// The cases `selection` names (routed to one of `visibleDepartments` when given), with
    /// their clocks. A case's times are its audit rows': `created` (else its first row) is when
    /// it was found; rows to dispatched and to resolved are its dispatches and handlings.
    public func caseTimes(_ selection: CaseTimesSelection, visibleDepartments: [String]? = nil)
        throws(StoreError) -> [CaseTimes] {
        var conditions = ["c.superseded = 0"], values: [SQLValue] = []
        switch selection {
        case let .ids(ids):
            guard !ids.isEmpty else { return [] }
            conditions = ["c.case_id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ",")))"]
            values += ids.map { .text($0) }
        case let .statuses(statuses):
            guard !statuses.isEmpty else { return [] }
            conditions.append("c.status IN (\(Array(repeating: "?", count: statuses.count).joined(separator: ",")))")
            values += statuses.map { .text($0.rawValue) }
        case .everDispatched:
            conditions.append("EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND e.to_status = 'dispatched' AND e.action <> 'superseded' AND e.action <> 'restored')")
        }
        if let visible = visibleDepartments {
            let marks = Array(repeating: "?", count: visible.count).joined(separator: ",")
            conditions.append("EXISTS (SELECT 1 FROM case_departments d WHERE d.case_id = c.case_id AND d.department IN (\(marks)))")
            values += visible.map { .text($0) }
        }
        // A status step is a row whose status changed; `superseded` and `restored` rows repeat the status.
        let step = "e.case_id = c.case_id AND e.action NOT IN ('superseded', 'restored', 'created', 'photo')"
        let sql = """
            SELECT c.case_id AS case_id, c.status AS status, c.vehicle_id AS vehicle_id, c.case_day AS case_day,
                c.trip_source_site AS trip_source_site, c.trip_disposal_site AS trip_disposal_site,
                coalesce(c.trip_dump_lon, (SELECT lon FROM violations v WHERE v.case_id = c.case_id ORDER BY ord LIMIT 1)) AS lon,
                coalesce(c.trip_dump_lat, (SELECT lat FROM violations v WHERE v.case_id = c.case_id ORDER BY ord LIMIT 1)) AS lat,
                \(db.dialect.departmentList(caseID: "c.case_id")) AS department_list,
                \(db.dialect.violationTypeList(caseID: "c.case_id")) AS violation_types,
                coalesce((SELECT min(at_unix) FROM case_events e WHERE e.case_id = c.case_id AND e.action = 'created'),
                         (SELECT min(at_unix) FROM case_events e WHERE e.case_id = c.case_id)) AS found_unix,
                (SELECT min(at_unix) FROM case_events e WHERE \(step) AND e.to_status = 'dispatched') AS first_dispatch_unix,
                (SELECT max(at_unix) FROM case_events e WHERE \(step) AND e.to_status = 'dispatched') AS last_dispatch_unix,
                (SELECT max(at_unix) FROM case_events e WHERE \(step) AND e.to_status = 'resolved') AS handled_unix,
                (SELECT count(*) FROM case_events e WHERE \(step) AND e.from_status = 'resolved'
                    AND e.to_status = 'dispatched') AS sent_back
            FROM cases c WHERE \(conditions.joined(separator: " AND "))
            """
        let r = try ResultColumns<CaseTimeColumns>(try prepare(sql, values))
        var out: [CaseTimes] = []
        while try r.step() {
            let id = r.text(.caseID)
            out.append(CaseTimes(
                caseID: id, status: try status(r.text(.status), of: id), vehicleID: r.text(.vehicleID),
                date: LocalDate(days: r.int64(.caseDay)),
                departments: (r.string(.departmentList) ?? "").split(separator: "\u{1F}").map(String.init),
                types: try violationTypes(r.string(.violationTypes), of: id), sourceSite: r.string(.sourceSite), disposalSite: r.string(.disposalSite),
                lon: r.optionalDouble(.lon), lat: r.optionalDouble(.lat),
                clock: CaseClock(found: r.int64(.found), firstDispatch: r.optionalInt64(.firstDispatch),
                                 lastDispatch: r.optionalInt64(.lastDispatch), handled: r.optionalInt64(.handled)),
                sentBack: Int(r.int64(.sentBack))))
        }
        // Oldest first: the order an officer works through them.
        return out.sorted { ($0.clock.lastDispatch ?? $0.clock.found, $0.caseID) < ($1.clock.lastDispatch ?? $1.clock.found, $1.caseID) }
    }
}
