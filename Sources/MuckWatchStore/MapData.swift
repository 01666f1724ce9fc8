import Dispatch
import MuckWatchCore

/// Case tracks, fences and camera events: what a map of a case is drawn from.
///
/// Tracks are stored as compact text (`time,lon,lat,speed,loaded;…`), one row per case:
/// they are read whole, never queried point by point.
enum MapData {
    static func write(_ run: RunResult, runID: Int64, statements st: CaseStatements) throws(StoreError) {
        let track = st.upsertTrack
        // Encoding the tracks is most of this write: done on every core, inserted in order.
        let withTrack = run.cases.filter { !$0.track.isEmpty }
        let encoded = EncodedTracks(count: withTrack.count)
        DispatchQueue.concurrentPerform(iterations: withTrack.count) { k in encoded[k] = encode(withTrack[k].track) }
        for (k, c) in withTrack.enumerated() {
            try track.bind(1, c.id)
            try track.bind(2, encoded[k])
            try track.run()
        }
        let fence = st.upsertFence
        for f in run.fences {
            try fence.bind(1, f.id)
            try fence.bind(2, f.kind.rawValue)
            try fence.bind(3, f.name)
            try fence.bind(4, geoJSON(f.geometry))
            try fence.bind(5, f.kind == .route ? f.corridorM : nil)
            try fence.bind(6, f.kind == .checkpoint ? f.radiusM : nil)
            try fence.bind(7, runID)
            try fence.run()
        }
        let camera = st.upsertCameraEvent
        for e in run.cameraEvents {
            try camera.bind(1, e.id)
            try camera.bind(2, e.checkpointID)
            try camera.bind(3, run.clock.format(e.time))
            try camera.bind(4, e.time)
            try camera.bind(5, e.plate)
            try camera.bind(6, e.type.rawValue)
            try camera.bind(7, e.confidence)
            try camera.bind(8, e.image)
            try camera.bind(9, runID)
            try camera.run()
        }
    }

