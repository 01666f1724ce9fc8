public import MuckWatchCore

/// Each manifest's standing once the vehicles are judged: its state, the trip it matched
/// and the case an officer opens from it. Batch and live derive it the same way, from the
/// trips (which carry their manifest) and the cases (whose evidence cites manifests).
public enum ManifestLedger {
    public static func entries(_ manifests: some Sequence<Manifest>, trips: [Trip], cases: [Case]) -> [ManifestEntry] {
        // Indexes, not copies: a trip is a large value and a city night has ~60,000.
        var trip: [String: Int] = [:]
        trip.reserveCapacity(trips.count)
        for i in trips.indices { if let m = trips[i].manifestID { trip[m] = i } }
        var citing: [String: (state: ManifestState, caseID: String)] = [:]
        for c in cases {
            for v in c.violations {
                let state: ManifestState
                switch v.type {
                case .manifestMismatch, .weightDiscrepancy: state = .mismatched
                case .manifestUnclosed: state = .unclosed
                default: continue
                }
                for m in v.evidence.manifests where citing[m]?.state != .mismatched { citing[m] = (state, c.id) }
            }
        }
        return manifests.map { m in
            let t = trip[m.id]
            let cited = citing[m.id]
            return ManifestEntry(manifest: m, state: cited?.state ?? (m.isClosed ? .closed : .open),
                                 tripLoadedAt: t.map { trips[$0].loadedAt }, caseID: cited?.caseID ?? t.flatMap { trips[$0].caseID })
        }
    }
}
