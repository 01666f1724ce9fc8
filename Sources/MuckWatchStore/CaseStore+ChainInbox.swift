public import MuckWatchCore

/// Manifests and gate passes that reach the store between runs (`muckwatch import`, later
/// the integration API), and the live gateway's view of them: the store is their inbox.
///
/// Why rowids as the cursor (PostgreSQL: a `row_id` drawn again by each replace, `SQLDialect.rowCursor`): a record written again (`INSERT OR REPLACE`, a manifest's
/// closing after its opening) is deleted and inserted, so it takes a rowid past every
/// existing one; "rows after the last rowid read" is then exactly "what arrived or
/// changed since", with no timestamp column and no migration. The gateway's own updates
/// of a manifest's judged state are plain UPDATEs, which keep the rowid, so it does not
/// read its own writes back.
extension CaseStore {
    /// Writes manifests as they arrived: a manifest's row is replaced by id (its judged
    /// state starts over from the record: open or closed, no trip, no case), except when
    /// the store already holds the same content, which is left alone with its judged state
    /// (importing a file twice changes nothing and wakes no one).
    /// - Returns: how many rows were written (the rest were unchanged).
    public func importManifests(_ manifests: [Manifest], clock: LocalClock) throws(StoreError) -> Int {
        try writeManifests(manifests, clock: clock).count { $0 }
    }

    /// `importManifests`, answering for each manifest whether it was written (`false`: the
    /// store already held the same record), for the integration API's per-record answers.
    public func writeManifests(_ manifests: [Manifest], clock: LocalClock) throws(StoreError) -> [Bool] {
        let content = ManifestColumns.allCases.filter { ![.state, .tripLoadedUnix, .caseID, .runID].contains($0) }
        let p = try Parameters<ManifestColumns>(db, db.dialect.replaceUnlessSame(
            ManifestColumns.self, into: "manifests", key: [.id], content: content))
        return try db.transaction { () throws(StoreError) -> [Bool] in
            var written: [Bool] = []
            for m in manifests {
                let entry = ManifestEntry(manifest: m, state: m.isClosed ? .closed : .open)
                try p.bindEach { ChainData.manifestValue($0, entry, runID: .null, clock: clock) }
                try p.run()
                written.append(db.changes > 0)
            }
            return written
        }
    }

    /// Writes gate passes, each owned by its vehicle (`vehicle`: the plate read, else the
    /// tag's registered plate), replaced by id unless unchanged (as `importManifests`).
    /// - Returns: how many rows were written.
    public func importGateEvents(_ events: [(vehicle: String, event: GateEvent)], clock: LocalClock)
        throws(StoreError) -> Int {
        try writeGateEvents(events, clock: clock).count { $0 }
    }

    /// `importGateEvents`, answering for each pass whether it was written (as `writeManifests`).
    public func writeGateEvents(_ events: [(vehicle: String, event: GateEvent)], clock: LocalClock)
        throws(StoreError) -> [Bool] {
        let content = GateEventColumns.allCases.filter { $0 != .runID }
        let p = try Parameters<GateEventColumns>(db, db.dialect.replaceUnlessSame(
            GateEventColumns.self, into: "gate_events", key: [.id], content: content))
        return try db.transaction { () throws(StoreError) -> [Bool] in
            var written: [Bool] = []
            for (vehicle, e) in events {
                try p.bindEach { ChainData.gateEventValue($0, e, vehicle: vehicle, runID: .null, clock: clock) }
                try p.run()
                written.append(db.changes > 0)
            }
            return written
        }
    }

    /// Writes checkpoint camera reads that arrived between runs (the integration API), each
    /// replaced by id unless unchanged (as `writeManifests`), with no run: the next `analyze`
    /// into the store reads them back (`unreadCameraEvents`).
    /// - Returns: for each read, whether it was written.
    public func writeCameraEvents(_ events: [CameraEvent], clock: LocalClock) throws(StoreError) -> [Bool] {
        let content = CameraEventColumns.allCases.filter { $0 != .runID }
        let p = try Parameters<CameraEventColumns>(db, db.dialect.replaceUnlessSame(
            CameraEventColumns.self, into: "camera_events", key: [.id], content: content))
        return try db.transaction { () throws(StoreError) -> [Bool] in
            var written: [Bool] = []
            for e in events {
                try p.bindEach { MapData.cameraEventValue($0, e, runID: .null, clock: clock) }
                try p.run()
                written.append(db.changes > 0)
            }
            return written
        }
    }

