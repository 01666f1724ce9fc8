public import MuckWatchCore
public import MuckWatchStore

/// Checkpoint camera reads that reach the live analysis after it started: ingested through
/// the integration API into the store, polled by the gateway (`ChainInbox.pollCameras`).
extension LiveAnalysis {
    /// Judges with `cameras` (the night's reads and those that arrived since, as
    /// `ChainInbox.cameras` holds them) from now on, and re-judges the vehicles `plates`
    /// names (those with new reads) that this analysis owns and would judge with a read
    /// from its `--cameras` file: those with fixes or chain records. A read that arrived
    /// late so makes the case it makes in the file, at the next poll.
    /// - Parameter now: the live clock (Unix seconds).
    /// - Returns: alerts for new cases and new violations.
    public func updateCameras(_ cameras: CameraReads, plates: some Sequence<String>,
                              at now: Int64 = CaseStore.systemNow()) -> [LiveAlert] {
        rejudge(plates, at: now, after: { replaceCameras(cameras) }) { plate in
            vehicle(plate: plate).map(Int.init).flatMap { v in
                vehicles[v].hasFixes || judgesChainRecords(of: plate) ? v : nil
            }
        }
    }
}
