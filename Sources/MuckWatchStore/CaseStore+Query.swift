import MuckWatchCore
import MuckWatchJudge

/// A bound value for a dynamically built query (no existentials, no boxing).
enum QueryValue {
    case int(Int64)
    case text(String)
}

extension CaseStore {
    /// Cases matching `filter`, newest date first (then by case id), at most `limit` rows.
    public func listCases(_ filter: CaseFilter, limit: Int? = nil) throws(StoreError) -> [CaseSummaryRow] {
        try casePage(filter, sort: .date, descending: true, offset: 0, limit: limit ?? Int.max)
    }

    /// One page of the cases matching `filter`, in the given order (ties by case id).
    ///
    /// The page's ids are picked first (from the covering `cases_listing` index) and only those rows
    /// get their departments and types gathered, so the first pages cost the same on 100k cases as on 100.
    public func casePage(_ filter: CaseFilter, sort: CaseSort, descending: Bool, offset: Int, limit: Int)
        throws(StoreError) -> [CaseSummaryRow] {
        var (whereSQL, values) = Self.whereClause(filter)
        let direction = descending ? "DESC" : "ASC"
        let sql = """
            SELECT c.case_id, c.vehicle_id, c.company, c.status, c.case_day, c.trip_source_site,
                c.trip_disposal_site, c.superseded,
                (SELECT group_concat(department, char(31)) FROM
                    (SELECT department FROM case_departments d WHERE d.case_id = c.case_id ORDER BY d.ord)),
                (SELECT group_concat(DISTINCT type) FROM violations v WHERE v.case_id = c.case_id)
            FROM cases c
            WHERE c.case_id IN (SELECT c.case_id FROM cases c \(whereSQL)
                                ORDER BY \(sort.column) \(direction), c.case_id LIMIT ? OFFSET ?)
            ORDER BY \(sort.column) \(direction), c.case_id
            """
        values.append(.int(Int64(max(0, min(limit, Int(Int32.max))))))
        values.append(.int(Int64(max(0, offset))))
        let s = try prepare(sql, values)
        var rows: [CaseSummaryRow] = []
        while try s.step() {
            let id = s.text(0)
            var types: [ViolationType] = []
            for name in (s.string(9) ?? "").split(separator: ",") {
                guard let t = ViolationType(rawValue: String(name)) else {
                    throw .corrupt(what: "violation type \(name) of case \(id)")
                }
                types.append(t)
            }
            let departments = (s.string(8) ?? "").split(separator: "\u{1F}").map(String.init)
            rows.append(CaseSummaryRow(
                caseID: id, vehicleID: s.text(1), company: s.string(2), status: try status(s.text(3), of: id),
                departments: departments, date: LocalDate(days: s.int64(4)), violationTypes: types.sorted(),
                sourceSite: s.string(5), disposalSite: s.string(6), superseded: s.int64(7) != 0))
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
        let s = try prepare("SELECT c.status, count(*) FROM cases c \(whereSQL) GROUP BY c.status", values)
        while try s.step() { counts[try status(s.text(0), of: "(count)")] = Int(s.int64(1)) }
        return counts
    }

    /// The WHERE clause (with its bound values) selecting the cases `filter` describes.
    static func whereClause(_ filter: CaseFilter) -> (sql: String, values: [QueryValue]) {
        var whereSQL: [String] = []
        var values: [QueryValue] = []
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
        if let status = filter.status {
            whereSQL.append("c.status = ?")
            values.append(.text(status.rawValue))
        }
        if let company = filter.company {
            whereSQL.append("c.company = ?")
            values.append(.text(company))
        }
        if let vehicle = filter.vehicle {
            whereSQL.append("c.vehicle_id = ?")
            values.append(.text(vehicle))
        }
        if let from = filter.dateFrom {
            whereSQL.append("c.case_day >= ?")
            values.append(.int(from.days))
        }
        if let to = filter.dateTo {
            whereSQL.append("c.case_day <= ?")
            values.append(.int(to.days))
        }
        return (whereSQL.isEmpty ? "" : "WHERE " + whereSQL.joined(separator: " AND "), values)
    }

    /// Prepares `sql` with `values` bound in order.
    func prepare(_ sql: String, _ values: [QueryValue]) throws(StoreError) -> Statement {
        let s = try db.prepare(sql)
        for (i, v) in values.enumerated() {
            switch v {
            case let .int(x): try s.bind(Int32(i + 1), x)
            case let .text(x): try s.bind(Int32(i + 1), x)
            }
        }
        return s
    }

    /// One case with its trip, violations, evidence and audit trail; `nil` when unknown.
    public func loadCase(id: String) throws(StoreError) -> StoredCase? {
        let c = try db.prepare("""
            SELECT vehicle_id, company, status, case_day, trip_key, trip_source_site, trip_loaded_unix,
                trip_disposal_site, trip_dump_lon, trip_dump_lat, trip_dumped_unix, trip_distance_km, trip_load_t,
                trip_permit_id, created_run, updated_run, superseded
            FROM cases WHERE case_id = ?
            """)
        try c.bind(1, id)
        guard try c.step() else { return nil }
        var trip: StoredTrip?
        if !c.isNull(4) {
            trip = StoredTrip(sourceSite: c.string(5), loadedAt: c.int64(6), disposalSite: c.string(7),
                              dumpLon: c.optionalDouble(8), dumpLat: c.optionalDouble(9),
                              dumpedAt: c.optionalInt64(10), distanceKm: c.double(11), loadT: c.optionalDouble(12),
                              permitID: c.string(13))
        }
        var stored = StoredCase(
            caseID: id, vehicleID: c.text(0), company: c.string(1), status: try status(c.text(2), of: id),
            departments: [], date: LocalDate(days: c.int64(3)), trip: trip, violations: [],
            createdRun: c.int64(14), updatedRun: c.int64(15), superseded: c.int64(16) != 0, events: [])

        let d = try db.prepare("SELECT department FROM case_departments WHERE case_id = ? ORDER BY ord")
        try d.bind(1, id)
        while try d.step() { stored.departments.append(d.text(0)) }

        let v = try db.prepare("""
            SELECT id, type, start_unix, end_unix, lon, lat, source, detail
            FROM violations WHERE case_id = ? ORDER BY ord
            """)
        try v.bind(1, id)
        var violationIDs: [Int64] = []
        while try v.step() {
            guard let type = ViolationType(rawValue: v.text(1)), let source = ViolationSource(rawValue: v.text(6)) else {
                throw .corrupt(what: "violation \(v.int64(0)) of case \(id)")
            }
            violationIDs.append(v.int64(0))
            stored.violations.append(StoredViolation(
                type: type, start: v.int64(2), end: v.int64(3), lon: v.double(4), lat: v.double(5), source: source,
                detail: v.text(7), evidence: Evidence()))
        }

        let e = try db.prepare("SELECT kind, value, t0, t1 FROM evidence WHERE violation_id = ? ORDER BY ord")
        for (i, vid) in violationIDs.enumerated() {
            try e.bind(1, vid)
            var ev = Evidence()
            while try e.step() {
                switch e.text(0) {
                case EvidenceKind.fixRange:
                    let t0 = e.int64(2), t1 = e.int64(3)
                    guard t0 <= t1 else { throw .corrupt(what: "fix range \(t0)…\(t1) of case \(id)") }
                    ev.fixRanges.append(t0...t1)
                case EvidenceKind.sensor: ev.sensorReadings.append(e.text(1))
                case EvidenceKind.cameraEvent: ev.cameraEvents.append(e.text(1))
                case EvidenceKind.image: ev.images.append(e.text(1))
                default: throw .corrupt(what: "evidence kind \(e.text(0)) of case \(id)")
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
        let s = try db.prepare("""
            SELECT at_unix, actor, action, from_status, to_status, note FROM case_events
            WHERE case_id = ? ORDER BY id
            """)
        try s.bind(1, caseID)
        var out: [CaseEvent] = []
        while try s.step() {
            out.append(CaseEvent(at: s.int64(0), actor: s.text(1), action: s.text(2),
                                 fromStatus: try s.string(3).map { x throws(StoreError) in try status(x, of: caseID) },
                                 toStatus: try s.string(4).map { x throws(StoreError) in try status(x, of: caseID) },
                                 note: s.string(5)))
        }
        return out
    }

    /// Number of current (not superseded) cases in each status; every status present, zeros included.
    public func countsByStatus() throws(StoreError) -> [Case.Status: Int] {
        try countsByStatus(CaseFilter())
    }

    /// Moves a case along the workflow (see `CaseWorkflow`) and appends the audit row, in one transaction.
    /// Throws `.caseNotFound`, `.invalidTransition`, or `.noteRequired` (dismissal without a reason).
    public func setStatus(caseID: String, to newStatus: Case.Status, actor: String, note: String?) throws(StoreError) {
        let trimmedNote = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = (trimmedNote?.isEmpty ?? true) ? nil : note
        if CaseWorkflow.needsNote(newStatus), note == nil {
            throw .noteRequired(caseID: caseID, to: newStatus)
        }
        let at = now()
        let clock = self.clock
        try db.transaction { () throws(StoreError) in
            let q = try db.prepare("SELECT status FROM cases WHERE case_id = ?")
            try q.bind(1, caseID)
            guard try q.step() else { throw .caseNotFound(caseID) }
            let current = try status(q.text(0), of: caseID)
            q.reset()
            guard CaseWorkflow.allows(from: current, to: newStatus) else {
                throw .invalidTransition(caseID: caseID, from: current, to: newStatus)
            }
            let u = try db.prepare("UPDATE cases SET status = ? WHERE case_id = ?")
            try u.bind(1, newStatus.rawValue)
            try u.bind(2, caseID)
            try u.run()
            let e = try db.prepare("""
                INSERT INTO case_events(case_id, at, at_unix, actor, action, from_status, to_status, note)
                VALUES (?, ?, ?, ?, 'status', ?, ?, ?)
                """)
            try e.bind(1, caseID)
            try e.bind(2, clock.format(at))
            try e.bind(3, at)
            try e.bind(4, actor)
            try e.bind(5, current.rawValue)
            try e.bind(6, newStatus.rawValue)
            try e.bind(7, note)
            try e.run()
        }
    }

    func status(_ text: String, of caseID: String) throws(StoreError) -> Case.Status {
        guard let s = Case.Status(rawValue: text) else { throw .corrupt(what: "status \(text) of case \(caseID)") }
        return s
    }
}
