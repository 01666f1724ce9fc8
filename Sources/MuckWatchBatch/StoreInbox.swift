import Foundation
import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore

/// Records that reached the run's case store between runs (`muckwatch import`, the
/// integration API's ingestion) and that no run has read yet: `analyze` judges them with the
/// files it was given, so a manifest pushed over HTTP counts as much as one in
/// `--manifests`. A record in a file wins over one of the same id in the store.
enum StoreInbox {
    /// `refs` with the store's unread manifests, gate passes and camera reads added; unchanged
    /// when there is no store file yet or nothing unread (a PostgreSQL store is opened, and
    /// created when new: its server is there).
    static func merged(_ refs: References, store path: String) throws(AnalysisError) -> References {
        guard path.hasPrefix("postgres") || FileManager.default.fileExists(atPath: path) else { return refs }
        let chain: ChainChanges
        let cameras: [CameraEvent]
        do {
            let store = try CaseStore(path: path)
            chain = try store.unreadChain()
            cameras = try store.unreadCameraEvents()
        } catch {
            throw .input("\(path): reading the records waiting in the store: \(error)")
        }
        var r = refs
        if !chain.isEmpty {
            let c = refs.chain
            let manifestIDs = Set(c.manifests.map(\.id)), gateIDs = Set(c.gateEvents.map(\.id))
            let manifests = c.manifests + chain.manifests.filter { !manifestIDs.contains($0.id) }
            let gates = c.gateEvents + chain.gateEvents.filter { !gateIDs.contains($0.id) }
            r.chain = ChainRecords(manifests: c.hasManifests || !chain.manifests.isEmpty ? manifests : nil,
                                   gateEvents: c.hasGateEvents || !chain.gateEvents.isEmpty ? gates : nil,
                                   tagOwners: refs.tagOwners)
        }
        if !cameras.isEmpty {
            let ids = Set(refs.cameras.allEvents.map(\.id))
            r.cameras = CameraReads(refs.cameras.allEvents + cameras.filter { !ids.contains($0.id) })
        }
        return r
    }
}
