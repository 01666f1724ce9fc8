public import MuckWatchCore
public import MuckWatchGeo

/// The per-vehicle incremental state machine: feed one vehicle's projected fixes in
/// time order, one at a time; a batch run and a live feed share this code.
///
/// Each accepted fix passes, in order: cleaning (duplicates, outliers) → fence
/// membership (recorded once) → dwell detection → sensor runs and load steps →
/// the trip builder. Trips appear in `track.trips` as soon as their unloading is seen.
public struct VehicleAnalyzer {
    public private(set) var track: VehicleTrack
    private let index: FenceIndex
    private let ids: [String]
    private let kinds: [FenceKind]
    private var cleaner: FixCleaner
    private var dwells: DwellDetector
    private var lift = SwitchRunTracker(active: 1)
    private var lidOpen = SwitchRunTracker(active: 0)
    private var load: LoadStepTracker
    private var trips: TripBuilder
    private var buffer: [Int32] = []
    /// The grid cell `buffer` answers for, when that cell is whole (`FenceIndex.isWhole`):
    /// a parked or queueing truck's fixes then need no query at all.
    private var bufferCell = Int.min
    private var finished = false

    public init(vehicle: Int32, index: FenceIndex, ids: [String], kinds: [FenceKind], config: Config) {
        track = VehicleTrack(vehicle: vehicle)
        self.index = index
        self.ids = ids
        self.kinds = kinds
        cleaner = FixCleaner(outlierSpeedKmh: config.outlierSpeedKmh)
        dwells = DwellDetector(radius: config.stopRadiusM, minSpan: config.dwellMinS)
        load = LoadStepTracker(step: config.loadStepT)
        trips = TripBuilder(config: config)
        buffer.reserveCapacity(8)
    }

    /// Room for `n` fixes in the track, when the caller knows how many are coming (a batch
    /// run does): no growing and copying of a night's arrays fix by fix.
    public mutating func reserve(fixes n: Int) {
        track.fixes.reserveCapacity(n)
        track.site.reserveCapacity(n)
        track.memberStart.reserveCapacity(n + 1)
        // Membership rows: one per fix reserved, grown past that where fences overlap.
        track.members.reserveCapacity(n)
    }

    public var duplicates: Int { cleaner.duplicates }
    public var outliers: Int { cleaner.outliers }
    public var late: Int { cleaner.late }
    /// True while a loaded trip is open. Stored, not computed: the live feed asks after
    /// every fix, and a computed property read through a class copies the whole analyzer.
    public private(set) var isLoaded = false

    /// Fixes dropped from the front of `track` by `trim(before:)` (live feeds only): a
    /// track index plus this is the index a batch run over the same fixes would give.
    public private(set) var trimmedFixes = 0

    /// The most fixes `trim(before:)` could drop now without changing anything the
    /// analyzer will still find, `nil` when none. Only between trips (no open trip), and
    /// only before every open dwell, sensor run and load level, less `keep` more fixes
    /// (the trip builder looks up to 10 fixes back from a dwell for a load reading; a
    /// dwell and a sensor run read the fix before their first). Every closed trip must
    /// lie wholly before the cut. Whether the *rules* can spare those fixes is the
    /// caller's question (`MuckWatchLive` checks it); a batch run never trims.
    public func trimmableFixes(keep: Int = 12) -> Int? {
        guard !finished, trips.open == nil, !isLoaded else { return nil }
        var oldest = track.count
        for k in [dwells.openFirst, lift.openFirst, lidOpen.openFirst, load.oldestHeld] {
            if let k { oldest = min(oldest, k) }
        }
        let cut = oldest - keep
        guard cut > 0, cut < track.count else { return nil }
        let cutTime = track.fixes[cut].time
        // A trip closed without a dump time (loaded again, no stop to dump at) reaches, for
        // `tripIndex(containing:)`, to the end of the track: it is never settled.
        for t in track.trips where t.dumpedAt == nil || t.fixRange.upperBound > cut || (t.dumpEnd ?? t.dumpedAt!) >= cutTime {
            return nil
        }
        return cut
    }

    /// Drops the first `n` fixes of the track (`n` at most `trimmableFixes()`) and what was
    /// found in them, shifting every index the analyzer still holds. Live feeds only: it
    /// bounds a long-running vehicle's memory by its open state, not its history.
    public mutating func trim(before n: Int) {
        guard n > 0 else { return }
        precondition(trips.open == nil && n < track.count, "trim inside an open trip")
        track.dropFixes(before: n)
        dwells.shift(by: n)
        lift.shift(by: n)
        lidOpen.shift(by: n)
        load.shift(by: n)
        trimmedFixes += n
    }

    /// Feeds the next fix (projected, same vehicle, not earlier than the previous one).
    public mutating func feed(_ fix: Fix) {
        precondition(!finished, "feed after finish")
        if let settled = cleaner.push(fix) { accept(settled) }
    }

    /// End of data: settles the held-back fix and closes every open dwell, run and trip.
    public mutating func finish() {
        guard !finished else { return }
        finished = true
        if let last = cleaner.flush() { accept(last) }
        guard track.count > 0 else { return }
        if let r = lift.close(track.fixes) { liftRun(r) }
        if let r = lidOpen.close(track.fixes) { track.lidOpenRuns.append(r) }
        if let s = load.flush(track.fixes) { loadStep(s) }
        if let d = dwells.flush(track.fixes) { dwell(d) }
        trips.finish(track: &track, sites: ids)
        isLoaded = trips.open != nil
    }

    private mutating func accept(_ f: Fix) {
        let i = track.fixes.count
        track.fixes.append(f)
        let cell = index.cell(x: f.x, y: f.y)
        if cell != bufferCell || !index.isWhole(cell) {
            index.query(inCell: cell, x: f.x, y: f.y, into: &buffer)
            bufferCell = index.isWhole(cell) ? cell : Int.min
        }
        var site: Int32 = -1
        for k in buffer where kinds[Int(k)].isSite {
            site = k
            break
        }
        track.site.append(site)
        track.members.append(contentsOf: buffer)
        track.memberStart.append(Int32(track.members.count))
        if f.hasLift { track.hasLift = true }
        if f.hasLid { track.hasLid = true }
        if f.hasLoad { track.hasLoadCell = true }

        if let d = dwells.push(i, track.fixes) { dwell(d) }
        if let r = lift.push(i, f.lift, track.fixes) { liftRun(r) }
        if let r = lidOpen.push(i, f.lid, track.fixes) { track.lidOpenRuns.append(r) }
        if let s = load.push(i, f.loadT, track.fixes) { loadStep(s) }
        isLoaded = trips.open != nil
    }

    private mutating func dwell(_ d0: Dwell) {
        var d = d0
        index.query(x: d.x, y: d.y, into: &buffer)
        bufferCell = Int.min
        for k in buffer where kinds[Int(k)].isSite {
            d.site = k
            break
        }
        track.dwells.append(d)
        trips.dwellClosed(d, kind: d.site >= 0 ? kinds[Int(d.site)] : nil, track: &track, sites: ids)
    }

    private mutating func liftRun(_ r: SensorRun) {
        track.liftRuns.append(r)
        trips.liftRun(r, track: &track, sites: ids, siteKinds: kinds)
    }

    private mutating func loadStep(_ s: LoadStep) {
        track.loadSteps.append(s)
        trips.loadStep(s, track: &track, sites: ids, siteKinds: kinds)
    }
}
