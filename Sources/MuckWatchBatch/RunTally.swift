import MuckWatchCore

/// The per-vehicle outcomes of a run folded into its trips, cases and counts, in vehicle
/// order (cases then sorted by date, plate and id, as `cases.json` lists them).
struct RunTally {
    var trips: [Trip] = []
    var cases: [Case] = []
    /// Every count but the other inputs' rejects and the warnings, which come from the
    /// reference readers.
    var summary = Summary()

    init(_ outcomes: [VehicleStage.Outcome?], fixesRead: Int, fixesRejected: Int) {
        summary.fixesRead = fixesRead
        summary.fixesRejected = fixesRejected
        for outcome in outcomes {
            guard let outcome else { continue }
            trips += outcome.trips
            cases += outcome.cases
            summary.fixesDuplicate += outcome.duplicates
            summary.fixesOutlier += outcome.outliers
            if outcome.hasFixes { summary.vehicles += 1 }
        }
        summary.fixesAccepted = fixesRead - fixesRejected - summary.fixesDuplicate - summary.fixesOutlier
        summary.trips = trips.count
        summary.cases = cases.count
        for c in cases { for v in c.violations { summary.violationsByType[v.type, default: 0] += 1 } }
        for t in trips where t.dumpedAt != nil {
            let tonnes = t.loadT ?? 0
            if let s = t.sourceSite { summary.tonnesBySourceSite[s, default: 0] += tonnes }
            if let d = t.disposalSite { summary.tonnesByDisposalSite[d, default: 0] += tonnes }
        }
        cases.sort { ($0.date, $0.vehicleID, $0.id) < ($1.date, $1.vehicleID, $1.id) }
    }
}
