import Dispatch
public import MuckWatchCore

/// Case tracks, fences and camera events: what a map of a case is drawn from.
///
/// Tracks are stored as compact bytes (`TrackCodec`), one row per case: they are read whole,
/// never queried point by point.
enum MapData {
    /// Writes the tracks of `cases`, the fences and the camera events, under `runID`.
    static func write(cases: [Case], fences: [Fence], cameraEvents: [CameraEvent], clock: LocalClock, runID: Int64,
                      statements st: CaseStatements) throws(StoreError) {
        try writeTracks(cases, statements: st)
        try writeFences(fences, runID: runID, statements: st)
        try writeCameraEvents(cameraEvents, clock: clock, runID: runID, statements: st)
    }

    /// The tracks of `cases` (those that have one), replacing any stored under their ids.
    static func writeTracks(_ cases: [Case], statements st: CaseStatements) throws(StoreError) {
        // Encoding the tracks is most of this write: done on every core, inserted in order.
        let withTrack = cases.filter { !$0.track.isEmpty }
        let encoded = EncodedTracks(count: withTrack.count)
        DispatchQueue.concurrentPerform(iterations: withTrack.count) { k in encoded[k] = TrackCodec.encode(withTrack[k].track) }
        let tracks = encoded.values
        for (k, c) in withTrack.enumerated() {
            try st.upsertTrack.run { column in
                switch column {
                case .caseID: .text(c.id)
                case .points: .blob(tracks[k])
                }
            }
            if let g = st.trackGeometry {
                try g.bind(.caseID, .text(c.id))
                try g.bind(.trackWKT, SQLValue(lineString(c.track)))
                try g.run()
            }
        }
    }

    static func writeFences(_ fences: [Fence], runID: Int64, statements st: CaseStatements) throws(StoreError) {
        for f in fences {
            try st.upsertFence.run { column in
                switch column {
                case .id: .text(f.id)
                case .kind: .text(f.kind.rawValue)
                case .name: .text(f.name)
                case .geometry: .text(geoJSON(f.geometry))
                case .corridorM: SQLValue(f.kind == .route ? f.corridorM : nil)
                case .radiusM: SQLValue(f.kind == .checkpoint ? f.radiusM : nil)
                case .facility: SQLValue(f.facility?.rawValue)
                case .runID: .int(runID)
                }
            }
        }
    }

    static func writeCameraEvents(_ events: [CameraEvent], clock: LocalClock, runID: Int64,
                                  statements st: CaseStatements) throws(StoreError) {
        for e in events {
            try st.upsertCameraEvent.run { cameraEventValue($0, e, runID: .int(runID), clock: clock) }
        }
    }

    /// One column of a camera read's row (a run's, or the integration API's with no run).
    static func cameraEventValue(_ column: CameraEventColumns, _ e: CameraEvent, runID: SQLValue, clock: LocalClock)
        -> SQLValue {
        switch column {
        case .id: .text(e.id)
        case .checkpointID: .text(e.checkpointID)
        case .at: .text(clock.format(e.time))
        case .atUnix: .int(e.time)
        case .plate: .text(e.plate)
        case .type: .text(e.type.rawValue)
        case .confidence: .double(e.confidence)
        case .image: SQLValue(e.image)
        case .runID: runID
        }
    }

    static func writeRegistry(permits: [Permit], vehicles: [Vehicle], runID: Int64, db: Database) throws(StoreError) {
        let permit = try ReplacingInsert<Parameters<PermitColumns>>(db, into: "permits", key: [.id])
        let vehicle = try ReplacingInsert<Parameters<VehicleColumns>>(db, into: "vehicles", key: [.id])
        try db.pipelined { () throws(StoreError) in
            for p in permits {
                try permit.run { column in
                    switch column {
                    case .id: .text(p.id)
                    case .vehicles: .text(p.vehicles.joined(separator: ","))
                    case .sourceSite: .text(p.sourceSite)
                    case .disposalSite: .text(p.disposalSite)
                    case .route: SQLValue(p.route)
                    case .validFrom: .text(p.validFrom.description)
                    case .validTo: .text(p.validTo.description)
                    case .hours: SQLValue(p.hours.map { $0.map(\.description).joined(separator: ",") })
                    case .runID: .int(runID)
                    }
                }
            }
            for v in vehicles {
                try vehicle.run { column in
                    switch column {
                    case .id: .text(v.id)
                    case .company: .text(v.company)
                    case .ratedLoadT: SQLValue(v.ratedLoadT)
                    case .terminalID: SQLValue(v.terminalID)
                    case .rfid: SQLValue(v.rfid)
                    case .runID: .int(runID)
                    }
                }
            }
        }
    }

