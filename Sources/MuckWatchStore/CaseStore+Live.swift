public import MuckWatchCore

/// Writes of the live gateway. A live session is one `runs` row (run record `mode = live`)
/// that every live upsert is recorded under. Unlike `write(_:)`, nothing here marks the
/// store's other cases superseded: a live feed sees one vehicle's slice of the night at a
/// time, so the absence of a case from one evaluation says nothing about other vehicles'
/// cases or other runs. Only the cases the live session itself produced and later no
/// longer produces are marked superseded (`retracting`).
extension CaseStore {
    /// Opens a live session: its run row and record (`mode` live, started now), and the
    /// fences (for maps).
    /// - Returns: the run id every later live write is recorded under.
    public func beginLive(clock: LocalClock, fences: [Fence], record: RunRecord = RunRecord()) throws(StoreError)
        -> Int64 {
        let started = now()
        var record = record
        record.mode = .live
        record.startedAt = started
        return try db.transaction { () throws(StoreError) -> Int64 in
            let runID = try insertRun(startedAt: started, clock: clock, trips: 0, cases: 0)
            try writeMetadata(record, runID: runID, clock: clock)
            try MapData.write(cases: [], fences: fences, cameraEvents: [], clock: clock, runID: runID,
                              statements: try caseStatements())
            return runID
        }
    }

    /// Upserts one vehicle's live cases (content replaced, status and audit kept, a
    /// superseded case restored), its trips and the cases' tracks and camera events, and
    /// marks superseded the `retracting` cases (ids this session wrote earlier that the
    /// vehicle's latest evaluation no longer produces), all in one transaction.
    /// - Parameter stored: this session's last successful write of some of `cases` (by id,
    ///   not retracted since): for those only what changed is written.
    public func upsertLive(runID: Int64, cases: [Case], trips: [Trip], plates: PlateTable, clock: LocalClock,
                           cameraEvents: [CameraEvent] = [], retracting: [String] = [],
                           stored: [String: Case] = [:]) throws(StoreError) {
        let at = now()
        try db.transaction { () throws(StoreError) in
            var writer = CaseWriter(db: db, runID: runID, clock: clock, at: at, statements: try caseStatements())
            for c in cases {
                if let old = stored[c.id] {
                    try writer.write(c, replacing: old, plates: plates)
                } else {
                    try writer.write(c, plates: plates)
                }
            }
            let st = try caseStatements()
            // Rows nothing reads back: one pipeline on PostgreSQL, not a round trip each.
            try db.pipelined { () throws(StoreError) in
                try writer.writeTrips(trips, plates: plates)
                try MapData.write(cases: cases, fences: [], cameraEvents: cameraEvents, clock: clock, runID: runID,
                                  statements: st)
            }
            guard !retracting.isEmpty else { return }
            let audit = try Parameters<CaseEventColumns>(db, """
                INSERT INTO case_events(case_id, at, at_unix, actor, action, from_status, to_status, note, run_id)
                SELECT case_id, :at, CAST(:at_unix AS BIGINT), :actor, 'superseded', status, status, :note,
                    CAST(:run_id AS BIGINT)
                FROM cases WHERE case_id = :case_id AND superseded = 0
                """)
            let mark = try Parameters<CaseColumns>(
                db, "UPDATE cases SET superseded = 1 WHERE case_id = :case_id AND superseded = 0")
            for id in retracting {
                try audit.bindEach { column in
                    switch column {
                    case .at: .text(clock.format(at))
                    case .atUnix: .int(at)
                    case .actor: .text(CaseStore.pipelineActor)
                    case .note: .text("live: no longer produced")
                    case .runID: .int(runID)
                    case .caseID: .text(id)
                    case .id, .action, .fromStatus, .toStatus: .null  // not parameters here
                    }
                }
                try audit.run()
                try mark.bind(.caseID, .text(id))
                try mark.run()
            }
        }
    }

    /// A secret kept across restarts under `name` (table `gateway_keys`): drawn (`draw`)
    /// the first time it is asked for, the same value ever after. The store keeps it and
    /// knows nothing of its use (the gateway's auth codes: `AuthCodes.storeKeyName`).
    public func key(named name: String, draw: () -> UInt64 = { UInt64.random(in: 1...UInt64.max) })
        throws(StoreError) -> UInt64 {
        try db.transaction { () throws(StoreError) -> UInt64 in
            let known = try ResultColumns<GatewayKeyColumns>(db, "SELECT key FROM gateway_keys WHERE name = :name",
                                                             reading: [.key])
            try known.bind(.name, .text(name))
            if try known.step() { return UInt64(bitPattern: known.int64(.key)) }
            let k = draw()
            let insert = try Parameters<GatewayKeyColumns>(db, GatewayKeyColumns.insert(into: "gateway_keys"))
            let created = now()
            try insert.bindEach { column in
                switch column {
                case .name: .text(name)
                case .key: .int(Int64(bitPattern: k))
                case .createdUnix: .int(created)
                }
            }
            try insert.run()
            return k
        }
    }

    /// Closes a live session: finish time and the session's trip and case counts.
    public func finishLive(runID: Int64, trips: Int, cases: Int, clock: LocalClock) throws(StoreError) {
        try finishRun(runID, at: now(), clock: clock, trips: trips, cases: cases)
    }
}
