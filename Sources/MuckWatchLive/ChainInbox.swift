public import MuckWatchCore
public import MuckWatchStore

/// The live gateway's reader of the manifests and gate records that reach the store
/// (`muckwatch import`, later the integration API): it reads what was written since its
/// last poll (`CaseStore.chainChanges`), keeps every record current by id, and says which
/// vehicles' judgements the changes touch; the same for checkpoint camera reads the
/// integration API stored (`pollCameras`).
///
/// Its own connection to the store: polls read while the gateway's writer writes (WAL).
/// Not thread-safe: one owner (a timer's serial queue) polls it.
public final class ChainInbox {
    private let store: CaseStore
    private let tagOwners: [String: String]
    /// Records concerning times older than this many seconds before the live clock at
    /// the poll are left alone: earlier days were judged by their own runs, and a gateway
    /// started on a months-old store would otherwise rejudge every one of them.
    private let horizon: Int64
    private var cursor = ChainCursor()
    private var manifests: [String: Manifest] = [:]
    private var gateEvents: [String: GateEvent] = [:]
    /// Every current record, grouped by vehicle (what `LiveAnalysis.updateChain` takes).
    public private(set) var chain = ChainRecords()
    /// Records read and kept, and read but older than the horizon.
    public private(set) var taken = 0
    public private(set) var tooOld = 0
    /// The last `camera_events` rowid read (`CaseStore.unreadCameraEvents(after:)`).
    private var cameraCursor: Int64 = 0
    /// The night's camera reads (the gateway's `--cameras` file) and every read taken
    /// from the store since (what `LiveAnalysis.updateCameras` takes).
    public private(set) var cameras: CameraReads
    /// The ids in `cameras`, made at the first read that arrives (a gateway whose store
    /// gets none never pays for it): a read whose id is known is not taken again, so a
    /// file's read wins over the store's by id.
    private var cameraIDs: Set<String>?
    /// Camera reads read from the store whose id was already known.
    public private(set) var knownCameraReads = 0

    /// - Parameters:
    ///   - cameras: the camera reads the analysis started with (its `--cameras` file).
    ///   - horizonSeconds: how far back from the live clock records are taken.
    public init(store: CaseStore, tagOwners: [String: String], cameras: CameraReads = CameraReads(),
                horizonSeconds: Int64 = 2 * 86400) {
        self.store = store
        self.tagOwners = tagOwners
        self.cameras = cameras
        horizon = horizonSeconds
    }

    /// Reads every record written since the last poll.
    /// - Parameter now: the live clock (Unix seconds).
    /// - Returns: the plates whose judgement the changes touch (empty: nothing new, and
    ///   `chain` is as it was).
    public func poll(at now: Int64 = CaseStore.systemNow()) throws(StoreError) -> Set<String> {
        var touched: Set<String> = []
        var changed = false
        while true {
            let page = try store.chainChanges(after: cursor)
            cursor = page.cursor
            for m in page.manifests {
                guard max(m.openedAt, m.closedAt ?? m.openedAt) >= now - horizon else {
                    tooOld += 1
                    continue
                }
                if let old = manifests.updateValue(m, forKey: m.id) { touched.insert(old.vehicleID) }
                touched.insert(m.vehicleID)
                changed = true
                taken += 1
            }
            for e in page.gateEvents {
                guard e.time >= now - horizon else {
                    tooOld += 1
                    continue
                }
                if let old = gateEvents.updateValue(e, forKey: e.id) { touched.formUnion(vehicles(of: old)) }
                touched.formUnion(vehicles(of: e))
                changed = true
                taken += 1
            }
            if page.manifests.count < ChainChanges.pageSize, page.gateEvents.count < ChainChanges.pageSize { break }
        }
        guard changed else { return [] }
        chain = ChainRecords(manifests: manifests.isEmpty ? nil : Array(manifests.values),
                             gateEvents: gateEvents.isEmpty ? nil : Array(gateEvents.values), tagOwners: tagOwners)
        return touched
    }

    /// Reads every camera read written to the store since the last poll with no run (the
    /// integration API's; the gateway's own evidence rows carry its run), and adds those
    /// whose id is new to `cameras`.
    /// - Parameter now: the live clock (Unix seconds); older reads than the horizon are left.
    /// - Returns: the plates of the reads added (empty: nothing new, `cameras` as it was).
    public func pollCameras(at now: Int64 = CaseStore.systemNow()) throws(StoreError) -> Set<String> {
        var cursor = cameraCursor
        var fresh: [CameraEvent] = []
        var seen: Set<String> = []
        var known = 0, old = 0
        while true {
            let page = try store.unreadCameraEvents(after: cursor)
            cursor = page.cursor
            for e in page.events {
                guard e.time >= now - horizon else {
                    old += 1
                    continue
                }
                if cameraIDs == nil { cameraIDs = Set(cameras.records.map(cameras.id)) }
                guard !cameraIDs!.contains(e.id), seen.insert(e.id).inserted else {
                    known += 1
                    continue
                }
                fresh.append(e)
            }
            if page.events.count < ChainChanges.pageSize { break }
        }
        // Taken only once every page was read: a failed poll leaves everything for the next.
        cameraCursor = cursor
        tooOld += old
        knownCameraReads += known
        taken += fresh.count
        guard !fresh.isEmpty else { return [] }
        cameraIDs!.formUnion(seen)
        cameras = cameras.adding(fresh)
        return Set(fresh.map(\.plate))
    }

    /// The vehicles a gate pass is judged with: its plate read's, its tag's owner's (a tag
    /// on the wrong truck is a lead for both) and its manifest's (whose weights it holds).
    private func vehicles(of e: GateEvent) -> [String] {
        [e.plate, e.rfid.flatMap { tagOwners[$0] }, e.manifestID.flatMap { manifests[$0]?.vehicleID }].compactMap { $0 }
    }
}