    /// Six decimals (~0.1 m) are all a WGS84 position needs.
    static func fixed(_ v: Double) -> String {
        let scaled = (v * 1_000_000).rounded()
        let neg = scaled < 0
        let a = Int64(abs(scaled))
        var frac = String(a % 1_000_000)
        frac = String(repeating: "0", count: 6 - frac.count) + frac
        return (neg ? "-" : "") + String(a / 1_000_000) + "." + frac
    }

    /// `LINESTRING(lon lat, …)` of a track (WGS84), `nil` for fewer than two points.
    static func lineString(_ track: [TrackPoint]) -> String? {
        guard track.count >= 2 else { return nil }
        return "LINESTRING(" + track.map { "\($0.lon) \($0.lat)" }.joined(separator: ",") + ")"
    }

    static func geoJSON(_ g: FenceGeometry) -> String {
        func pos(_ p: LonLat) -> String { "[" + fixed(p.lon) + "," + fixed(p.lat) + "]" }
        func ring(_ r: [LonLat]) -> String {
            let closed = r.first == r.last ? r : r + [r[0]]
            return "[" + closed.map(pos).joined(separator: ",") + "]"
        }
        switch g {
        case .point(let p):
            return #"{"type":"Point","coordinates":"# + pos(p) + "}"
        case .lines(let ls):
            return #"{"type":"MultiLineString","coordinates":["# + ls.map { "[" + $0.map(pos).joined(separator: ",") + "]" }
                .joined(separator: ",") + "]}"
        case .polygons(let ps):
            return #"{"type":"MultiPolygon","coordinates":["# + ps.map { "[" + $0.map(ring).joined(separator: ",") + "]" }
                .joined(separator: ",") + "]}"
        }
    }
}

/// A fence as the store keeps it, geometry as GeoJSON text.
public struct StoredFence: Sendable, Equatable {
    public var id: String
    public var kind: FenceKind
    public var name: String
    /// A GeoJSON geometry object (Point, MultiLineString or MultiPolygon), WGS84.
    public var geometryJSON: String
    public var corridorM: Double?
    public var radiusM: Double?
}

extension CaseStore {
    /// The thinned track of a case (empty when the run stored none).
    public func track(caseID: String) throws(StoreError) -> [TrackPoint] {
        let r = try ResultColumns<CaseTrackColumns>(db, select: [.points], from: "case_tracks WHERE case_id = :case_id")
        try r.bind(.caseID, .text(caseID))
        return try r.step() ? r.withBytes(.points) { TrackCodec.decode($0) } ?? [] : []
    }

    /// Every fence of the latest runs, by id.
    public func fences() throws(StoreError) -> [StoredFence] {
        let r = try ResultColumns<FenceColumns>(
            db, select: [.id, .kind, .name, .geometry, .corridorM, .radiusM], from: "fences ORDER BY fence_id")
        var out: [StoredFence] = []
        while try r.step() {
            guard let kind = FenceKind(rawValue: r.text(.kind)) else { continue }
            out.append(StoredFence(id: r.text(.id), kind: kind, name: r.text(.name), geometryJSON: r.text(.geometry),
                                   corridorM: r.optionalDouble(.corridorM), radiusM: r.optionalDouble(.radiusM)))
        }
        return out
    }

