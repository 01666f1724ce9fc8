public import MuckWatchCore
public import MuckWatchGeo
import MuckWatchAnalysis
public import MuckWatchStore
public import MuckWatchJudge

/// The live counterpart of `Analysis.run`: the same references, the same per-vehicle
/// `VehicleAnalyzer`, the same rules and case builder (`VehicleJudge`), fed fix by fix as
/// terminals report instead of from a night's files.
///
/// Not thread-safe by design: one owner (a gateway shard's serial queue) calls it, so the
/// analyzers need no locks and fixes of a vehicle are seen in arrival order. State is
/// kept per vehicle, never per connection, so a terminal that reconnects mid-trip
/// continues its trip.
///
/// When cases are judged: whenever a vehicle's trip closes, and every
/// `evaluateEverySeconds` of that vehicle's feed time while it carries a load (so track
/// violations of an open trip are not held back until it ends). A judgement runs the
/// rules over a copy of the analyzer finished at that moment, i.e. exactly what a batch
/// run over the fixes seen so far would find; `finish()` judges the real analyzers, so
/// the final store content equals the batch run's. Judged changes are written to the
/// store by `flush()`, one transaction for everything pending, so a burst of alerts
/// costs one write.
///
/// Manifests and gate records (contract section 12) reach it through the store
/// (`ChainInbox`) and are handed over whole by `updateChain`, which re-judges the vehicles
/// they concern; a manifest whose closing limit passes is judged by `judgeDue` without
/// waiting for its truck's next fix. Every judgement reads the records up to the live
/// clock (`clock`, the latest time the caller gave), as a batch run reads them up to its
/// last fix.
public final class LiveAnalysis {
    public struct Options: Sendable {
        /// Fixes up to this many seconds older than the newest fix of their vehicle are
        /// sorted into place; older ones are rejected (counted in `late`).
        public var reorderWindowSeconds: Int64 = 60
        /// Re-judge a loaded vehicle after this many seconds of its feed time (the cost of
        /// a judgement grows with the vehicle's track: this bounds the live work).
        public var evaluateEverySeconds: Int64 = 30
        /// …and only once its track has grown by this fraction (1/n) since the last
        /// judgement, or `evaluateAtLeastEverySeconds` of feed time have passed: each
        /// judgement runs the rules over the vehicle's whole track, so judging on growth
        /// keeps a night's judgement work linear in its fixes.
        public var openTripGrowthDivisor = 8
        public var evaluateAtLeastEverySeconds: Int64 = 600
        /// Drop a vehicle's fixes once the trips they hold are closed, judged and stored
        /// and no later judgement can need them (`HistoryTrim`): memory then follows the
        /// open state, not the hours the gateway has run. Off: every track is kept whole.
        public var trimHistory = true
        /// Projected CRS; `nil`: the config's, else the Gauss–Krüger zone of the fences.
        public var epsg: Int?
        /// While manifests or gate records are judged, history is trimmed only this many
        /// seconds behind the live clock: records about a trip (its manifest, its closing,
        /// the gates it passed) arrive through the store after the trip, and a manifest's
        /// rules read the trip it matched. `nil`: `manifest_close_max_s + manifest_match_s`
        /// (by then a manifest is closed or unclosed).
        public var chainSettleSeconds: Int64?
        public init() {}
    }

    /// What has been fed so far.
    public struct Counters: Sendable, Equatable {
        public var fixes = 0
        /// Fixes older than their vehicle's reorder window, not analyzed.
        public var late = 0
        /// Fixes for a vehicle index the registry does not have.
        public var unknownVehicle = 0
        /// Fixes fed after `finish()`, not analyzed.
        public var afterFinish = 0
        public var evaluations = 0
        public var alerts = 0
        public var storeWrites = 0
        public var storeErrors = 0
        /// Times a vehicle's settled history was dropped (`Options.trimHistory`).
        public var trims = 0

        public init() {}

