import MuckWatchCore
import MuckWatchJudge

/// The rows the store keeps beside cases and trips, derived from them: the camera reads
/// kept with the cases, and for a night with manifests or gate records its manifests with
/// their judged state (`ManifestLedger`) and the gate passes kept with the cases. One
/// derivation for the whole night (`RunResult.addStoreRows`) and for one vehicle as it is
/// finished (`StoreBeside`): a vehicle's manifests are decided by its own trips and cases.
struct StoreRows {
    var cameraEvents: [CameraEvent]
    /// `nil` for a night without manifests and gate records.
    var chain: (manifests: [ManifestEntry], gatePasses: [(vehicle: String, event: GateEvent)])?

    init(cases: [Case], trips: [Trip], manifests: some Sequence<Manifest>, cameras: CameraReads, chain: ChainRecords) {
        cameraEvents = CaseEvidence.cameraEvents(cases, cameras)
        self.chain = chain.isEmpty
            ? nil
            : (ManifestLedger.entries(manifests, trips: trips, cases: cases), CaseEvidence.gateEvents(cases, chain))
    }
}

extension RunResult {
    /// Adds the whole night's `StoreRows` (the manifests of `partition`'s vehicles only).
    ///
    /// A run whose store is written beside its analysis (`StoreBeside`) derives them vehicle
    /// by vehicle instead and never needs the whole run's; deriving them again after the last
    /// vehicle held one core for ~0.2 s of a city night (issue #19).
    mutating func addStoreRows(cameras: CameraReads, chain: ChainRecords, partition: PlatePartition?) {
        let rows = StoreRows(cases: cases, trips: trips,
                             manifests: chain.manifests.filter { partition?.contains(plate: $0.vehicleID) ?? true },
                             cameras: cameras, chain: chain)
        cameraEvents = rows.cameraEvents
        manifests = rows.chain?.manifests ?? []
        gateEvents = rows.chain?.gatePasses ?? []
    }
}
