import MuckWatchCore

/// The statements one `CaseWriter` and `MapData.write` use, prepared once per connection
/// (`CaseStore`) and reused by every write: the live gateway writes a few hundred small
/// transactions a second, and preparing eleven statements each time was ~7 % of its
/// store's time (the three map statements, 1.3 % of the gateway's CPU, came later).
final class CaseStatements {
    let selectCase: ResultColumns<CaseColumns>
    let upsertCase: ReplacingInsert<PairedParameters<CaseColumns, TripColumns>>
    let updateCaseTrip: Parameters<CaseColumns>
    let updateCaseTripFields: Parameters<TripColumns>
    let deleteViolations: Parameters<ViolationColumns>
    let deleteViolationsFrom: Parameters<ViolationColumns>
    let deleteDepartments: Parameters<CaseDepartmentColumns>
    let insertDepartment: Parameters<CaseDepartmentColumns>
    let noteDepartment: Parameters<DepartmentColumns>
    let insertViolation: Parameters<ViolationColumns>
    let insertEvidence: Parameters<EvidenceColumns>
    let insertEvent: Parameters<CaseEventColumns>
    let upsertTrip: ReplacingInsert<PairedParameters<TripColumns, TripRowColumns>>
    let upsertTrack: ReplacingInsert<Parameters<CaseTrackColumns>>
    let upsertFence: ReplacingInsert<Parameters<FenceColumns>>
    let upsertCameraEvent: ReplacingInsert<Parameters<CameraEventColumns>>
    /// PostgreSQL's track geometry (`SQLDialect.trackGeometryUpdate`), `nil` on SQLite.
    let trackGeometry: Parameters<TrackGeometryColumns>?

    init(db: Database) throws(StoreError) {
        selectCase = try ResultColumns(db, "SELECT status, superseded FROM cases WHERE case_id = :case_id",
                                       reading: [.status, .superseded])
        // Status and the run that created the case are the officers' and the first run's:
        // a re-run keeps them.
        let caseRow = """
            INTO cases(\(CaseColumns.list()), \(TripColumns.list(named: \.caseColumn)))
            VALUES (\(CaseColumns.parameters()), \(TripColumns.parameters()))
            """
        upsertCase = try ReplacingInsert(db, ignoring: "INSERT OR IGNORE " + caseRow, replacing: """
            INSERT \(caseRow)
            ON CONFLICT(case_id) DO UPDATE SET
                \(CaseColumns.updatesFromExcluded(except: [.caseID, .status, .createdRun])),
                \(TripColumns.updatesFromExcluded(named: \.caseColumn))
            """, PairedParameters.init)
        // The columns a re-judged case's trip changes, none of them indexed: an update of
        // only these leaves the six indexes of `cases` alone.
        let update = try db.prepare("""
            UPDATE cases SET \(CaseColumns.assignments([.departments])),
                \(TripColumns.assignments(TripColumns.allCases, named: \.caseColumn))
            WHERE case_id = :case_id
            """)
        updateCaseTrip = Parameters(update)
        updateCaseTripFields = Parameters(update)
        deleteViolations = try Parameters(db, "DELETE FROM violations WHERE case_id = :case_id")
        deleteViolationsFrom = try Parameters(db, "DELETE FROM violations WHERE case_id = :case_id AND ord >= :ord")
        deleteDepartments = try Parameters(db, "DELETE FROM case_departments WHERE case_id = :case_id")
        insertDepartment = try Parameters(db, db.dialect.insertOrIgnore(CaseDepartmentColumns.self, into: "case_departments"))
        noteDepartment = try Parameters(db, db.dialect.insertOrIgnore(DepartmentColumns.self, into: "departments"))
        insertViolation = try Parameters(db, ViolationColumns.insert(into: "violations", except: [.id]))
        insertEvidence = try Parameters(db, EvidenceColumns.insert(into: "evidence", except: [.id]))
        insertEvent = try Parameters(db, CaseEventColumns.insert(into: "case_events", except: [.id]))
        let tripRow = """
            INTO trips(\(TripColumns.list()), \(TripRowColumns.list()))
            VALUES (\(TripColumns.parameters()), \(TripRowColumns.parameters()))
            """
        upsertTrip = try ReplacingInsert(db, ignoring: "INSERT OR IGNORE " + tripRow, replacing: """
            INSERT \(tripRow)
            ON CONFLICT(trip_key) DO UPDATE SET
                \(TripColumns.updatesFromExcluded(except: [.key])), \(TripRowColumns.updatesFromExcluded())
            """, PairedParameters.init)
        upsertTrack = try ReplacingInsert(db, into: "case_tracks", key: [.caseID])
        upsertFence = try ReplacingInsert(db, into: "fences", key: [.id])
        trackGeometry = try db.dialect.trackGeometryUpdate.map { sql throws(StoreError) in try Parameters(db, sql) }
        upsertCameraEvent = try ReplacingInsert(db, into: "camera_events", key: [.id])
    }
}

