public import MuckWatchCore
import MuckWatchJudge
import Foundation

extension CaseStore {
    /// Cases matching `filter`, newest date first (then by case id), at most `limit` rows.
    public func listCases(_ filter: CaseFilter, limit: Int? = nil) throws(StoreError) -> [CaseSummaryRow] {
        try casePage(filter, sort: .date, descending: true, offset: 0, limit: limit ?? Int.max)
    }

    /// One page of the cases matching `filter`, in the given order (ties by case id).
    ///
    /// The page's ids are picked first (from the covering `cases_listing` index) and only those rows
    /// get their departments and types gathered, so the first pages cost the same on 100k cases as on 100.
    /// - Parameter key: only the cases after this one in the order (the integration API's cursor,
    ///   which new cases cannot shift as an offset); sorted by date then.
    public func casePage(_ filter: CaseFilter, sort: CaseSort, descending: Bool, offset: Int, limit: Int,
                         after key: CasePageKey? = nil) throws(StoreError) -> [CaseSummaryRow] {
        var (whereSQL, values) = Self.whereClause(filter)
        if let key {
            let later = descending ? "<" : ">"
            whereSQL += (whereSQL.isEmpty ? "WHERE " : " AND ")
                + "(c.case_day \(later) ? OR (c.case_day = ? AND c.case_id > ?))"
            values += [.int(key.date.days), .int(key.date.days), .text(key.caseID)]
        }
        let sort = key == nil ? sort : .date
        let direction = descending ? "DESC" : "ASC"
        let sql = """
            SELECT c.case_id AS case_id, c.vehicle_id AS vehicle_id, c.company AS company, c.status AS status,
                c.case_day AS case_day, c.trip_source_site AS trip_source_site,
                c.trip_disposal_site AS trip_disposal_site, c.superseded AS superseded,
                \(db.dialect.departmentList(caseID: "c.case_id")) AS department_list,
                \(db.dialect.violationTypeList(caseID: "c.case_id")) AS violation_types
            FROM cases c
            WHERE c.case_id IN (SELECT c.case_id FROM cases c \(whereSQL)
                                ORDER BY \(sort.column) \(direction), c.case_id LIMIT ? OFFSET ?)
            ORDER BY \(sort.column) \(direction), c.case_id
            """
        values.append(.int(Int64(max(0, min(limit, Int(Int32.max))))))
        values.append(.int(Int64(max(0, offset))))
        let r = try ResultColumns<CaseSummaryColumns>(try prepare(sql, values))
        var rows: [CaseSummaryRow] = []
        while try r.step() {
            let id = r.text(.caseID)
            let types = try violationTypes(r.string(.violationTypes), of: id)
            let departments = (r.string(.departmentList) ?? "").split(separator: "\u{1F}").map(String.init)
            rows.append(CaseSummaryRow(
                caseID: id, vehicleID: r.text(.vehicleID), company: r.string(.company),
                status: try status(r.text(.status), of: id), departments: departments,
                date: LocalDate(days: r.int64(.caseDay)), violationTypes: types,
                sourceSite: r.string(.sourceSite), disposalSite: r.string(.disposalSite),
                superseded: r.int64(.superseded) != 0))
        }
        return rows
    }

    /// How many cases match `filter` in each status (its own status restriction ignored, so the
    /// counts show where the rest of the matching cases are); every status present, zeros included.
    public func countsByStatus(_ filter: CaseFilter) throws(StoreError) -> [Case.Status: Int] {
        var f = filter
        f.status = nil
        let (whereSQL, values) = Self.whereClause(f)
        var counts: [Case.Status: Int] = [:]
        for st in Case.Status.allCases { counts[st] = 0 }
        let r = try ResultColumns<NameCountColumns>(
            try prepare("SELECT c.status AS name, count(*) AS count FROM cases c \(whereSQL) GROUP BY c.status", values))
        while try r.step() { counts[try status(r.text(.name), of: "(count)")] = Int(r.int64(.count)) }
        return counts
    }

