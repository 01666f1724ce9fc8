public import MuckWatchCore

/// Each manifest's standing once the vehicles are judged: its state, the trip it matched
/// and the case an officer opens from it. Batch and live derive it the same way, from the
/// trips (which carry their manifest) and the cases (whose evidence cites manifests).
public enum ManifestLedger {
    public static func entries(_ manifests: some Sequence<Manifest>, trips: [Trip], cases: [Case]) -> [ManifestEntry] {
        var trip: [String: Trip] = [:]
        for t in trips { if let m = t.manifestID { trip[m] = t } }
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
                                 tripLoadedAt: t?.loadedAt, caseID: cited?.caseID ?? t?.caseID)
        }
    }
}
