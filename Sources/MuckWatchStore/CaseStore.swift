import Foundation
public import MuckWatchCore

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
    public internal(set) var clock: LocalClock

    /// The actor recorded for rows the pipeline itself writes.
    public static let pipelineActor = "muckwatch"

    /// Turns SQLite's automatic checkpoint off for this connection: a long-running writer
    /// (the live gateway) leaves it to a `WALCheckpointer` so no commit stalls on it.
    public func deferCheckpoints() throws(StoreError) {
        guard db.dialect == .sqlite else { return }  // the server checkpoints on its own
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
        guard db.dialect == .sqlite else { return }  // the server's shared buffers are the DBA's
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
        guard db.dialect == .sqlite else { return }
        try db.execute("PRAGMA wal_checkpoint(PASSIVE)", doing: "checkpointing the log")
    }

    /// The case writer's statements on this connection (prepared once).
    func caseStatements() throws(StoreError) -> CaseStatements {
        if let s = writerStatements { return s }
        let s = try CaseStatements(db: db)
        writerStatements = s
        return s
    }

    /// The store's file, or its server (`postgres://user@host:port/db`, no password).
    public var path: String { db.path }

    /// Which database the store is in: a file (SQLite, with its log and checkpoints) or a server.
    public var dialect: SQLDialect { db.dialect }

    /// Current Unix time, the default clock for run and audit rows.
    public static func systemNow() -> Int64 { Int64(Date().timeIntervalSince1970.rounded(.down)) }

    /// Opens (creating when missing) the store at `path` and applies any missing migrations.
    /// `path` is `--db` as given: a SQLite file, or a `postgres://` URL (`StoreLocation`).
    /// - Parameter now: source of "now" for run and audit rows (tests pin it).
    public convenience init(path: String, now: @escaping () -> Int64 = CaseStore.systemNow) throws(StoreError) {
        try self.init(location: try StoreLocation(parsing: path), now: now)
    }

    /// Opens (creating the tables when missing) the store at `location` and applies any
    /// missing migrations: SQLite's file, or PostgreSQL's database (with PostGIS).
    public init(location: StoreLocation, now: @escaping () -> Int64 = CaseStore.systemNow) throws(StoreError) {
        db = try Database(location)
        self.now = now
        clock = .shanghai
        if case .postgres = location {
            try PostgresSchema.migrate(db, now: now(), clockFormat: { LocalClock.shanghai.format($0) })
        } else {
            try Self.configureSQLite(db, now: now())
        }
        if let offset = try db.scalarInt("SELECT utc_offset_s FROM runs ORDER BY id DESC LIMIT 1") {
            self.clock = LocalClock(offsetSeconds: offset)
        }
    }

    /// The file's pragmas, then its migrations.
    private static func configureSQLite(_ db: Database, now: Int64) throws(StoreError) {
        // WAL: readers (the CLI listing cases) never block the writer and vice versa.
        try db.execute("PRAGMA journal_mode = WAL", doing: "switching to WAL mode")
        // NORMAL is crash-consistent under WAL; only the last commits may be lost on power failure.
        try db.execute("PRAGMA synchronous = NORMAL", doing: "setting synchronous mode")
        try db.execute("PRAGMA foreign_keys = ON", doing: "enabling foreign keys")
        // A night of trips touches tens of MB of table and index pages; a small cache thrashes.
        try db.execute("PRAGMA cache_size = -65536", doing: "sizing the page cache")
        // Statement journals of the bulk upserts otherwise go through a temp file: ~10 writes per trip.
        try db.execute("PRAGMA temp_store = MEMORY", doing: "keeping temporary data in memory")
        try Migrator.migrate(db, now: now, clockFormat: { LocalClock.shanghai.format($0) })
        CheckLists.rewrite(db)
    }

    /// Schema version of the open store.
    public func schemaVersion() throws(StoreError) -> Int {
        Int(try db.scalarInt("SELECT max(version) FROM migrations") ?? 0)
    }

    /// The key a trip is stored under: plate and loading start, stable across re-runs of the same data.
    public static func tripKey(plate: String, loadStart: Int64) -> String { plate + "/" + String(loadStart) }

    /// Persists one run in ONE transaction: run row and record, cases (upserted, status kept),
    /// their departments, violations and evidence, superseded marking, and every trip
    /// (`RunWrite`'s steps one after another; `analyze` takes them beside its analysis).
    /// - Returns: the new run's id.
    /// - Parameter written: told how many cases or trips were just written (for progress).
    @discardableResult
    public func write(_ run: RunResult, written: (Int) -> Void = { _ in }) throws(StoreError) -> Int64 {
        let w = try RunWrite(self, clock: run.clock, startedAt: run.record.startedAt)
        try w.writeReferences(fences: run.fences, permits: run.permits, vehicles: run.vehicles)
        for part in stride(from: 0, to: run.cases.count, by: 256) {
            let cases = Array(run.cases[part..<min(part + 256, run.cases.count)])
            try w.writeVehicle(cases: cases, trips: [], cameraEvents: [], plates: run.plates)
            written(cases.count)
        }
        try w.writeVehicle(cases: [], trips: run.trips, cameraEvents: run.cameraEvents, plates: run.plates)
        written(run.trips.count)
        return try w.finish(run)
    }

    /// Inserts the `runs` row of a run or live session; returns its id.
    func insertRun(startedAt: Int64, clock: LocalClock, trips: Int, cases: Int) throws(StoreError) -> Int64 {
        let p = try Parameters<RunColumns>(db, RunColumns.insert(into: "runs", except: [.id, .finishedAt, .finishedUnix]))
        try p.bindEach { c in
            switch c {
            case .startedAt: .text(clock.format(startedAt))
            case .startedUnix: .int(startedAt)
            case .utcOffsetSeconds: .int(clock.offsetSeconds)
            case .trips: SQLValue(trips)
            case .cases: SQLValue(cases)
            case .id, .finishedAt, .finishedUnix: .null
            }
        }
        try p.run()
        return try db.lastInsertRowID
    }

    /// Records when a run or live session finished, and (a live session's) its counts.
    func finishRun(_ runID: Int64, at finished: Int64, clock: LocalClock, trips: Int? = nil, cases: Int? = nil)
        throws(StoreError) {
        var set: [RunColumns] = [.finishedAt, .finishedUnix]
        if trips != nil { set.append(.trips) }
        if cases != nil { set.append(.cases) }
        let p = try Parameters<RunColumns>(db, "UPDATE runs SET \(RunColumns.assignments(set)) WHERE id = :id")
        try p.bindEach { c in
            switch c {
            case .id: .int(runID)
            case .finishedAt: .text(clock.format(finished))
            case .finishedUnix: .int(finished)
            case .trips: SQLValue(trips.map { Int64($0) })
            case .cases: SQLValue(cases.map { Int64($0) })
            case .startedAt, .startedUnix, .utcOffsetSeconds: .null
            }
        }
        try p.run()
    }
}