    /// The WHERE clause (with its bound values) selecting the cases `filter` describes.
    static func whereClause(_ filter: CaseFilter) -> (sql: String, values: [SQLValue]) {
        var whereSQL: [String] = []
        var values: [SQLValue] = []
        if !filter.includeSuperseded { whereSQL.append("c.superseded = 0") }
        if let type = filter.type {
            // EXISTS probes the index per candidate row, so the first page stops after 50 matches.
            whereSQL.append("EXISTS (SELECT 1 FROM violations v WHERE v.case_id = c.case_id AND v.type = ?)")
            values.append(.text(type.rawValue))
        }
        if let department = filter.department {
            whereSQL.append("EXISTS (SELECT 1 FROM case_departments d WHERE d.case_id = c.case_id AND d.department = ?)")
            values.append(.text(department))
        }
        if let visible = filter.visibleDepartments {
            let marks = Array(repeating: "?", count: visible.count).joined(separator: ",")
            whereSQL.append("EXISTS (SELECT 1 FROM case_departments d WHERE d.case_id = c.case_id AND d.department IN (\(marks)))")
            values.append(contentsOf: visible.map { .text($0) })
        }
        // Plain comparisons on the case row: (condition, its value), where asked for.
        let comparisons: [(String, SQLValue?)] = [
            ("c.status = ?", filter.status.map { .text($0.rawValue) }),
            ("c.company = ?", filter.company.map { .text($0) }),
            ("c.vehicle_id = ?", filter.vehicle.map { .text($0) }),
            ("c.case_day >= ?", filter.dateFrom.map { .int($0.days) }),
            ("c.case_day <= ?", filter.dateTo.map { .int($0.days) }),
        ]
        for case let (condition, value?) in comparisons {
            whereSQL.append(condition)
            values.append(value)
        }
        return (whereSQL.isEmpty ? "" : "WHERE " + whereSQL.joined(separator: " AND "), values)
    }

    /// Prepares `sql` with `values` bound in order: `whereClause` builds its `?`s and their
    /// values side by side, so their order is one list's.
    func prepare(_ sql: String, _ values: [SQLValue]) throws(StoreError) -> Statement {
        let s = try db.prepare(sql)
        for (i, v) in values.enumerated() { try s.bind(Int32(i + 1), v) }
        return s
    }

    /// One case with its trip, violations, evidence and audit trail; `nil` when unknown.
    public func loadCase(id: String) throws(StoreError) -> StoredCase? {
        let caseColumns: [CaseColumns] = [.vehicleID, .company, .status, .caseDay, .createdRun, .updatedRun, .superseded]
        let sql = """
            SELECT \(CaseColumns.list(caseColumns)), \(TripColumns.list(named: \.caseColumn))
            FROM cases WHERE case_id = :case_id
            """
        let c = try ResultColumns<CaseColumns>(db, sql, reading: caseColumns)
        let trip = try ResultColumns<TripColumns>(c.statement, named: \.caseColumn)
        try c.bind(.caseID, .text(id))
        guard try c.step() else { return nil }
        var stored = StoredCase(
            caseID: id, vehicleID: c.text(.vehicleID), company: c.string(.company),
            status: try status(c.text(.status), of: id), departments: [], date: LocalDate(days: c.int64(.caseDay)),
            trip: trip.isNull(.key) ? nil : StoredTrip(trip), violations: [], createdRun: c.int64(.createdRun),
            updatedRun: c.int64(.updatedRun), superseded: c.int64(.superseded) != 0, events: [])

        let d = try ResultColumns<CaseDepartmentColumns>(
            db, select: [.department], from: "case_departments WHERE case_id = :case_id ORDER BY ord")
        try d.bind(.caseID, .text(id))
        while try d.step() { stored.departments.append(d.text(.department)) }

        let v = try ResultColumns<ViolationColumns>(
            db, select: [.id, .type, .startUnix, .endUnix, .lon, .lat, .source, .detail],
            from: "violations WHERE case_id = :case_id ORDER BY ord")
        try v.bind(.caseID, .text(id))
        var violationIDs: [Int64] = []
        while try v.step() {
            guard let type = ViolationType(rawValue: v.text(.type)),
                  let source = ViolationSource(rawValue: v.text(.source)) else {
                throw .corrupt(what: "violation \(v.int64(.id)) of case \(id)")
            }
            violationIDs.append(v.int64(.id))
            stored.violations.append(StoredViolation(
                type: type, start: v.int64(.startUnix), end: v.int64(.endUnix), lon: v.double(.lon), lat: v.double(.lat),
                source: source, detail: v.text(.detail), evidence: Evidence()))
        }

        let e = try ResultColumns<EvidenceColumns>(
            db, select: [.kind, .value, .t0, .t1], from: "evidence WHERE violation_id = :violation_id ORDER BY ord")
        for (i, vid) in violationIDs.enumerated() {
            try e.bind(.violationID, .int(vid))
            var ev = Evidence()
            while try e.step() {
                switch e.text(.kind) {
                case EvidenceKind.fixRange:
                    let t0 = e.int64(.t0), t1 = e.int64(.t1)
                    guard t0 <= t1 else { throw .corrupt(what: "fix range \(t0)…\(t1) of case \(id)") }
                    ev.fixRanges.append(t0...t1)
                case EvidenceKind.sensor: ev.sensorReadings.append(e.text(.value))
                case EvidenceKind.cameraEvent: ev.cameraEvents.append(e.text(.value))
                case EvidenceKind.image: ev.images.append(e.text(.value))
                case EvidenceKind.manifest: ev.manifests.append(e.text(.value))
                case EvidenceKind.gateEvent: ev.gateEvents.append(e.text(.value))
                default: throw .corrupt(what: "evidence kind \(e.text(.kind)) of case \(id)")
                }
            }
            e.reset()
            stored.violations[i].evidence = ev
        }
        stored.events = try events(caseID: id)
        return stored
    }

