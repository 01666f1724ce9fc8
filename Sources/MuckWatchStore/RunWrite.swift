public import MuckWatchCore

/// One run's write into the store, in steps, inside ONE transaction: begun before the
/// analysis, the references written while the vehicles are analyzed, each vehicle's cases,
/// trips and tracks as it is finished, and what needs the whole night (superseding, the
/// manifests' states, the run's record and summary) at the end, then one commit.
///
/// Why steps: written after the analysis, the store held the run on one core for 0.25 s of
/// a 0.96 s night at 1M fixes and 1.8–3.6 s at 10M while the other core idled (issue #22,
/// benchmarks/README.md). Until `commit`, nothing is visible to readers, and a run that
/// fails (or is killed) half-way leaves the store as it was: `abandon` rolls back, and a
/// transaction never committed is dropped by the database.
///
/// Used from one thread at a time (its connection's): `analyze` keeps it on the queue of
/// `StoreBeside`, `CaseStore.write` runs every step on the caller's thread.
///
/// Whoever calls the steps calls them in an order that does not depend on thread timing:
/// the rows' own keys (case ids, trip keys) do not depend on it anyway, but the serial ids of
/// violations, evidence and audit rows follow the order the cases are written in.
public final class RunWrite {
    let store: CaseStore
    /// The run's id (its `runs` row, visible to others once committed).
    public let runID: Int64
    let clock: LocalClock
    let startedAt: Int64
    private var writer: CaseWriter
    private var open = true
    /// Prepared with the first part that brings manifests or gate passes
    /// (`chainStatements(bringingRows:)`).
    private var chainStatements: ChainStatements?
    /// Set once a vehicle's part brought its manifests and gate passes (`writeVehicle`'s
    /// `chain`): the caller hands every vehicle's, and `complete` writes none.
    private var chainByVehicle = false
    /// The store's first run, written with a rollback journal instead of through the log
    /// (`FirstRunJournal`); WAL mode is restored once the run commits or rolls back.
    public private(set) var writesInPlace = false
    /// The manifests' and gate passes' indexes, dropped with their first row when their
    /// tables were empty and built again after their last (`IndexesAfterRows`).
    private var indexesAfterRows = IndexesAfterRows()

    /// Starts the transaction (takes the store's write lock) and inserts the run's row.
    /// - Parameters:
    ///   - clock: the run's zone (its audit rows and local days).
    ///   - startedAt: when the run started (`RunRecord.startedAt`), else now.
    public init(_ store: CaseStore, clock: LocalClock, startedAt: Int64?) throws(StoreError) {
        self.store = store
        self.clock = clock
        let now = store.now()
        self.startedAt = startedAt ?? now
        let db = store.db
        let inPlace = try store.beginFirstRunInPlace()
        writesInPlace = inPlace
        do {
            try db.execute(db.dialect.beginWrite, doing: "starting a transaction")
        } catch {
            if inPlace { store.endFirstRunInPlace() }
            throw error
        }
        do {
            runID = try store.insertRun(startedAt: self.startedAt, clock: clock, trips: 0, cases: 0)
            writer = CaseWriter(db: db, runID: runID, clock: clock, at: now, statements: try store.caseStatements())
        } catch {
            try? db.execute("ROLLBACK", doing: "rolling back a transaction")
            if inPlace { store.endFirstRunInPlace() }
            throw error
        }
    }

    /// The tables a run rewrites whole from its references: fences (for maps), permits and
    /// the vehicle registry (for case pages). They do not depend on the analysis.
    public func writeReferences(fences: [Fence], permits: [Permit], vehicles: [Vehicle]) throws(StoreError) {
        try guarded { () throws(StoreError) in
            let st = try store.caseStatements()
            try store.db.pipelined { () throws(StoreError) in try MapData.writeFences(fences, runID: runID, statements: st) }
            try MapData.writeRegistry(permits: permits, vehicles: vehicles, runID: runID, db: store.db)
        }
    }