    /// The registry's RFID tags → plates, as the latest run stored the vehicles: a gate pass
    /// with only a tag read belongs to the vehicle registered with it.
    public func tagOwners() throws(StoreError) -> [String: String] {
        let r = try ResultColumns<VehicleColumns>(db, select: [.id, .rfid], from: "vehicles WHERE rfid IS NOT NULL")
        var out: [String: String] = [:]
        while try r.step() { out[r.text(.rfid)] = r.text(.id) }
        return out
    }

    /// Manifests and gate passes written since `cursor` (new, or replaced by a later
    /// version), in the order they were written, at most `limit` of each; the returned
    /// cursor continues after them.
    public func chainChanges(after cursor: ChainCursor, limit: Int = ChainChanges.pageSize) throws(StoreError) -> ChainChanges {
        try chainPage(after: cursor, limit: limit, unread: false)
    }

    /// The manifests and gate passes no run has read yet (written by `muckwatch import` or the
    /// integration API since; a run that reads them stores them as its own), all of them:
    /// `analyze` adds them to the files it was given.
    public func unreadChain() throws(StoreError) -> ChainChanges {
        var all = ChainChanges(cursor: ChainCursor())
        while true {
            let page = try chainPage(after: all.cursor, limit: ChainChanges.pageSize, unread: true)
            if page.isEmpty { return all }
            all.manifests += page.manifests
            all.gateEvents += page.gateEvents
            all.cursor = page.cursor
        }
    }

    /// Camera reads no run has stored (the integration API's), oldest first.
    public func unreadCameraEvents() throws(StoreError) -> [CameraEvent] {
        let r = try ResultColumns<CameraEventColumns>(
            db, select: [.id, .checkpointID, .atUnix, .plate, .type, .confidence, .image],
            from: "camera_events WHERE run_id IS NULL ORDER BY at_unix, event_id")
        var out: [CameraEvent] = []
        while try r.step() {
            guard let e = Self.cameraEvent(r) else {
                throw .corrupt(what: "type \(r.text(.type)) of camera event \(r.text(.id))")
            }
            out.append(e)
        }
        return out
    }

    /// Camera reads no run has stored (the integration API's) written after rowid `after`,
    /// in the order they were written, at most `limit`; the returned cursor continues
    /// after them. A read the live gateway stores as a case's evidence takes its run and
    /// is not read back; a read of a type this version does not know is passed over.
    public func unreadCameraEvents(after: Int64, limit: Int = ChainChanges.pageSize)
        throws(StoreError) -> (events: [CameraEvent], cursor: Int64) {
        let (events, cursor) = try page("camera_events", after: after, limit: limit, unread: true) {
            (r: ResultColumns<CameraEventColumns>) in Self.cameraEvent(r)
        }
        return (events.compactMap { $0 }, cursor)
    }

    /// The read on a `camera_events` row, `nil` when its type is not one of the contract's.
    private static func cameraEvent(_ r: ResultColumns<CameraEventColumns>) -> CameraEvent? {
        guard let type = CameraEventType(rawValue: r.text(.type)) else { return nil }
        return CameraEvent(id: r.text(.id), checkpointID: r.text(.checkpointID), time: r.int64(.atUnix),
                           plate: r.text(.plate), type: type, confidence: r.double(.confidence), image: r.string(.image))
    }