    /// The audit trail of one case, oldest first.
    public func events(caseID: String) throws(StoreError) -> [CaseEvent] {
        let r = try ResultColumns<CaseEventColumns>(
            db, select: [.atUnix, .actor, .action, .fromStatus, .toStatus, .note],
            from: "case_events WHERE case_id = :case_id ORDER BY id")
        try r.bind(.caseID, .text(caseID))
        var out: [CaseEvent] = []
        while try r.step() {
            out.append(CaseEvent(
                at: r.int64(.atUnix), actor: r.text(.actor), action: r.text(.action),
                fromStatus: try r.string(.fromStatus).map { x throws(StoreError) in try status(x, of: caseID) },
                toStatus: try r.string(.toStatus).map { x throws(StoreError) in try status(x, of: caseID) },
                note: r.string(.note)))
        }
        return out
    }

    /// Number of current (not superseded) cases in each status; every status present, zeros included.
    public func countsByStatus() throws(StoreError) -> [Case.Status: Int] {
        try countsByStatus(CaseFilter())
    }

    /// Moves a case along the workflow (see `CaseWorkflow`) and appends the audit row, in one transaction;
    /// a move to `dispatched` writes its webhook deliveries to the outbox in that transaction too.
    /// Throws `.caseNotFound`, `.invalidTransition`, or `.noteRequired` (dismissal without a reason).
    public func setStatus(caseID: String, to newStatus: Case.Status, actor: String, note: String?) throws(StoreError) {
        let trimmedNote = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = (trimmedNote?.isEmpty ?? true) ? nil : note
        if CaseWorkflow.needsNote(newStatus), note == nil {
            throw .noteRequired(caseID: caseID, to: newStatus)
        }
        let at = now()
        try db.transaction { () throws(StoreError) in
            let current = try currentStatus(caseID)
            guard CaseWorkflow.allows(from: current, to: newStatus) else {
                throw .invalidTransition(caseID: caseID, from: current, to: newStatus)
            }
            if CaseWorkflow.needsNote(from: current, to: newStatus), note == nil {
                throw .noteRequired(caseID: caseID, to: newStatus)
            }
            try changeStatus(caseID, at: at, actor: actor, action: "status", from: current, to: newStatus, note: note)
        }
    }

    /// A `group_concat(DISTINCT type)` of a case's violations, sorted.
    func violationTypes(_ list: String?, of caseID: String) throws(StoreError) -> [ViolationType] {
        var types: [ViolationType] = []
        for name in (list ?? "").split(separator: ",") {
            guard let t = ViolationType(rawValue: String(name)) else {
                throw .corrupt(what: "violation type \(name) of case \(caseID)")
            }
            types.append(t)
        }
        return types.sorted()
    }

    func status(_ text: String, of caseID: String) throws(StoreError) -> Case.Status {
        guard let s = Case.Status(rawValue: text) else { throw .corrupt(what: "status \(text) of case \(caseID)") }
        return s
    }
}

/// Where a page of cases sorted by date ends: the last case's date and id.
public struct CasePageKey: Sendable, Equatable {
    public var date: LocalDate
    public var caseID: String

    public init(date: LocalDate, caseID: String) {
        self.date = date
        self.caseID = caseID
    }
}

/// The columns of `casePage`'s result.
private enum CaseSummaryColumns: String, ColumnSet {
    case caseID = "case_id", vehicleID = "vehicle_id", company, status, caseDay = "case_day"
    case sourceSite = "trip_source_site", disposalSite = "trip_disposal_site", superseded
    case departmentList = "department_list", violationTypes = "violation_types"
}

/// A grouped count's result: `… AS name, count(*) AS count`.
enum NameCountColumns: String, ColumnSet {
    case name, count
}

extension StoredTrip {
    /// The trip of the row `r` stands on (a case's or a trip's).
    init(_ r: ResultColumns<TripColumns>) {
        self.init(sourceSite: r.string(.sourceSite), loadedAt: r.int64(.loadedUnix),
                  disposalSite: r.string(.disposalSite), dumpLon: r.optionalDouble(.dumpLon),
                  dumpLat: r.optionalDouble(.dumpLat), dumpedAt: r.optionalInt64(.dumpedUnix),
                  distanceKm: r.double(.distanceKm), loadT: r.optionalDouble(.loadT), permitID: r.string(.permitID))
    }
}