    /// One vehicle's (or several's) finished part: its cases (upserted, officers' status and
    /// audit kept) in the given order, their tracks, its trips, and the camera reads kept
    /// with its cases; with `chain`, its manifests (judged: `ManifestLedger`) and the gate
    /// passes kept with its cases (`CaseEvidence.gateEvents`).
    ///
    /// Why the chain by vehicle: written after the last vehicle, a city night's ~60,000
    /// manifests held one core for 0.75 s while the other idled (issue #19). A vehicle's
    /// manifests are decided by its own trips and cases, so they can go as it is finished.
    /// A caller that passes `chain` passes it for every vehicle; `complete` then writes none.
    public func writeVehicle(cases: [Case], trips: [Trip], cameraEvents: [CameraEvent], plates: PlateTable,
                             chain: (manifests: [ManifestEntry], gatePasses: [(vehicle: String, event: GateEvent)])? = nil)
        throws(StoreError) {
        try guarded { () throws(StoreError) in
            for c in cases { try writer.write(c, plates: plates) }
            let st = try store.caseStatements()
            if let chain {
                chainByVehicle = true
                // Before the pipeline: no preparing inside.
                _ = try chainStatements(bringingRows: !chain.manifests.isEmpty || !chain.gatePasses.isEmpty)
            }
            // Rows nothing reads back: one pipeline on PostgreSQL, not a round trip each.
            try store.db.pipelined { () throws(StoreError) in
                try writer.writeTrips(trips, plates: plates)
                try MapData.writeTracks(cases, statements: st)
                try MapData.writeCameraEvents(cameraEvents, clock: clock, runID: runID, statements: st)
                if let chain, let chainStatements {
                    try ChainData.write(manifests: chain.manifests, gatePasses: chain.gatePasses, with: chainStatements,
                                        runID: runID, clock: clock, db: store.db)
                }
            }
        }
    }

    /// What needs the whole run, then the commit (`complete`, then `commit`).
    /// - Parameter run: the run whose vehicles were all written by `writeVehicle`.
    /// - Returns: the run's id.
    @discardableResult
    public func finish(_ run: RunResult) throws(StoreError) -> Int64 {
        try complete(run)
        return try commit()
    }

    /// What needs the whole run: cases of the run's days it no longer produces marked
    /// superseded, the manifests and gate passes (unless written by vehicle), the run's record and summary, its counts
    /// and finish time. The transaction stays open: `analyze` commits only once its output
    /// files are written too, so a run whose files fail leaves the store as it was.
    /// - Parameter run: the run whose vehicles were all written by `writeVehicle`.
    public func complete(_ run: RunResult) throws(StoreError) {
        try guarded { () throws(StoreError) in
            // Only the local days this run covers can lose cases: another night's cases in the
            // same store are not this run's business.
            var days = run.cases.map(\.date.days) + run.trips.map { clock.date(of: $0.loadedAt).days }
            if let span = run.record.dataSpan {
                days += [clock.date(of: span.lowerBound).days, clock.date(of: span.upperBound).days]
            }
            if let lo = days.min(), let hi = days.max() {
                try writer.supersedeAbsent(days: lo...hi, partition: run.record.partition)
            }
            let chainRows = !run.manifests.isEmpty || !run.gateEvents.isEmpty
            if !chainByVehicle, let st = try chainStatements(bringingRows: chainRows) {
                try ChainData.write(manifests: run.manifests, gatePasses: run.gateEvents, with: st, runID: runID,
                                    clock: clock, db: store.db)
            }
            try indexesAfterRows.rebuild(db: store.db)
            try store.writeMetadata(run.record, summary: run.summary, runID: runID, clock: clock)
            try store.finishRun(runID, at: max(store.now(), startedAt), clock: clock, trips: run.trips.count,
                                cases: run.cases.count)
        }
    }

    /// Writes the run's pages out of the page cache before `commit`, which then only syncs
    /// and ends the transaction. `analyze` calls it while its output files are still being
    /// written: the commit waits for them, and wrote a city night's 58 MB of pages after them,
    /// ~0.1 s with a core idle (issue #19).
    public func writeChangedPages() throws(StoreError) {
        try guarded { () throws(StoreError) in try store.db.writeChangedPages() }
    }

    /// Commits the run: from here readers see it whole.
    /// - Returns: the run's id.
    @discardableResult
    public func commit() throws(StoreError) -> Int64 {
        try guarded { () throws(StoreError) in
            try indexesAfterRows.rebuild(db: store.db)  // nothing when `complete` built them
            try store.db.execute("COMMIT", doing: "committing a transaction")
        }
        open = false
        if writesInPlace { store.endFirstRunInPlace() }
        store.clock = clock
        return runID
    }

    /// Rolls the run back: the store keeps what it held before `init`.
    public func abandon() {
        guard open else { return }
        open = false
        try? store.db.execute("ROLLBACK", doing: "rolling back a transaction")
        if writesInPlace { store.endFirstRunInPlace() }
    }

    /// The statements the run's manifests and gate passes are written with, prepared with the
    /// first part that brings such rows — when their tables' indexes are dropped if the tables
    /// are empty (`IndexesAfterRows`); `nil` until then.
    private func chainStatements(bringingRows: Bool) throws(StoreError) -> ChainStatements? {
        if chainStatements == nil, bringingRows {
            indexesAfterRows = try IndexesAfterRows(db: store.db)
            chainStatements = try ChainStatements(db: store.db)
        }
        return chainStatements
    }

    /// Runs a step, rolling the whole run back when it fails.
    private func guarded<R>(_ step: () throws(StoreError) -> R) throws(StoreError) -> R {
        guard open else { throw .runWriteEnded(runID: runID) }
        do {
            return try step()
        } catch {
            abandon()
            throw error
        }
    }
}