        public static func += (a: inout Counters, b: Counters) {
            a.fixes += b.fixes
            a.late += b.late
            a.unknownVehicle += b.unknownVehicle
            a.afterFinish += b.afterFinish
            a.evaluations += b.evaluations
            a.alerts += b.alerts
            a.storeWrites += b.storeWrites
            a.storeErrors += b.storeErrors
            a.trims += b.trims
        }
    }

    public let references: References
    public let options: Options
    public let index: FenceIndex
    public let epsg: Int
    /// Registered vehicles, interned in registry order: `Fix.vehicle` indexes this.
    public private(set) var plates = PlateTable()
    public private(set) var counters = Counters()
    /// The last store error, for logs (the live feed goes on without the store).
    public var lastStoreError: StoreError? { writer?.lastError }

    private(set) var judge: VehicleJudge
    /// The latest time the caller gave (`feed`, `releaseQuiet`, `updateChain`, `judgeDue`):
    /// how far the manifests' closing limits are judged (`VehicleJudge.judge(dataEnd:)`).
    public internal(set) var clock = Int64.min
    /// The vehicles this analysis judges chain records for, of a partition's (`LivePartition`):
    /// a manifest is judged by the shard its vehicle's fixes go to, and by no other.
    var shard = (index: 0, count: 1)
    /// Closing limits of open manifests not yet passed, soonest first: when the clock
    /// passes one, its vehicle is judged (`judgeDue`).
    var dues: [(time: Int64, plate: String)] = []
    private let projector: Projector
    private let ids: [String]
    private let kinds: [FenceKind]
    /// Per fence: a restricted zone (the rules that look across a trim cut).
    private let restricted: [Bool]
    private(set) var vehicles: [VehicleState] = []
    let writer: LiveStoreWriter?
    /// Judged changes are kept for the store (a store given, or `recordsWrites`).
    private let records: Bool
    private var pending = LiveWrites()
    private(set) var isFinished = false

    /// - Parameters:
    ///   - store: where cases are upserted as they are found (`nil`: alerts only).
    ///   - recordsWrites: without a store, still keep the judged changes for `takeWrites()`
    ///     (an analysis shard whose writes go through one shared `LiveStoreWriter`).
    public init(references refs: References, store: CaseStore? = nil, options: Options = Options(),
                recordsWrites: Bool = false) throws(AnalysisError) {
        references = refs
        self.options = options
        let epsg = options.epsg ?? refs.projectionEPSG
        self.epsg = epsg
        do { projector = try Projector(epsg: epsg) } catch { throw .geometry("fences: \(error)") }
        index = try refs.fenceIndex(epsg: epsg)
        judge = VehicleJudge(index: index, references: refs)
        ids = index.fences.map(\.id)
        kinds = index.fences.map(\.kind)
        restricted = kinds.map { $0 == .restrictedZone }
        for v in refs.vehicles { _ = plates.intern(v.id) }
        records = store != nil || recordsWrites
        if let store {
            do {
                writer = try LiveStoreWriter(store: store, references: refs, plates: plates,
                                             cameras: judge.cameras, epsg: epsg)
            } catch {
                throw .output("store: \(error)")
            }
        } else {
            writer = nil
        }
        for v in 0..<plates.count { vehicles.append(VehicleState(analyzer: analyzer(Int32(v)))) }
    }

    /// Camera reads by plate, time-ordered (what the store keeps with cases).
    public var cameras: CameraReads { judge.cameras }

    private func analyzer(_ v: Int32) -> VehicleAnalyzer {
        VehicleAnalyzer(vehicle: v, index: index, ids: ids, kinds: kinds, config: references.config)
    }

    /// The vehicle index of a registered plate.
    public func vehicle(plate: String) -> Int32? { plates.lookup(plate) }