    /// Camera events by id (evidence) or by plate and time window (context).
    public func cameraEvents(ids: [String] = [], plate: String? = nil, from: Int64 = .min, to: Int64 = .max)
        throws(StoreError) -> [CameraEvent] {
        var out: [CameraEvent] = []
        let columns: [CameraEventColumns] = [.id, .checkpointID, .atUnix, .plate, .type, .confidence, .image]
        func read(_ r: ResultColumns<CameraEventColumns>) throws(StoreError) {
            while try r.step() {
                guard let type = CameraEventType(rawValue: r.text(.type)) else { continue }
                out.append(CameraEvent(id: r.text(.id), checkpointID: r.text(.checkpointID), time: r.int64(.atUnix),
                                       plate: r.text(.plate), type: type, confidence: r.double(.confidence),
                                       image: r.string(.image)))
            }
        }
        for id in ids {
            let r = try ResultColumns<CameraEventColumns>(
                db, select: columns, from: "camera_events WHERE event_id = :event_id")
            try r.bind(.id, .text(id))
            try read(r)
        }
        if let plate {
            let r = try ResultColumns<CameraEventColumns>(
                db, select: columns,
                from: "camera_events WHERE plate = :plate AND at_unix BETWEEN :from AND :to ORDER BY at_unix")
            try r.bind(.plate, .text(plate))
            let window = Parameters<TimeWindowParameters>(r.statement)
            try window.bind(.from, .int(from))
            try window.bind(.to, .int(to))
            try read(r)
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0.id).inserted }
    }
}

/// A time window's bounds, as query parameters.
enum TimeWindowParameters: String, ColumnSet {
    case from, to
}

extension CaseStore {
    /// The permit as the latest run read it, or `nil`.
    public func permit(id: String) throws(StoreError) -> Permit? {
        let r = try ResultColumns<PermitColumns>(
            db, select: [.vehicles, .sourceSite, .disposalSite, .route, .validFrom, .validTo, .hours],
            from: "permits WHERE permit_id = :permit_id")
        try r.bind(.id, .text(id))
        guard try r.step() else { return nil }
        guard let from = LocalDate(parsing: r.text(.validFrom)), let to = LocalDate(parsing: r.text(.validTo)) else {
            throw .corrupt(what: "validity of permit \(id)")
        }
        let hours = r.string(.hours).map { $0.split(separator: ",").compactMap { HourWindow(parsing: String($0)) } }
        return Permit(id: id, vehicles: r.text(.vehicles).split(separator: ",").map(String.init),
                      sourceSite: r.text(.sourceSite), disposalSite: r.text(.disposalSite), route: r.string(.route),
                      validFrom: from, validTo: to, hours: hours)
    }

    /// The registry entry of a vehicle as the latest run read it, or `nil`.
    public func vehicle(id: String) throws(StoreError) -> Vehicle? {
        let r = try ResultColumns<VehicleColumns>(
            db, select: [.company, .ratedLoadT, .terminalID, .rfid], from: "vehicles WHERE vehicle_id = :vehicle_id")
        try r.bind(.id, .text(id))
        guard try r.step() else { return nil }
        return Vehicle(id: id, company: r.text(.company), ratedLoadT: r.optionalDouble(.ratedLoadT),
                       terminalID: r.string(.terminalID), rfid: r.string(.rfid))
    }
}

extension CaseStore {
    /// Changes whenever a run rewrites the fences: lets readers cache parsed geometry.
    public func fenceVersion() throws(StoreError) -> String {
        let r = try ResultColumns<FenceVersionColumns>(
            db, "SELECT count(*) AS fences, coalesce(max(run_id), 0) AS last_run FROM fences")
        _ = try r.step()
        return String(r.int64(.fences)) + "/" + String(r.int64(.lastRun))
    }
}

/// `fenceVersion`'s result.
private enum FenceVersionColumns: String, ColumnSet {
    case fences, lastRun = "last_run"
}

/// Encoded tracks, one slot per case, written by concurrent workers at distinct indices.
private typealias EncodedTracks = ResultSlots<[UInt8]>
