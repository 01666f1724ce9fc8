public import MuckWatchCore
public import MuckWatchJudge
public import MuckWatchStore

/// Manifests and gate records in the live analysis (contract section 12): they arrive
/// through the store (`ChainInbox`), not with the fixes, so a vehicle is judged again when
/// its records change, and when one of its manifests' closing limits passes on the live
/// clock — a case appears as soon as its rule can be decided, not at the truck's next fix.
extension LiveAnalysis {
    /// Takes the current manifests and gate records (every one, as `ChainInbox.chain`
    /// holds them) and re-judges the vehicles `plates` names (those whose records changed)
    /// that this analysis owns, a vehicle with no fixes included (an unclosed manifest or
    /// a cloned tag needs no GPS).
    /// - Parameter now: the live clock (Unix seconds).
    /// - Returns: alerts for new cases and new violations.
    public func updateChain(_ chain: ChainRecords, plates: some Sequence<String>,
                            at now: Int64 = CaseStore.systemNow()) -> [LiveAlert] {
        rejudge(plates, at: now, after: { replaceChain(chain) }) { plate in
            let v = Int(vehicle(addingPlate: plate))
            // The store's row was written afresh (state open or closed): write it again.
            vehicles[v].ledger = [:]
            return v
        } + judgeDue(at: now)
    }

    /// Moves the clock to `now`, runs `update`, then judges the vehicles `plates` names
    /// that this analysis owns, as `vehicle` gives them (`nil`: not judged).
    func rejudge(_ plates: some Sequence<String>, at now: Int64, after update: () -> Void,
                 vehicle: (String) -> Int?) -> [LiveAlert] {
        guard !isFinished else { return [] }
        advance(to: now)
        update()
        var alerts: [LiveAlert] = []
        for plate in Set(plates).sorted() where owns(plate) {
            if let v = vehicle(plate) { judgeNow(v, into: &alerts) }
        }
        return alerts
    }

    /// Judges the vehicles whose manifests' closing limits the clock has passed since
    /// they were last looked at. Cheap when none has: the gateway calls it a few times a second.
    public func judgeDue(at now: Int64 = CaseStore.systemNow()) -> [LiveAlert] {
        guard !isFinished else { return [] }
        advance(to: now)
        // `manifest_unclosed` fires once the data reaches past the limit: `dataEnd > due`.
        let passed = dues.prefix { $0.time < clock }
        guard !passed.isEmpty else { return [] }
        dues.removeFirst(passed.count)
        var alerts: [LiveAlert] = []
        for plate in Set(passed.map(\.plate)).sorted() { judgeNow(Int(vehicle(addingPlate: plate)), into: &alerts) }
        return alerts
    }

    /// Whether this analysis judges `plate`'s chain records (its shard of a partition).
    func owns(_ plate: String) -> Bool {
        shard.count <= 1 || LivePartition.shard(plate: plate, count: shard.count) == shard.index
    }

    /// Moves the live clock forward (never back).
    func advance(to now: Int64) {
        if now > clock { clock = now }
    }

    /// `Options.chainSettleSeconds`, defaulted from the config.
    var chainSettleSeconds: Int64 {
        options.chainSettleSeconds ?? references.config.manifestCloseMaxS + references.config.manifestMatchS
    }

    /// Whether `plate` has a manifest or an owned gate record, and this analysis judges them.
    func judgesChainRecords(of plate: String) -> Bool {
        owns(plate) && (!judge.chain.manifests(plate: plate).isEmpty || !judge.chain.gateEvents(plate: plate).isEmpty)
    }

    /// The closing limits still ahead of the clock, of this analysis' vehicles' open
    /// manifests (or manifests closed only after their limit), soonest first.
    static func dues(_ chain: ChainRecords, after clock: Int64, limit: Int64,
                     owns: (String) -> Bool) -> [(time: Int64, plate: String)] {
        var out: [(time: Int64, plate: String)] = []
        for m in chain.manifests where owns(m.vehicleID) {
            if let due = m.overdue(limit: limit), due >= clock { out.append((due, m.vehicleID)) }
        }
        return out.sorted { ($0.time, $0.plate) < ($1.time, $1.plate) }
    }

    /// Queues for the store what judging made of this vehicle's manifests (state, trip,
    /// case: `ManifestLedger`, as a batch run derives it) where it changed.
    func recordLedger(_ s: VehicleState, plate: String, trips: [Trip], into pending: inout LiveWrites) {
        let manifests = judge.chain.manifests(plate: plate)
        guard !manifests.isEmpty else { return }
        let cases = s.archivedCases + s.cases.values.sorted { $0.id < $1.id }
        for e in ManifestLedger.entries(manifests, trips: s.archivedTrips + trips, cases: cases)
            where s.ledger[e.manifest.id] != e {
            s.ledger[e.manifest.id] = e
            pending.manifests[e.manifest.id] = e
        }
    }
}