/// One `write`'s run, clock and time, with the connection's prepared statements.
struct CaseWriter {
    let db: Database
    let runID: Int64
    let clock: LocalClock
    let at: Int64
    let atText: String
    /// The connection's statements (`CaseStore.caseStatements`).
    let st: CaseStatements

    init(db: Database, runID: Int64, clock: LocalClock, at: Int64, statements s: CaseStatements) {
        self.db = db
        self.runID = runID
        self.clock = clock
        self.at = at
        atText = clock.format(at)
        st = s
    }

    /// Upserts one case and replaces its departments, violations and evidence; status and audit rows stay.
    mutating func write(_ c: Case, plates: PlateTable) throws(StoreError) {
        let q = st.selectCase
        try q.bind(.caseID, .text(c.id))
        var previous: (status: String, superseded: Bool)?
        if try q.step() { previous = (q.text(.status), q.int64(.superseded) != 0) }
        q.reset()

        try upsertHeader(c, plates: plates)
        if let previous {
            try st.deleteViolations.bind(.caseID, .text(c.id))
            try st.deleteViolations.run()
            try st.deleteDepartments.bind(.caseID, .text(c.id))
            try st.deleteDepartments.run()
            if previous.superseded {
                try event(c.id, action: "restored", from: previous.status, to: previous.status)
            }
        } else {
            try event(c.id, action: "created", from: nil, to: c.status.rawValue)
        }
        try insertDepartments(c)
        try insertViolations(c, from: 0, plates: plates)
    }

    /// Writes what changed since `stored`, this writer's own last write of the case
    /// (still current: not superseded since, status and audit rows untouched by it):
    /// the case row only when its fields changed, departments only when they changed,
    /// and the violations from the first one that changed. A live case is re-judged
    /// many times while its trip runs and most judgements extend one violation or add
    /// one: rewriting the row and all its violations each time cost the live store
    /// two thirds of its time at 100k fixes/s.
    mutating func write(_ c: Case, replacing stored: Case, plates: PlateTable) throws(StoreError) {
        if c.vehicleID != stored.vehicleID || c.company != stored.company || c.date != stored.date
            || c.status != stored.status {
            try upsertHeader(c, plates: plates)
        } else if c.trip != stored.trip || c.departments != stored.departments {
            // The usual change: an open trip's distance, load or dump grew.
            try st.updateCaseTrip.bindEach { caseValue($0, c) }
            try st.updateCaseTripFields.bindEach { tripValue($0, c.trip, plates: plates) }
            try st.updateCaseTrip.run()
        }
        if c.departments != stored.departments {
            try st.deleteDepartments.bind(.caseID, .text(c.id))
            try st.deleteDepartments.run()
            try insertDepartments(c)
        }
        var first = 0
        while first < c.violations.count, first < stored.violations.count,
              c.violations[first] == stored.violations[first] {
            first += 1
        }
        guard first < c.violations.count || first < stored.violations.count else { return }
        if first < stored.violations.count {
            try st.deleteViolationsFrom.bind(.caseID, .text(c.id))
            try st.deleteViolationsFrom.bind(.ord, SQLValue(first))
            try st.deleteViolationsFrom.run()
        }
        try insertViolations(c, from: first, plates: plates)
    }

    private func upsertHeader(_ c: Case, plates: PlateTable) throws(StoreError) {
        try st.upsertCase.run { (p) throws(StoreError) in
            try p.first.bindEach { caseValue($0, c) }
            try p.second.bindEach { tripValue($0, c.trip, plates: plates) }
        }
    }

