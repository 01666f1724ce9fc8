import CSQLite
import Foundation
import MuckWatchCore

/// The embedded case store (`muckwatch.sqlite` in the output folder): every run's trips and
/// cases, and the officers' work on them (status, audit trail), in one file.
///
/// Why SQLite: officers query cases by status, department, type, company, date and vehicle
/// long after a run, and their status changes must survive re-runs; a single WAL-mode file
/// gives that with no server. Re-running into the same store upserts case content but never
/// resets status or audit rows; cases a run no longer produces are marked superseded, never deleted.
public final class CaseStore {
    let db: Database
    let now: () -> Int64
    /// `CaseWriter`'s statements, prepared at the first write.
    private var writerStatements: CaseStatements?
    /// Zone of audit timestamps written outside a run: the latest run's, else China Standard Time.
    public private(set) var clock: LocalClock

    /// The actor recorded for rows the pipeline itself writes.
    public static let pipelineActor = "muckwatch"

    /// Turns SQLite's automatic checkpoint off for this connection: a long-running writer
    /// (the live gateway) leaves it to a `WALCheckpointer` so no commit stalls on it.
    public func deferCheckpoints() throws(StoreError) {
        try db.execute("PRAGMA wal_autocheckpoint = 0", doing: "deferring checkpoints")
    }

    /// Page cache of a writer that commits many small transactions (the live gateway's, up
    /// to a few hundred a second), in KiB; a batch run keeps the 64 MB of `init`.
    public static let frequentCommitCacheKiB = 8192

    /// Shrinks this connection's page cache to `frequentCommitCacheKiB`.
    ///
    /// Why: when a commit's B-tree splits renumber pages, SQLite parks a page under a
    /// temporary number past the file's end, and the commit that follows then walks the
    /// whole page cache to drop it (SQLite 3.40: 168 of the gateway's ~200 commits a second
    /// at 100k fixes/s). With 64 MB of cache each walk cost ~0.4 ms, about a fifth of the
    /// live writer's CPU; with 8 MB the writer spends 20–30 % less CPU per case written
    /// (docs/gateway.md, "The live writer's page cache"), and the pages it needs still fit.
    public func sizeCacheForFrequentCommits() throws(StoreError) {
        try db.execute("PRAGMA cache_size = -\(Self.frequentCommitCacheKiB)", doing: "sizing the page cache")
    }

    /// Copies into the database what is left of the write-ahead log, on this (the
    /// writer's) connection between its transactions. A checkpoint on another connection
    /// (`WALCheckpointer`) while this one keeps committing never reaches the log's end, and
    /// SQLite starts the log over only once one has: under a steady stream of commits the
    /// log grew without end (630 MB after 36 s of the gateway at 100k fixes/s, every frame
    /// a new block of the file to allocate and zero). Run between commits, this one does
    /// reach the end; it is short when the background checkpointer did most of the copying.
    public func checkpointLog() throws(StoreError) {
        try db.execute("PRAGMA wal_checkpoint(PASSIVE)", doing: "checkpointing the log")
    }

    /// The case writer's statements on this connection (prepared once).
    func caseStatements() throws(StoreError) -> CaseStatements {
        if let s = writerStatements { return s }
        let s = try CaseStatements(db: db)
        writerStatements = s
        return s
    }

    /// The store's file.
    public var path: String { db.path }

    /// Current Unix time, the default clock for run and audit rows.
    public static func systemNow() -> Int64 { Int64(Date().timeIntervalSince1970.rounded(.down)) }