    /// The vehicle index of any plate, adding an unregistered one (replays of trace files
    /// judge every plate, as a batch run does; the gateway only admits registered terminals).
    public func vehicle(addingPlate plate: String) -> Int32 {
        let v = plates.intern(plate)
        while vehicles.count < plates.count { vehicles.append(VehicleState(analyzer: analyzer(Int32(vehicles.count)))) }
        return v
    }

    /// Feeds fixes (WGS84; `vehicle` set to an index of `plates`), in arrival order.
    /// Projects them, sorts each into its vehicle's reorder window, analyzes what leaves
    /// the window, and judges vehicles whose trip closed or whose open trip is due.
    /// - Returns: alerts for new cases and new violations, in the order found.
    /// - Parameter now: arrival time (Unix seconds, wall clock), for `releaseQuiet`.
    public func feed(_ fixes: [Fix], at now: Int64 = CaseStore.systemNow()) -> [LiveAlert] {
        guard !fixes.isEmpty else { return [] }
        advance(to: now)
        guard !isFinished else {
            counters.fixes += fixes.count
            counters.afterFinish += fixes.count
            return []
        }
        var batch = fixes
        projector.project(&batch)
        var alerts: [LiveAlert] = []
        for f in batch { feed(projected: f, now: now, alerts: &alerts) }
        return alerts
    }

    /// Analyzes the fixes still held in the reorder window of vehicles that have sent
    /// nothing for a window's length of wall time: a truck that goes quiet right after
    /// closing a trip (parked, terminal off) is judged now, not when it reports again.
    /// The gateway calls it a few times a second.
    public func releaseQuiet(at now: Int64 = CaseStore.systemNow()) -> [LiveAlert] {
        guard !isFinished else { return [] }
        advance(to: now)
        var alerts: [LiveAlert] = []
        for v in vehicles.indices where !vehicles[v].pending.isEmpty
            && now - vehicles[v].lastArrival >= options.reorderWindowSeconds {
            if vehicles[v].release(olderThan: .max) { judgeIfDue(v, alerts: &alerts) }
        }
        return alerts
    }

    /// True when judged cases or trips wait to be written (`flush()`).
    public var hasPendingWrites: Bool { !pending.isEmpty }

    /// Writes every judged change not yet in the store, in one transaction. Call it before
    /// sending the alerts `feed` returned (so a case is in the store before its alert
    /// leaves), and a few times a second for the refreshes of open trips.
    public func flush() {
        guard !pending.isEmpty else { return }
        let p = takeWrites()
        guard let writer else { return }
        if writer.write(p) { counters.storeWrites += 1 } else { counters.storeErrors += 1 }
    }

    /// Hands over the judged changes not yet written (`recordsWrites`): the caller writes
    /// them (`LiveStoreWriter`) before sending the alerts that came with them.
    public func takeWrites() -> LiveWrites {
        defer { pending = LiveWrites() }
        return pending
    }

    private func feed(projected f: Fix, now: Int64, alerts: inout [LiveAlert]) {
        counters.fixes += 1
        let v = Int(f.vehicle)
        guard v >= 0, v < vehicles.count else {
            counters.unknownVehicle += 1
            return
        }
        let s = vehicles[v]
        guard s.insert(f) else {
            counters.late += 1
            return
        }
        s.lastArrival = now
        if s.release(olderThan: s.newest - options.reorderWindowSeconds) {
            judgeIfDue(v, alerts: &alerts)
        }
    }

    /// Judges a vehicle whose analyzer just took fixes, when a trip closed or its open trip is due.
    private func judgeIfDue(_ v: Int, alerts: inout [LiveAlert]) {
        let s = vehicles[v]
        if s.tripClosed {
            evaluate(v, final: false, into: &alerts)
        } else if s.openTripDue(every: options.evaluateEverySeconds, growth: options.openTripGrowthDivisor,
                                 atLeastEvery: options.evaluateAtLeastEverySeconds) {
            evaluate(v, final: false, tracks: false, into: &alerts)
        } else if options.trimHistory, s.trimDue, !s.analyzer.isLoaded,
                  s.analyzer.track.count >= s.trimTriedAt + Self.trimAttemptSpacing {
            // At a trip's close the truck usually still stands at its dump: the cut comes
            // once it has moved on. Judge afresh (the settled cases must include every fix
            // up to the cut), then trim — only when the cut looks possible already.
            s.trimTriedAt = s.analyzer.track.count
            if trimCut(s, plate: plates[Int32(v)]) != nil { evaluate(v, final: false, into: &alerts) }
        }
    }

