public import MuckWatchCore
public import MuckWatchStore
public import MuckWatchJudge

/// The live session's one door to the store: its `runs` row, and every judged change
/// written in one transaction per call. One writer serves however many analysis shards,
/// so a burst of trip closures on every shard is still one write.
///
/// Not thread-safe: one owner (a serial queue) calls it.
public final class LiveStoreWriter {
    private let store: CaseStore
    private let runID: Int64
    private let plates: PlateTable
    private let clock: LocalClock
    /// The night's camera reads and those that reached the gateway through the store
    /// since (the store keeps those around each case).
    private var cameras: CameraReads
    /// Transactions written, and failed.
    public private(set) var writes = 0
    public private(set) var errors = 0
    /// The last store error, for logs (the live feed goes on without the store).
    public private(set) var lastError: StoreError?
    /// Each case as last written by this session (its track dropped), so a re-judged case
    /// writes only what changed (`CaseStore.upsertLive(stored:)`). Cases retracted since
    /// are not here: their next write restores them in full. Forgetting a case is always
    /// safe (its next write is a full one), so the map is kept to `storedLimit` cases.
    private var stored: [String: Case] = [:]
    /// About a day of a large city's cases; past it, cases whose trip has closed go first.
    static let storedLimit = 50_000
    /// Copies the log into the store beside the writes, never inside one of them.
    /// The file's log copier; `nil` for a PostgreSQL store (the server checkpoints).
    private let checkpointer: WALCheckpointer?

    /// Opens the live session (`CaseStore.beginLive`).
    /// - Parameter plates: the vehicle table `Fix.vehicle`/`Trip.vehicle` index (the analysis').
    public init(store: CaseStore, references refs: References, plates: PlateTable,
                cameras: CameraReads, epsg: Int) throws(StoreError) {
        self.store = store
        self.plates = plates
        clock = refs.config.clock
        self.cameras = cameras
        runID = try store.beginLive(clock: refs.config.clock, fences: refs.fences,
                                    record: RunRecord(projectionEPSG: epsg))
        try store.deferCheckpoints()
        try store.sizeCacheForFrequentCommits()
        checkpointer = store.dialect == .sqlite ? try WALCheckpointer(path: store.path) : nil
    }

    deinit { checkpointer?.stop() }

    /// Takes the camera reads cases are judged with from now on (`ChainInbox.cameras`):
    /// before the cases judged with them are written.
    public func updateCameras(_ cameras: CameraReads) {
        self.cameras = cameras
    }

    /// Writes `w` in one transaction; false (and `lastError` set) when the store failed.
    @discardableResult
    public func write(_ w: LiveWrites) -> Bool {
        guard !w.isEmpty else { return true }
        let cases = Array(w.cases.values).sorted { $0.id < $1.id }
        do {
            if !cases.isEmpty || !w.trips.isEmpty || !w.retracting.isEmpty {
                try store.upsertLive(runID: runID, cases: cases, trips: w.trips, plates: plates, clock: clock,
                                     cameraEvents: CaseEvidence.cameraEvents(cases, cameras),
                                     retracting: w.retracting.sorted(), stored: stored)
            }
            // After the cases they name, so a reader never sees a manifest's case missing.
            try store.updateManifestStates(w.manifests.values.sorted { $0.manifest.id < $1.manifest.id })
            for var c in cases {
                c.track = []
                stored[c.id] = c
            }
            for id in w.retracting { stored[id] = nil }
            if stored.count > Self.storedLimit {
                stored = stored.filter { $0.value.trip.map { $0.dumpedAt == nil } ?? false }
                if stored.count > Self.storedLimit / 2 { stored = [:] }
            }
            writes += 1
            return true
        } catch {
            failed(error)
            return false
        }
    }

    /// Lets the write-ahead log start over once the background checkpointer has caught up
    /// with it (`WALCheckpointer.takeCaughtUp`): call it between writes, right after one
    /// (it copies what was committed since the catch-up and syncs: the sooner, the less).
    /// Does nothing until the log has grown past 256 MB. A failure is retried at the next
    /// catch-up.
    public func settleLog() {
        guard let checkpointer, checkpointer.takeCaughtUp() else { return }
        try? store.checkpointLog()
    }

    /// Closes the session with its totals (`CaseStore.finishLive`).
    public func finish(trips: Int, cases: Int) {
        do {
            try store.finishLive(runID: runID, trips: trips, cases: cases, clock: clock)
        } catch {
            failed(error)
        }
        checkpointer?.stop()
    }

    private func failed(_ error: StoreError) {
        errors += 1
        lastError = error
    }
}