    /// A case's own column (`cases` besides its trip) as this writer stores it.
    private func caseValue(_ column: CaseColumns, _ c: Case) -> SQLValue {
        switch column {
        case .caseID: .text(c.id)
        case .vehicleID: .text(c.vehicleID)
        case .company: SQLValue(c.company)
        case .status: .text(c.status.rawValue)
        case .departments: .text(c.departments.joined(separator: ","))
        case .caseDate: .text(c.date.description)
        case .caseDay: .int(c.date.days)
        case .createdRun, .updatedRun: .int(runID)
        case .superseded: .int(0)
        }
    }

    /// A trip's field in its case's row (NULL for a day case's).
    private func tripValue(_ column: TripColumns, _ t: Trip?, plates: PlateTable) -> SQLValue {
        switch t {
        case .none: .null
        case let .some(t): tripValue(column, of: t, plates: plates)
        }
    }

    /// A trip's field, the same in `trips` and in its case's row. Borrowed and inlined, not
    /// `Trip?`: wrapping `trips[i]` into an optional made a copy of the trip (its strings
    /// retained and released) for a column's value (issue #19).
    @inline(__always)
    private func tripValue(_ column: TripColumns, of t: borrowing Trip, plates: PlateTable) -> SQLValue {
        switch column {
        case .key: return .text(CaseStore.tripKey(plate: plates[t.vehicle], loadStart: t.loadStart))
        case .sourceSite: return SQLValue(t.sourceSite)
        case .loadedAt: return .text(clock.format(t.loadedAt))
        case .loadedUnix: return .int(t.loadedAt)
        case .disposalSite: return SQLValue(t.disposalSite)
        case .dumpLon: return SQLValue(Optional(t.dumpLon))
        case .dumpLat: return SQLValue(Optional(t.dumpLat))
        case .dumpedAt: return SQLValue(t.dumpedAt.map { clock.format($0) })
        case .dumpedUnix: return SQLValue(t.dumpedAt)
        case .distanceKm: return .double(t.distanceKm)
        case .loadT: return SQLValue(t.loadT)
        case .permitID: return SQLValue(t.permitID)
        }
    }

    private func insertDepartments(_ c: Case) throws(StoreError) {
        for (i, d) in c.departments.enumerated() {
            try st.insertDepartment.bindEach { column in
                switch column {
                case .caseID: .text(c.id)
                case .department: .text(d)
                case .ord: SQLValue(i)
                }
            }
            try st.insertDepartment.run()
            try st.noteDepartment.bind(.department, .text(d))
            try st.noteDepartment.run()
        }
    }

    private func insertViolations(_ c: Case, from first: Int, plates: PlateTable) throws(StoreError) {
        for i in first..<c.violations.count {
            let v = c.violations[i]
            try st.insertViolation.bindEach { column in
                switch column {
                case .id: .null  // assigned by SQLite
                case .caseID: .text(c.id)
                case .ord: SQLValue(i)
                case .vehicleID: .text(Int(v.vehicle) < plates.count && v.vehicle >= 0 ? plates[v.vehicle] : c.vehicleID)
                case .type: .text(v.type.rawValue)
                case .startAt: .text(clock.format(v.start))
                case .startUnix: .int(v.start)
                case .endAt: .text(clock.format(v.end))
                case .endUnix: .int(v.end)
                case .lon: .double(v.lon)
                case .lat: .double(v.lat)
                case .source: .text(v.source.rawValue)
                case .detail: .text(v.detail)
                }
            }
            try st.insertViolation.run()
            try writeEvidence(v.evidence, violation: try db.lastInsertRowID)
        }
    }

    private func writeEvidence(_ e: Evidence, violation: Int64) throws(StoreError) {
        var ord = 0
        let s = st.insertEvidence
        func row(_ kind: String, _ value: String, _ t0: Int64?, _ t1: Int64?) throws(StoreError) {
            try s.bindEach { column in
                switch column {
                case .id: .null  // assigned by SQLite
                case .violationID: .int(violation)
                case .ord: SQLValue(ord)
                case .kind: .text(kind)
                case .value: .text(value)
                case .t0: SQLValue(t0)
                case .t1: SQLValue(t1)
                }
            }
            try s.run()
            ord += 1
        }
        for r in e.fixRanges {
            // ISO 8601 interval notation, for people reading the table directly.
            try row(EvidenceKind.fixRange, clock.format(r.lowerBound) + "/" + clock.format(r.upperBound),
                    r.lowerBound, r.upperBound)
        }
        for x in e.sensorReadings { try row(EvidenceKind.sensor, x, nil, nil) }
        for x in e.cameraEvents { try row(EvidenceKind.cameraEvent, x, nil, nil) }
        for x in e.images { try row(EvidenceKind.image, x, nil, nil) }
        for x in e.manifests { try row(EvidenceKind.manifest, x, nil, nil) }
        for x in e.gateEvents { try row(EvidenceKind.gateEvent, x, nil, nil) }
    }

