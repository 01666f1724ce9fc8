import MuckWatchCore
import MuckWatchStore

/// A stored case as `cases.json` writes it (`StoredCase.writeJSON`: the night's file, the API
/// and the webhooks share one writer, so they cannot drift apart).
enum CaseDocument {
    /// - Parameters:
    ///   - manifestID: the manifest the case's trip matched (`cases.json`'s `trip.manifest_id`).
    ///   - chain: the store has manifests or gate records, so their fields are written (as a run with them writes).
    static func bytes(_ stored: StoredCase, manifestID: String?, chain: Bool, clock: LocalClock) -> [UInt8] {
        var w = JSONWriter()
        stored.writeJSON(into: &w, clock: clock, manifestID: manifestID, chain: chain)
        return w.bytes
    }
}