    static func writeRegistry(_ run: RunResult, runID: Int64, db: Database) throws(StoreError) {
        let permit = try db.prepare("""
            INSERT OR REPLACE INTO permits(permit_id, vehicles, source_site, disposal_site, route, valid_from, valid_to,
                hours, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for p in run.permits {
            try permit.bind(1, p.id)
            try permit.bind(2, p.vehicles.joined(separator: ","))
            try permit.bind(3, p.sourceSite)
            try permit.bind(4, p.disposalSite)
            try permit.bind(5, p.route)
            try permit.bind(6, p.validFrom.description)
            try permit.bind(7, p.validTo.description)
            try permit.bind(8, p.hours.map { $0.map(\.description).joined(separator: ",") })
            try permit.bind(9, runID)
            try permit.run()
        }
        let vehicle = try db.prepare("""
            INSERT OR REPLACE INTO vehicles(vehicle_id, company, rated_load_t, terminal_id, run_id) VALUES (?, ?, ?, ?, ?)
            """)
        for v in run.vehicles {
            try vehicle.bind(1, v.id)
            try vehicle.bind(2, v.company)
            try vehicle.bind(3, v.ratedLoadT)
            try vehicle.bind(4, v.terminalID)
            try vehicle.bind(5, runID)
            try vehicle.run()
        }
    }

    static func encode(_ points: [TrackPoint]) -> String {
        // Bytes first, one String at the end: the same text as joining the pieces.
        var s: [UInt8] = []
        s.reserveCapacity(points.count * 40)
        for p in points {
            if !s.isEmpty { s.append(0x3B) }
            s.appendDecimal(p.time)
            s.append(0x2C)
            appendFixed(p.lon, to: &s)
            s.append(0x2C)
            appendFixed(p.lat, to: &s)
            s.append(0x2C)
            if !p.speedKmh.isNaN { s.appendDecimal(Int64(Int(p.speedKmh.rounded()))) }
            s.append(0x2C)
            s.append(p.loaded ? 0x31 : 0x30)
        }
        return String(decoding: s, as: UTF8.self)
    }

    /// `fixed(v)` as bytes.
    private static func appendFixed(_ v: Double, to s: inout [UInt8]) {
        let scaled = (v * 1_000_000).rounded()
        if scaled < 0 { s.append(0x2D) }
        let a = Int64(abs(scaled))
        s.appendDecimal(a / 1_000_000)
        s.append(0x2E)
        var frac = a % 1_000_000
        var k = s.count + 5
        s.append(contentsOf: repeatElement(0x30, count: 6))
        while frac > 0 {
            s[k] = UInt8(0x30 + frac % 10)
            frac /= 10
            k -= 1
        }
    }

    static func decode(_ text: String) -> [TrackPoint] {
        text.split(separator: ";").compactMap { item in
            let f = item.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 5, let t = Int64(f[0]), let lon = Double(f[1]), let lat = Double(f[2]) else { return nil }
            return TrackPoint(time: t, lon: lon, lat: lat, speedKmh: Float(f[3]) ?? .nan, loaded: f[4] == "1")
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
        let s = try db.prepare("SELECT points FROM case_tracks WHERE case_id = ?")
        try s.bind(1, caseID)
        return try s.step() ? MapData.decode(s.text(0)) : []
    }

    /// Every fence of the latest runs, by id.
    public func fences() throws(StoreError) -> [StoredFence] {
        let s = try db.prepare("SELECT fence_id, kind, name, geometry, corridor_m, radius_m FROM fences ORDER BY fence_id")
        var out: [StoredFence] = []
        while try s.step() {
            guard let kind = FenceKind(rawValue: s.text(1)) else { continue }
            out.append(StoredFence(id: s.text(0), kind: kind, name: s.text(2), geometryJSON: s.text(3),
                                   corridorM: s.optionalDouble(4), radiusM: s.optionalDouble(5)))
        }
        return out
    }

    /// Camera events by id (evidence) or by plate and time window (context).
    public func cameraEvents(ids: [String] = [], plate: String? = nil, from: Int64 = .min, to: Int64 = .max)
        throws(StoreError) -> [CameraEvent] {
        var out: [CameraEvent] = []
        func read(_ s: Statement) throws(StoreError) {
            while try s.step() {
                guard let type = CameraEventType(rawValue: s.text(5)) else { continue }
                out.append(CameraEvent(id: s.text(0), checkpointID: s.text(1), time: s.int64(3), plate: s.text(4),
                                       type: type, confidence: s.double(6), image: s.string(7)))
            }
        }
        let columns = "event_id, checkpoint_id, at, at_unix, plate, type, confidence, image"
        for id in ids {
            let s = try db.prepare("SELECT \(columns) FROM camera_events WHERE event_id = ?")
            try s.bind(1, id)
            try read(s)
        }
        if let plate {
            let s = try db.prepare("""
                SELECT \(columns) FROM camera_events WHERE plate = ? AND at_unix BETWEEN ? AND ? ORDER BY at_unix
                """)
            try s.bind(1, plate)
            try s.bind(2, from)
            try s.bind(3, to)
            try read(s)
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0.id).inserted }
    }
}

extension CaseStore {
    /// The permit as the latest run read it, or `nil`.
    public func permit(id: String) throws(StoreError) -> Permit? {
        let s = try db.prepare("""
            SELECT vehicles, source_site, disposal_site, route, valid_from, valid_to, hours FROM permits WHERE permit_id = ?
            """)
        try s.bind(1, id)
        guard try s.step() else { return nil }
        guard let from = LocalDate(parsing: s.text(4)), let to = LocalDate(parsing: s.text(5)) else {
            throw .corrupt(what: "validity of permit \(id)")
        }
        let hours = s.string(6).map { $0.split(separator: ",").compactMap { HourWindow(parsing: String($0)) } }
        return Permit(id: id, vehicles: s.text(0).split(separator: ",").map(String.init), sourceSite: s.text(1),
                      disposalSite: s.text(2), route: s.string(3), validFrom: from, validTo: to, hours: hours)
    }

    /// The registry entry of a vehicle as the latest run read it, or `nil`.
    public func vehicle(id: String) throws(StoreError) -> Vehicle? {
        let s = try db.prepare("SELECT company, rated_load_t, terminal_id FROM vehicles WHERE vehicle_id = ?")
        try s.bind(1, id)
        guard try s.step() else { return nil }
        return Vehicle(id: id, company: s.text(0), ratedLoadT: s.optionalDouble(1), terminalID: s.string(2))
    }
}

extension CaseStore {
    /// Changes whenever a run rewrites the fences: lets readers cache parsed geometry.
    public func fenceVersion() throws(StoreError) -> String {
        let s = try db.prepare("SELECT count(*), coalesce(max(run_id), 0) FROM fences")
        _ = try s.step()
        return String(s.int64(0)) + "/" + String(s.int64(1))
    }
}

/// Encoded tracks, one slot per case, written by concurrent workers at distinct indices.
private typealias EncodedTracks = ResultSlots<String>
