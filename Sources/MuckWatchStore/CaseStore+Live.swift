import MuckWatchCore

/// Writes of the live gateway. A live session is one `runs` row (metadata `mode = live`)
/// that every live upsert is recorded under. Unlike `write(_:)`, nothing here marks the
/// store's other cases superseded: a live feed sees one vehicle's slice of the night at a
/// time, so the absence of a case from one evaluation says nothing about other vehicles'
/// cases or other runs. Only the cases the live session itself produced and later no
/// longer produces are marked superseded (`retracting`).
extension CaseStore {
    /// Opens a live session: its run row and metadata, and the fences (for maps).
    /// - Returns: the run id every later live write is recorded under.
    public func beginLive(clock: LocalClock, fences: [Fence], metadata: [(key: String, value: String)])
        throws(StoreError) -> Int64 {
        let started = now()
        let runID = try db.transaction { () throws(StoreError) -> Int64 in
            let insertRun = try db.prepare("""
                INSERT INTO runs(started_at, started_unix, utc_offset_s, trips, cases) VALUES (?, ?, ?, 0, 0)
                """)
            try insertRun.bind(1, clock.format(started))
            try insertRun.bind(2, started)
            try insertRun.bind(3, clock.offsetSeconds)
            try insertRun.run()
            let runID = db.lastInsertRowID
            let meta = try db.prepare("INSERT OR REPLACE INTO run_metadata(run_id, key, value) VALUES (?, ?, ?)")
            for (key, value) in [("mode", "live"), ("started_at", clock.format(started))] + metadata {
                try meta.bind(1, runID)
                try meta.bind(2, key)
                try meta.bind(3, value)
                try meta.run()
            }
            let run = RunResult(plates: PlateTable(), trips: [], cases: [], rejects: [], summary: Summary(),
                                clock: clock, metadata: [], fences: fences)
            try MapData.write(run, runID: runID, statements: try caseStatements())
            return runID
        }
        return runID
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
            try writer.writeTrips(trips, plates: plates)
            let run = RunResult(plates: plates, trips: [], cases: cases, rejects: [], summary: Summary(),
                                clock: clock, metadata: [], cameraEvents: cameraEvents)
            try MapData.write(run, runID: runID, statements: try caseStatements())
            guard !retracting.isEmpty else { return }
            let audit = try db.prepare("""
                INSERT INTO case_events(case_id, at, at_unix, actor, action, from_status, to_status, note, run_id)
                SELECT case_id, ?1, ?2, ?3, 'superseded', status, status, 'live: no longer produced', ?4
                FROM cases WHERE case_id = ?5 AND superseded = 0
                """)
            let mark = try db.prepare("UPDATE cases SET superseded = 1 WHERE case_id = ? AND superseded = 0")
            for id in retracting {
                try audit.bind(1, clock.format(at))
                try audit.bind(2, at)
                try audit.bind(3, CaseStore.pipelineActor)
                try audit.bind(4, runID)
                try audit.bind(5, id)
                try audit.run()
                try mark.bind(1, id)
                try mark.run()
            }
        }
    }

    /// The live gateway's auth-code key: drawn (`draw`) the first time and kept in the
    /// store, so the codes terminals were given stay valid after a gateway restart.
    public func gatewayAuthKey(draw: () -> UInt64 = { UInt64.random(in: 1...UInt64.max) }) throws(StoreError) -> UInt64 {
        try db.transaction { () throws(StoreError) -> UInt64 in
            if let k = try db.scalarInt("SELECT key FROM gateway_keys WHERE name = 'auth'") {
                return UInt64(bitPattern: k)
            }
            let k = draw()
            let insert = try db.prepare("INSERT INTO gateway_keys(name, key, created_unix) VALUES ('auth', ?, ?)")
            try insert.bind(1, Int64(bitPattern: k))
            try insert.bind(2, now())
            try insert.run()
            return k
        }
    }

    /// Closes a live session: finish time and the session's trip and case counts.
    public func finishLive(runID: Int64, trips: Int, cases: Int, clock: LocalClock) throws(StoreError) {
        let s = try db.prepare("UPDATE runs SET finished_at = ?, finished_unix = ?, trips = ?, cases = ? WHERE id = ?")
        let t = now()
        try s.bind(1, clock.format(t))
        try s.bind(2, t)
        try s.bind(3, trips)
        try s.bind(4, cases)
        try s.bind(5, runID)
        try s.run()
    }
}