    private func chainPage(after cursor: ChainCursor, limit: Int, unread: Bool) throws(StoreError) -> ChainChanges {
        var out = ChainChanges(cursor: cursor)
        (out.manifests, out.cursor.manifests) = try page("manifests", after: cursor.manifests, limit: limit, unread: unread) {
            (m: ResultColumns<ManifestColumns>) in
            Manifest(id: m.text(.id), permitID: m.string(.permitID), vehicleID: m.text(.vehicleID),
                     driverID: m.string(.driverID), sourceSite: m.text(.sourceSite), disposalSite: m.text(.disposalSite),
                     wasteType: WasteType(rawValue: m.text(.wasteType)) ?? .other, declaredT: m.double(.declaredT),
                     openedAt: m.int64(.openedUnix), closedAt: m.optionalInt64(.closedUnix),
                     closedSite: m.string(.closedSite), receivedT: m.optionalDouble(.receivedT))
        }
        (out.gateEvents, out.cursor.gateEvents) = try page("gate_events", after: cursor.gateEvents, limit: limit,
                                                           unread: unread) {
            (g: ResultColumns<GateEventColumns>) in
            GateEvent(id: g.text(.id), site: g.text(.site), time: g.int64(.atUnix),
                      direction: GateDirection(rawValue: g.text(.direction)) ?? .in, plate: g.string(.plate),
                      rfid: g.string(.rfid), grossT: g.optionalDouble(.grossT), tareT: g.optionalDouble(.tareT),
                      manifestID: g.string(.manifestID), image: g.string(.image))
        }
        return out
    }

    /// Up to `limit` rows of `table` after rowid `after`, in rowid order, and the last rowid read.
    /// - Parameter unread: only rows no run has read (`run_id IS NULL`).
    private func page<C: ColumnSet, T>(_ table: String, after: Int64, limit: Int, unread: Bool = false,
                                       _ record: (ResultColumns<C>) -> T) throws(StoreError) -> ([T], Int64) {
        let cursor = db.dialect.rowCursor
        let r = try ResultColumns<C>(db, "SELECT \(cursor) AS row_id, \(C.list()) FROM \(table) WHERE \(cursor) > ?1 "
                                         + (unread ? "AND run_id IS NULL " : "") + "ORDER BY \(cursor) LIMIT ?2")
        try r.statement.bind(1, after)
        try r.statement.bind(2, limit)
        var out: [T] = []
        var last = after
        while try r.step() {
            last = r.statement.int64(0)
            out.append(record(r))
        }
        return (out, last)
    }

    /// Writes what judging made of manifests (state, matched trip, case), the row's
    /// record left as it is. An UPDATE keeps the rowid: the gateway does not read it back
    /// as a change (`chainChanges`). A manifest no longer in the store is skipped.
    public func updateManifestStates(_ entries: [ManifestEntry]) throws(StoreError) {
        guard !entries.isEmpty else { return }
        let p = try Parameters<ManifestColumns>(db, "UPDATE manifests SET "
            + ManifestColumns.assignments([.state, .tripLoadedUnix, .caseID]) + " WHERE manifest_id = :manifest_id")
        try db.transaction { () throws(StoreError) in
            for e in entries {
                try p.bindEach { column in
                    switch column {
                    case .state: .text(e.state.rawValue)
                    case .tripLoadedUnix: SQLValue(e.tripLoadedAt)
                    case .caseID: SQLValue(e.caseID)
                    default: .text(e.manifest.id)
                    }
                }
                try p.run()
            }
        }
    }
}

/// How far a reader of the store's manifests and gate passes has read: the last rowid of
/// each table.
public struct ChainCursor: Sendable, Equatable {
    public var manifests: Int64 = 0
    public var gateEvents: Int64 = 0

    public init() {}
}

/// Manifests and gate passes written since a cursor (`CaseStore.chainChanges`).
public struct ChainChanges: Sendable {
    public var manifests: [Manifest] = []
    public var gateEvents: [GateEvent] = []
    /// Continues after these.
    public var cursor: ChainCursor

    public var isEmpty: Bool { manifests.isEmpty && gateEvents.isEmpty }

    /// Records of each table read at most per call (a first poll of a full store pages).
    public static let pageSize = 50_000
}