    /// Opens (creating when missing) the store at `path` and applies any missing migrations.
    /// - Parameter now: source of "now" for run and audit rows (tests pin it).
    public init(path: String, now: @escaping () -> Int64 = CaseStore.systemNow) throws(StoreError) {
        db = try Database(path: path)
        self.now = now
        clock = .shanghai
        // WAL: readers (the CLI listing cases) never block the writer and vice versa.
        try db.execute("PRAGMA journal_mode = WAL", doing: "switching to WAL mode")
        // NORMAL is crash-consistent under WAL; only the last commits may be lost on power failure.
        try db.execute("PRAGMA synchronous = NORMAL", doing: "setting synchronous mode")
        try db.execute("PRAGMA foreign_keys = ON", doing: "enabling foreign keys")
        // A night of trips touches tens of MB of table and index pages; a small cache thrashes.
        try db.execute("PRAGMA cache_size = -65536", doing: "sizing the page cache")
        // Statement journals of the bulk upserts otherwise go through a temp file: ~10 writes per trip.
        try db.execute("PRAGMA temp_store = MEMORY", doing: "keeping temporary data in memory")
        let clock = self.clock
        try Migrator.migrate(db, now: now(), clockFormat: { clock.format($0) })
        if let offset = try db.scalarInt("SELECT utc_offset_s FROM runs ORDER BY id DESC LIMIT 1") {
            self.clock = LocalClock(offsetSeconds: offset)
        }
    }

    /// Schema version of the open store.
    public func schemaVersion() throws(StoreError) -> Int {
        Int(try db.scalarInt("SELECT max(version) FROM migrations") ?? 0)
    }

    /// The key a trip is stored under: plate and loading start, stable across re-runs of the same data.
    public static func tripKey(plate: String, loadStart: Int64) -> String { plate + "/" + String(loadStart) }

    /// Persists one run in ONE transaction: run row and metadata, cases (upserted, status kept),
    /// their departments, violations and evidence, superseded marking, and every trip.
    /// - Returns: the new run's id.
    @discardableResult
    public func write(_ run: RunResult) throws(StoreError) -> Int64 {
        let startedNow = now()
        let clock = run.clock
        let started = run.metadata.last(where: { $0.key == "started_at" }).flatMap { TimeParser.parse($0.value) }
            ?? startedNow
        let runID = try db.transaction { () throws(StoreError) -> Int64 in
            let insertRun = try db.prepare("""
                INSERT INTO runs(started_at, started_unix, utc_offset_s, trips, cases) VALUES (?, ?, ?, ?, ?)
                """)
            try insertRun.bind(1, clock.format(started))
            try insertRun.bind(2, started)
            try insertRun.bind(3, clock.offsetSeconds)
            try insertRun.bind(4, run.trips.count)
            try insertRun.bind(5, run.cases.count)
            try insertRun.run()
            let runID = db.lastInsertRowID

            let meta = try db.prepare("INSERT OR REPLACE INTO run_metadata(run_id, key, value) VALUES (?, ?, ?)")
            for (key, value) in run.metadata {
                try meta.bind(1, runID)
                try meta.bind(2, key)
                try meta.bind(3, value)
                try meta.run()
            }

            var writer = CaseWriter(db: db, runID: runID, clock: clock, at: startedNow, statements: try caseStatements())
            for c in run.cases { try writer.write(c, plates: run.plates) }
            // Only the local days this run covers can lose cases: another night's cases in the
            // same store are not this run's business.
            var days = run.cases.map(\.date.days) + run.trips.map { clock.date(of: $0.loadedAt).days }
            for key in ["data_from", "data_to"] {
                if let t = run.metadata.last(where: { $0.key == key }).flatMap({ TimeParser.parse($0.value) }) {
                    days.append(clock.date(of: t).days)
                }
            }
            if let lo = days.min(), let hi = days.max() { try writer.supersedeAbsent(days: lo...hi) }
            try writer.writeTrips(run.trips, plates: run.plates)
            try MapData.write(run, runID: runID, statements: try caseStatements())
            try MapData.writeRegistry(run, runID: runID, db: db)

            let finish = try db.prepare("UPDATE runs SET finished_at = ?, finished_unix = ? WHERE id = ?")
            let finished = max(now(), started)
            try finish.bind(1, clock.format(finished))
            try finish.bind(2, finished)
            try finish.bind(3, runID)
            try finish.run()
            return runID
        }
        self.clock = clock
        return runID
    }
}