    /// Fixes between two trim attempts of a vehicle that is not loaded.
    static let trimAttemptSpacing = 32

    private func trimCut(_ s: VehicleState, plate: String) -> HistoryTrim.Cut? {
        guard let cut = HistoryTrim.cut(s.analyzer, cases: Array(s.cases.values),
                                        cameras: judge.cameras.records(plate: plate), config: references.config,
                                        restricted: restricted) else { return nil }
        // Records about the trips before the cut may still be on their way (`chainSettleSeconds`).
        if !judge.chain.isEmpty, clock == .min || cut.settledBefore > clock - chainSettleSeconds { return nil }
        return cut
    }

    /// End of the feed (shutdown): empties every reorder window, finishes every analyzer
    /// (open trips stay open, as at the end of a batch night) and judges and stores every
    /// vehicle with fixes. The analysis cannot be fed afterwards.
    /// - Parameter now: the live clock at the end (manifests' limits are judged up to it);
    ///   `nil`: as it stands.
    public func finish(at now: Int64? = nil) -> [LiveAlert] {
        guard !isFinished else { return [] }
        isFinished = true
        if let now { advance(to: now) }
        // Vehicles with chain records but no fixes are judged too, as a batch run judges them.
        for plate in judge.chain.plates.sorted() where owns(plate) { _ = vehicle(addingPlate: plate) }
        var alerts: [LiveAlert] = []
        for v in vehicles.indices where vehicles[v].hasFixes || judgesChainRecords(of: plates[Int32(v)]) {
            _ = vehicles[v].release(olderThan: .max)
            vehicles[v].analyzer.finish()
            evaluate(v, final: true, into: &alerts)
        }
        if let writer {
            flush()
            let errors = writer.errors
            writer.finish(trips: trips.count, cases: cases.count)
            counters.storeErrors += writer.errors - errors
        }
        return alerts
    }

    /// Every vehicle's trips as last judged, in vehicle order.
    public var trips: [Trip] { vehicles.flatMap { $0.archivedTrips + $0.trips } }

    /// Every vehicle's cases as last judged, in vehicle order.
    public var cases: [Case] {
        vehicles.flatMap { $0.archivedCases + Array($0.cases.values) }.sorted { ($0.vehicleID, $0.id) < ($1.vehicleID, $1.id) }
    }

    /// Fixes held in the analyzers' tracks now (what trimming bounds), for tests and stats.
    public var retainedFixes: Int { vehicles.reduce(0) { $0 + $1.analyzer.track.count } }

