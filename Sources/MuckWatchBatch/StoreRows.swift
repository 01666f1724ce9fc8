import MuckWatchCore
import MuckWatchJudge

extension RunResult {
    /// Adds the rows the store keeps beside the cases and trips: the camera reads and gate
    /// passes kept with the cases, and every manifest (of `partition`'s vehicles) with its
    /// judged state (`ManifestLedger`).
    ///
    /// A run whose store is written beside its analysis (`StoreBeside`) derives them vehicle
    /// by vehicle instead and never needs the whole run's; deriving them again after the last
    /// vehicle held one core for ~0.2 s of a city night (issue #19).
    mutating func addStoreRows(cameras: CameraReads, chain: ChainRecords, partition: PlatePartition?) {
        cameraEvents = CaseEvidence.cameraEvents(cases, cameras)
        manifests = ManifestLedger.entries(chain.manifests.filter { partition?.contains(plate: $0.vehicleID) ?? true },
                                           trips: trips, cases: cases)
        gateEvents = CaseEvidence.gateEvents(cases, chain)
    }
}
