import MuckWatchCore
import MuckWatchStore

/// Everything a case page is drawn from, read in one visit to the store, so the page itself can be
/// built (and tested) without a store.
struct CaseRecord: Sendable {
    var stored: StoredCase
    var track: [TrackPoint]
    /// The camera reads of the case's evidence and of its plate around the trip, oldest first.
    var cameras: [CameraEvent]
    var permit: Permit?
    var vehicle: Vehicle?
    var clock: LocalClock
    /// The manifests the violations cite and the one the trip matched, cited first.
    var manifests: [StoredManifest] = []
    /// The gate passes of the evidence and of the vehicle around the trip, oldest first.
    var gates: [StoredGateEvent] = []
    /// The webhook deliveries of the case's dispatches, newest first (issue #20).
    var deliveries: [DeliveryItem] = []
    /// Issue #24: the journal's raw fixes of each violation's window; set by the case page's
    /// route (`nil` on pages that do not show them).
    var journal: JournalEvidence? = nil

    /// The case `id` with what its page shows, or `nil` when the store has no such case.
    static func load(_ id: String, from s: CaseStore) throws(StoreError) -> CaseRecord? {
        guard let c = try s.loadCase(id: id) else { return nil }
        let track = try s.track(caseID: id)
        let evidence = c.violations.flatMap(\.evidence.cameraEvents)
        // Plate reads up to ten minutes either side of the trip (or of the track, for a day case).
        let from = (c.trip?.loadedAt ?? track.first?.time ?? 0) - 600
        let to = (c.trip?.dumpedAt ?? track.last?.time ?? from) + 600
        let cameras = try s.cameraEvents(ids: evidence, plate: c.vehicleID, from: from, to: to)
        let cited = c.violations.flatMap(\.evidence.manifests) + [try s.matchedManifestID(caseID: id)].compactMap { $0 }
        return CaseRecord(stored: c, track: track, cameras: cameras.sorted { $0.time < $1.time },
                          permit: try c.trip?.permitID.flatMap { id throws(StoreError) in try s.permit(id: id) },
                          vehicle: try s.vehicle(id: c.vehicleID), clock: s.clock,
                          manifests: try s.manifests(ids: cited),
                          gates: try s.gateEvents(ids: c.violations.flatMap(\.evidence.gateEvents), vehicle: c.vehicleID,
                                                  from: from, to: to),
                          deliveries: try DeliveryItem.load(caseID: id, from: s))
    }
}