    /// Judges one vehicle: rules and cases over its analyzer finished now (a copy, unless
    /// `final`), alerts for what is new, the changed cases and the closed trips upserted.
    /// - Parameter tracks: cut the cases' map tracks (not for the frequent open-trip judgements;
    ///   a case keeps the track it was last stored with until its trip closes).
    private func evaluate(_ v: Int, final: Bool, tracks: Bool = true, into alerts: inout [LiveAlert]) {
        counters.evaluations += 1
        let s = vehicles[v]
        var analyzer = s.analyzer
        analyzer.finish()
        let plate = plates[Int32(v)]
        var judged = judge.judge(analyzer.track, plate: plate, tracks: tracks, from: s.settledBefore, dataEnd: clock)
        if analyzer.trimmedFixes > 0 { HistoryTrim.unshift(&judged, by: analyzer.trimmedFixes) }
        s.tripsSeen = s.analyzer.track.trips.count
        s.lastEvaluated = s.newestReleased
        s.fixesEvaluated = s.analyzer.track.fixes.count

        var changed: [Case] = []
        var current: [String: Case] = [:]
        for c in judged.cases {
            current[c.id] = c
            let old = s.alerted[c.id]
            let fresh = c.violations.filter { !(old?.contains(ViolationKey(type: $0.type, start: $0.start)) ?? false) }
            if !fresh.isEmpty {
                alerts.append(LiveAlert(caseID: c.id, vehicleID: c.vehicleID, company: c.company, isNewCase: old == nil,
                                        types: Array(Set(fresh.map(\.type))).sorted(),
                                        time: fresh.map(\.start).min() ?? c.date.days * 86400,
                                        departments: c.departments))
                counters.alerts += 1
                s.alerted[c.id, default: []].formUnion(fresh.map { ViolationKey(type: $0.type, start: $0.start) })
            }
            if s.cases[c.id] != c { changed.append(c) }
        }
        let retracting = s.cases.keys.filter { current[$0] == nil }.sorted()
        // Trips are stored once they are closed (an open trip's key may still move).
        let storedTrips = final ? judged.trips : judged.trips.filter { $0.dumpedAt != nil }
        let newTrips = storedTrips.filter { !s.trips.contains($0) }
        s.cases = current
        s.trips = storedTrips

        if records {
            for c in changed { pending.upsert(c) }
            for id in retracting { pending.retract(id) }
            pending.trips += newTrips
            if judge.chain.hasManifests { recordLedger(s, plate: plate, trips: judged.trips, into: &pending) }
        }
        // A closed trip was just judged with its map tracks and its changes queued for the
        // store: what it and everything before it needed may go.
        if options.trimHistory, !final, tracks {
            s.trimDue = true
            trimSettled(s, plate: plate)
        }
    }

    /// Judges a vehicle now: its chain records changed, or a manifest's limit passed.
    func judgeNow(_ v: Int, into alerts: inout [LiveAlert]) {
        evaluate(v, final: false, into: &alerts)
    }

    /// Judges with `chain` from now on, and lists its closing limits still ahead.
    func replaceChain(_ chain: ChainRecords) {
        judge = VehicleJudge(index: index, config: judge.config, registry: judge.registry,
                             permitsByPlate: judge.permitsByPlate, cameras: judge.cameras, chain: chain)
        dues = Self.dues(chain, after: clock, limit: references.config.manifestCloseMaxS, owns: owns)
    }

    /// Judges with `cameras` from now on, and stores them as the evidence of its cases.
    func replaceCameras(_ cameras: CameraReads) {
        judge = VehicleJudge(index: index, config: judge.config, registry: judge.registry,
                             permitsByPlate: judge.permitsByPlate, cameras: cameras, chain: judge.chain)
        writer?.updateCameras(cameras)
    }

    /// Drops the settled part of a vehicle's track when `HistoryTrim` finds a safe cut,
    /// keeping its settled cases and trips as they were just judged.
    private func trimSettled(_ s: VehicleState, plate: String) {
        guard let cut = trimCut(s, plate: plate) else { return }
        let settled = s.cases.values.filter { c in c.violations.allSatisfy { $0.start < cut.settledBefore } }
        for c in settled { s.cases[c.id] = nil }
        s.archivedCases += settled.sorted { $0.id < $1.id }
        s.archivedTrips += s.trips
        s.trips = []
        s.settledBefore = cut.settledBefore
        s.analyzer.trim(before: cut.drop)
        s.tripsSeen = s.analyzer.track.trips.count
        s.fixesEvaluated = s.analyzer.track.count
        s.trimDue = false
        s.trimTriedAt = 0
        counters.trims += 1
    }
}

/// A violation as alerts know it: its type and start (its content may still grow).
struct ViolationKey: Hashable {
    var type: ViolationType
    var start: Int64
}