/// The statements one `CaseWriter` and `MapData.write` use, prepared once per connection
/// (`CaseStore`) and reused by every write: the live gateway writes a few hundred small
/// transactions a second, and preparing eleven statements each time was ~7 % of its
/// store's time (the three map statements, 1.3 % of the gateway's CPU, came later).
final class CaseStatements {
    let selectCase: Statement
    let upsertCase: Statement
    let updateCaseTrip: Statement
    let deleteViolations: Statement
    let deleteViolationsFrom: Statement
    let deleteDepartments: Statement
    let insertDepartment: Statement
    let noteDepartment: Statement
    let insertViolation: Statement
    let insertEvidence: Statement
    let insertEvent: Statement
    let upsertTrip: Statement
    let upsertTrack: Statement
    let upsertFence: Statement
    let upsertCameraEvent: Statement

    init(db: Database) throws(StoreError) {
        selectCase = try db.prepare("SELECT status, superseded FROM cases WHERE case_id = ?")
        upsertCase = try db.prepare("""
            INSERT INTO cases(case_id, vehicle_id, company, status, departments, case_date, case_day,
                trip_key, trip_source_site, trip_loaded_at, trip_loaded_unix, trip_disposal_site,
                trip_dump_lon, trip_dump_lat, trip_dumped_at, trip_dumped_unix, trip_distance_km, trip_load_t,
                trip_permit_id, created_run, updated_run, superseded)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?20, 0)
            ON CONFLICT(case_id) DO UPDATE SET
                vehicle_id = excluded.vehicle_id, company = excluded.company, departments = excluded.departments,
                case_date = excluded.case_date, case_day = excluded.case_day, trip_key = excluded.trip_key,
                trip_source_site = excluded.trip_source_site, trip_loaded_at = excluded.trip_loaded_at,
                trip_loaded_unix = excluded.trip_loaded_unix, trip_disposal_site = excluded.trip_disposal_site,
                trip_dump_lon = excluded.trip_dump_lon, trip_dump_lat = excluded.trip_dump_lat,
                trip_dumped_at = excluded.trip_dumped_at, trip_dumped_unix = excluded.trip_dumped_unix,
                trip_distance_km = excluded.trip_distance_km, trip_load_t = excluded.trip_load_t,
                trip_permit_id = excluded.trip_permit_id, updated_run = excluded.updated_run, superseded = 0
            """)
        // The columns a re-judged case's trip changes, none of them indexed: an update of
        // only these leaves the six indexes of `cases` alone.
        updateCaseTrip = try db.prepare("""
            UPDATE cases SET departments = ?2, trip_key = ?8, trip_source_site = ?9, trip_loaded_at = ?10,
                trip_loaded_unix = ?11, trip_disposal_site = ?12, trip_dump_lon = ?13, trip_dump_lat = ?14,
                trip_dumped_at = ?15, trip_dumped_unix = ?16, trip_distance_km = ?17, trip_load_t = ?18,
                trip_permit_id = ?19
            WHERE case_id = ?1
            """)
        deleteViolations = try db.prepare("DELETE FROM violations WHERE case_id = ?")
        deleteViolationsFrom = try db.prepare("DELETE FROM violations WHERE case_id = ? AND ord >= ?")
        deleteDepartments = try db.prepare("DELETE FROM case_departments WHERE case_id = ?")
        insertDepartment = try db.prepare(
            "INSERT OR IGNORE INTO case_departments(case_id, department, ord) VALUES (?, ?, ?)")
        noteDepartment = try db.prepare("INSERT OR IGNORE INTO departments(department) VALUES (?)")
        insertViolation = try db.prepare("""
            INSERT INTO violations(case_id, ord, vehicle_id, type, start_at, start_unix, end_at, end_unix,
                lon, lat, source, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertEvidence = try db.prepare(
            "INSERT INTO evidence(violation_id, ord, kind, value, t0, t1) VALUES (?, ?, ?, ?, ?, ?)")
        insertEvent = try db.prepare("""
            INSERT INTO case_events(case_id, at, at_unix, actor, action, from_status, to_status, note, run_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)
            """)
        upsertTrip = try db.prepare("""
            INSERT INTO trips(trip_key, run_id, vehicle_id, source_site, loaded_at, loaded_unix, disposal_site,
                dump_lon, dump_lat, dumped_at, dumped_unix, distance_km, load_t, permit_id, case_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(trip_key) DO UPDATE SET
                run_id = excluded.run_id, vehicle_id = excluded.vehicle_id, source_site = excluded.source_site,
                loaded_at = excluded.loaded_at, loaded_unix = excluded.loaded_unix,
                disposal_site = excluded.disposal_site, dump_lon = excluded.dump_lon, dump_lat = excluded.dump_lat,
                dumped_at = excluded.dumped_at, dumped_unix = excluded.dumped_unix,
                distance_km = excluded.distance_km, load_t = excluded.load_t, permit_id = excluded.permit_id,
                case_id = excluded.case_id
            """)
        upsertTrack = try db.prepare("INSERT OR REPLACE INTO case_tracks(case_id, points) VALUES (?, ?)")
        upsertFence = try db.prepare("""
            INSERT OR REPLACE INTO fences(fence_id, kind, name, geometry, corridor_m, radius_m, run_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        upsertCameraEvent = try db.prepare("""
            INSERT OR REPLACE INTO camera_events(event_id, checkpoint_id, at, at_unix, plate, type, confidence, image, run_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
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
        try st.selectCase.bind(1, c.id)
        var previous: (status: String, superseded: Bool)?
        if try st.selectCase.step() { previous = (st.selectCase.text(0), st.selectCase.int64(1) != 0) }
        st.selectCase.reset()

        try upsertHeader(c, plates: plates)
        if let previous {
            try st.deleteViolations.bind(1, c.id)
            try st.deleteViolations.run()
            try st.deleteDepartments.bind(1, c.id)
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
            let u = st.updateCaseTrip
            try u.bind(1, c.id)
            try u.bind(2, c.departments.joined(separator: ","))
            try bindTrip(c, plates: plates, to: u)
            try u.run()
        }
        if c.departments != stored.departments {
            try st.deleteDepartments.bind(1, c.id)
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
            try st.deleteViolationsFrom.bind(1, c.id)
            try st.deleteViolationsFrom.bind(2, first)
            try st.deleteViolationsFrom.run()
        }
        try insertViolations(c, from: first, plates: plates)
    }

    private func upsertHeader(_ c: Case, plates: PlateTable) throws(StoreError) {
        let u = st.upsertCase
        try u.bind(1, c.id)
        try u.bind(2, c.vehicleID)
        try u.bind(3, c.company)
        try u.bind(4, c.status.rawValue)
        try u.bind(5, c.departments.joined(separator: ","))
        try u.bind(6, c.date.description)
        try u.bind(7, c.date.days)
        try bindTrip(c, plates: plates, to: u)
        try u.bind(20, runID)
        try u.run()
    }

    /// Binds parameters 8–19 (the case's trip, NULL for a day case).
    private func bindTrip(_ c: Case, plates: PlateTable, to u: Statement) throws(StoreError) {
        if let t = c.trip {
            try u.bind(8, CaseStore.tripKey(plate: plates[t.vehicle], loadStart: t.loadStart))
            try u.bind(9, t.sourceSite)
            try u.bind(10, clock.format(t.loadedAt))
            try u.bind(11, t.loadedAt)
            try u.bind(12, t.disposalSite)
            try u.bind(13, Optional(t.dumpLon))
            try u.bind(14, Optional(t.dumpLat))
            try u.bind(15, t.dumpedAt.map { clock.format($0) })
            try u.bind(16, t.dumpedAt)
            try u.bind(17, t.distanceKm)
            try u.bind(18, t.loadT)
            try u.bind(19, t.permitID)
        } else {
            for i: Int32 in 8...19 { try u.bindNull(i) }
        }
    }

    private func insertDepartments(_ c: Case) throws(StoreError) {
        for (i, d) in c.departments.enumerated() {
            try st.insertDepartment.bind(1, c.id)
            try st.insertDepartment.bind(2, d)
            try st.insertDepartment.bind(3, i)
            try st.insertDepartment.run()
            try st.noteDepartment.bind(1, d)
            try st.noteDepartment.run()
        }
    }

    private func insertViolations(_ c: Case, from first: Int, plates: PlateTable) throws(StoreError) {
        for i in first..<c.violations.count {
            let v = c.violations[i]
            let s = st.insertViolation
            try s.bind(1, c.id)
            try s.bind(2, i)
            try s.bind(3, Int(v.vehicle) < plates.count && v.vehicle >= 0 ? plates[v.vehicle] : c.vehicleID)
            try s.bind(4, v.type.rawValue)
            try s.bind(5, clock.format(v.start))
            try s.bind(6, v.start)
            try s.bind(7, clock.format(v.end))
            try s.bind(8, v.end)
            try s.bind(9, v.lon)
            try s.bind(10, v.lat)
            try s.bind(11, v.source.rawValue)
            try s.bind(12, v.detail)
            try s.run()
            try writeEvidence(v.evidence, violation: db.lastInsertRowID)
        }
    }

    private func writeEvidence(_ e: Evidence, violation: Int64) throws(StoreError) {
        var ord = 0
        let s = st.insertEvidence
        func row(_ kind: String, _ value: String, _ t0: Int64?, _ t1: Int64?) throws(StoreError) {
            try s.bind(1, violation)
            try s.bind(2, ord)
            try s.bind(3, kind)
            try s.bind(4, value)
            try s.bind(5, t0)
            try s.bind(6, t1)
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
    }

    private func event(_ caseID: String, action: String, from: String?, to: String?) throws(StoreError) {
        let s = st.insertEvent
        try s.bind(1, caseID)
        try s.bind(2, atText)
        try s.bind(3, at)
        try s.bind(4, CaseStore.pipelineActor)
        try s.bind(5, action)
        try s.bind(6, from)
        try s.bind(7, to)
        try s.bind(8, runID)
        try s.run()
    }

    /// Cases in the store that this run did not produce: flag (and audit) them, never delete.
    func supersedeAbsent(days: ClosedRange<Int64>) throws(StoreError) {
        let audit = try db.prepare("""
            INSERT INTO case_events(case_id, at, at_unix, actor, action, from_status, to_status, note, run_id)
            SELECT case_id, ?1, ?2, ?3, 'superseded', status, status, NULL, ?4
            FROM cases WHERE superseded = 0 AND updated_run <> ?4 AND case_day BETWEEN ?5 AND ?6 ORDER BY case_id
            """)
        try audit.bind(1, atText)
        try audit.bind(2, at)
        try audit.bind(3, CaseStore.pipelineActor)
        try audit.bind(4, runID)
        try audit.bind(5, days.lowerBound)
        try audit.bind(6, days.upperBound)
        try audit.run()
        let mark = try db.prepare("""
            UPDATE cases SET superseded = 1 WHERE superseded = 0 AND updated_run <> ?1 AND case_day BETWEEN ?2 AND ?3
            """)
        try mark.bind(1, runID)
        try mark.bind(2, days.lowerBound)
        try mark.bind(3, days.upperBound)
        try mark.run()
    }

    func writeTrips(_ trips: [Trip], plates: PlateTable) throws(StoreError) {
        let s = st.upsertTrip
        for t in trips {
            let plate = plates[t.vehicle]
            try s.bind(1, CaseStore.tripKey(plate: plate, loadStart: t.loadStart))
            try s.bind(2, runID)
            try s.bind(3, plate)
            try s.bind(4, t.sourceSite)
            try s.bind(5, clock.format(t.loadedAt))
            try s.bind(6, t.loadedAt)
            try s.bind(7, t.disposalSite)
            try s.bind(8, Optional(t.dumpLon))
            try s.bind(9, Optional(t.dumpLat))
            try s.bind(10, t.dumpedAt.map { clock.format($0) })
            try s.bind(11, t.dumpedAt)
            try s.bind(12, t.distanceKm)
            try s.bind(13, t.loadT)
            try s.bind(14, t.permitID)
            try s.bind(15, t.caseID)
            try s.run()
        }
    }
}

/// Values of `evidence.kind`.
enum EvidenceKind {
    static let fixRange = "fix_range"
    static let sensor = "sensor"
    static let cameraEvent = "camera_event"
    static let image = "image"
}
