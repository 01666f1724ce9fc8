public import MuckWatchCore

/// Judged changes not yet in the store: cases by id, closed trips, ids of cases to mark
/// superseded, and manifests' judged states. Values, so an analysis shard can hand them
/// to the one store writer.
public struct LiveWrites: Sendable {
    public var cases: [String: Case] = [:]
    public var trips: [Trip] = []
    public var retracting: Set<String> = []
    /// Manifests' judged state, trip and case (`ManifestLedger`), by manifest id.
    public var manifests: [String: ManifestEntry] = [:]

    public init() {}

    public var isEmpty: Bool { cases.isEmpty && trips.isEmpty && retracting.isEmpty && manifests.isEmpty }

    /// Records a case's new content (it is no longer retracted).
    mutating func upsert(_ c: Case) {
        cases[c.id] = c
        retracting.remove(c.id)
    }

    /// Records that a case this session wrote is no longer produced.
    mutating func retract(_ id: String) {
        cases[id] = nil
        retracting.insert(id)
    }

    /// Adds later writes on top of these (later content wins, as if written after).
    public mutating func merge(_ later: LiveWrites) {
        guard !later.isEmpty else { return }
        if isEmpty {
            self = later
            return
        }
        for c in later.cases.values { upsert(c) }
        for id in later.retracting { retract(id) }
        trips += later.trips
        manifests.merge(later.manifests) { _, new in new }
    }

    /// Removes and returns the content of the cases `ids` names (their newest content and
    /// retractions); everything else stays. The alert path writes these at once.
    public mutating func take(cases ids: Set<String>) -> LiveWrites {
        var out = LiveWrites()
        for id in ids {
            if let c = cases.removeValue(forKey: id) { out.cases[id] = c }
            if retracting.remove(id) != nil { out.retracting.insert(id) }
        }
        return out
    }

    /// Removes and returns up to `limit` cases (in no particular order: which ones go
    /// first does not matter, and sorting every remaining id for every chunk cost the live
    /// store writer ~4 % of the gateway's CPU at 100k fixes/s), with the retractions and
    /// the trips up to the first that names a case still left here (a trip goes with or
    /// after the case it names, which the store's foreign key needs at commit).
    public mutating func takeChunk(cases limit: Int) -> LiveWrites {
        var out = LiveWrites()
        for id in Array(cases.keys.prefix(max(1, limit))) { out.cases[id] = cases.removeValue(forKey: id) }
        out.retracting = retracting
        retracting = []
        // Manifest rows name their case without a foreign key: they go with any chunk.
        out.manifests = manifests
        manifests = [:]
        // Trips stay in order from the first one held back (a trip re-judged later is
        // upserted after its earlier content).
        let held = trips.firstIndex { t in t.caseID.map { cases[$0] != nil } ?? false } ?? trips.endIndex
        out.trips = Array(trips[..<held])
        trips.removeFirst(held)
        return out
    }
}
