import MuckWatchCore
import MuckWatchGeo

/// The per-vehicle outcomes of a run folded into its trips, cases and counts, in vehicle
/// order (cases then sorted by date, plate and id, as `cases.json` lists them).
struct RunTally {
    var trips: [Trip] = []
    var cases: [Case] = []
    /// Every count but the other inputs' rejects and the warnings, which come from the
    /// reference readers.
    var summary = Summary()

    /// - Parameter partition: the slice of the night judged: only its vehicles' manifests are counted.
    init(_ outcomes: [VehicleStage.Outcome?], fixesRead: Int, fixesRejected: Int, chain: ChainRecords = ChainRecords(),
         fences: FenceIndex? = nil, partition: PlatePartition? = nil) {
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
        if !chain.isEmpty {
            summary.chain = Self.chainSummary(chain, trips: trips, fences: fences, partition: partition)
        }
    }

    /// Contract section 12's statistics: manifests opened and closed, trips without one,
    /// tonnes received by facility kind, tonnes declared by waste type.
    static func chainSummary(_ chain: ChainRecords, trips: [Trip], fences: FenceIndex?,
                             partition: PlatePartition? = nil) -> ChainSummary {
        var s = ChainSummary()
        for f in Facility.allCases { s.tonnesByFacility[f] = 0 }
        for w in WasteType.allCases { s.tonnesByWasteType[w] = 0 }
        // By index: a manifest or trip bound whole is a copy of its strings (issue #19).
        let ms = chain.manifests
        for k in ms.indices where partition?.contains(plate: ms[k].vehicleID) ?? true {
            s.manifestsOpened += 1
            if ms[k].isClosed { s.manifestsClosed += 1 }
            s.tonnesByWasteType[ms[k].wasteType, default: 0] += ms[k].declaredT
        }
        if chain.hasManifests {
            s.tripsWithoutManifest = trips.indices.count { trips[$0].lacksManifest }
        }
        for k in trips.indices {
            guard let site = trips[k].disposalSite, trips[k].dumpedAt != nil else { continue }
            let facility = fences.flatMap { f in f.index(ofID: site).flatMap { f.fences[Int($0)].facility } } ?? .landfill
            s.tonnesByFacility[facility, default: 0] += trips[k].receivedT ?? trips[k].loadT ?? 0
        }
        return s
    }
}