    private func event(_ caseID: String, action: String, from: String?, to: String?) throws(StoreError) {
        try st.insertEvent.bindEach { column in
            switch column {
            case .id: .null  // assigned by SQLite
            case .caseID: .text(caseID)
            case .at: .text(atText)
            case .atUnix: .int(at)
            case .actor: .text(CaseStore.pipelineActor)
            case .action: .text(action)
            case .fromStatus: SQLValue(from)
            case .toStatus: SQLValue(to)
            case .note: .null
            case .runID: .int(runID)
            }
        }
        try st.insertEvent.run()
    }

    /// Cases in the store that this run did not produce: flag (and audit) them, never delete.
    /// A partitioned run answers only for its own vehicles' cases: those of the other
    /// partitions of the night are theirs to keep or supersede.
    func supersedeAbsent(days: ClosedRange<Int64>, partition: PlatePartition? = nil) throws(StoreError) {
        let candidates = try ResultColumns<CaseColumns>(db, """
            SELECT case_id, vehicle_id FROM cases
            WHERE superseded = 0 AND updated_run <> :updated_run AND case_day BETWEEN :first_day AND :last_day
            ORDER BY case_id
            """, reading: [.caseID, .vehicleID])
        let range = Parameters<SupersedeParameters>(candidates.statement)
        try candidates.bind(.updatedRun, .int(runID))
        try range.bind(.firstDay, .int(days.lowerBound))
        try range.bind(.lastDay, .int(days.upperBound))
        var absent: [String] = []
        while try candidates.step() {
            if partition?.contains(plate: candidates.text(.vehicleID)) ?? true { absent.append(candidates.text(.caseID)) }
        }
        guard !absent.isEmpty else { return }
        let audit = try Parameters<SupersedeParameters>(db, """
            INSERT INTO case_events(case_id, at, at_unix, actor, action, from_status, to_status, note, run_id)
            SELECT case_id, :at, CAST(:at_unix AS BIGINT), :actor, 'superseded', status, status, NULL,
                CAST(:run_id AS BIGINT)
            FROM cases WHERE case_id = :case_id
            """)
        let mark = try Parameters<SupersedeParameters>(db, "UPDATE cases SET superseded = 1 WHERE case_id = :case_id")
        for id in absent {
            for p in [audit, mark] {
                try p.bindEach { column in
                    switch column {
                    case .at: .text(atText)
                    case .atUnix: .int(at)
                    case .actor: .text(CaseStore.pipelineActor)
                    case .runID: .int(runID)
                    case .caseID: .text(id)
                    case .firstDay, .lastDay: .null
                    }
                }
                try p.run()
            }
        }
    }

    func writeTrips(_ trips: [Trip], plates: PlateTable) throws(StoreError) {
        // Read in place through a span: an element of the array passed on was copied first
        // (issue #19).
        let trips = trips.span
        for i in trips.indices {
            try st.upsertTrip.run { (p) throws(StoreError) in
                try p.first.bindEach { tripValue($0, of: trips[i], plates: plates) }
                try p.second.bindEach { column in
                    switch column {
                    case .runID: .int(runID)
                    case .vehicleID: .text(plates[trips[i].vehicle])
                    case .caseID: SQLValue(trips[i].caseID)
                    case .manifestID: SQLValue(trips[i].manifestID)
                    case .receivedT: SQLValue(trips[i].receivedT)
                    }
                }
            }
        }
    }
}

/// The parameters of superseding: the audit row's time and actor, the run, the days.
private enum SupersedeParameters: String, ColumnSet {
    case at, atUnix = "at_unix", actor, runID = "run_id", caseID = "case_id", firstDay = "first_day", lastDay = "last_day"
}

/// Values of `evidence.kind`.
enum EvidenceKind {
    static let fixRange = "fix_range"
    static let sensor = "sensor"
    static let cameraEvent = "camera_event"
    static let image = "image"
    static let manifest = "manifest"
    static let gateEvent = "gate_event"
}
