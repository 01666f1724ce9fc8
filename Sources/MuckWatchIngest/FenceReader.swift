import Foundation
public import MuckWatchCore

/// Reads geofences (contract section 3) from a GeoJSON file or a folder of them.
public enum FenceReader {
    public static func read(path: String) throws(IngestError) -> [Fence] {
        var fences: [Fence] = []
        var origin: [String: String] = [:]
        for file in try files(at: path) {
            for f in try readFile(file) {
                if let other = origin[f.id] {
                    throw .invalidFences(path: file, reason: "duplicate fence id '\(f.id)' (also in \(other))")
                }
                origin[f.id] = file
                fences.append(f)
            }
        }
        return fences
    }

    /// The fence files `path` names: itself, or a folder's `.geojson` and `.json` files in name order.
    static func files(at path: String) throws(IngestError) -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw .fileNotFound(path: path) }
        guard isDir.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let files = names.filter { $0.hasSuffix(".geojson") || $0.hasSuffix(".json") }.sorted().map { path + "/" + $0 }
        guard !files.isEmpty else { throw .invalidFences(path: path, reason: "folder has no .geojson or .json files") }
        return files
    }

    static func readFile(_ file: String) throws(IngestError) -> [Fence] {
        var out: [Fence] = []
        for (n, raw) in try features(file).enumerated() {
            guard let feature = raw as? [String: Any] else { throw .invalidFences(path: file, reason: "feature #\(n + 1) is not an object") }
            out.append(try fence(feature, number: n + 1, file: file))
        }
        return out
    }

    /// The features of one GeoJSON file (a FeatureCollection's list, or the one Feature), not yet read.
    static func features(_ file: String) throws(IngestError) -> [Any] {
        let data = try JSONInput.read(file)
        guard let root = JSONInput.object(data) as? [String: Any] else {
            throw .invalidFences(path: file, reason: "not a JSON object (expected a GeoJSON FeatureCollection)")
        }
        let features: [Any]
        switch root["type"] as? String {
        case "FeatureCollection":
            guard let fs = root["features"] as? [Any] else { throw .invalidFences(path: file, reason: "FeatureCollection without a 'features' array") }
            features = fs
        case "Feature": features = [root]
        default: throw .invalidFences(path: file, reason: "not GeoJSON: 'type' must be FeatureCollection or Feature")
        }
        return features
    }

    static func fence(_ f: [String: Any], number: Int, file: String) throws(IngestError) -> Fence {
        let props = f["properties"] as? [String: Any] ?? [:]
        guard let id = JSONInput.string(props["id"]), !id.isEmpty else {
            throw .invalidFences(path: file, reason: "feature #\(number) has no properties.id")
        }
        func fail(_ why: String) -> IngestError { .invalidFences(path: file, reason: "fence '\(id)': \(why)") }
        let kindText = props["kind"] as? String ?? ""
        guard let kind = FenceKind(rawValue: kindText) else {
            throw fail("unknown kind '\(kindText)' (valid: \(FenceKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let geometry = f["geometry"] as? [String: Any], let type = geometry["type"] as? String else {
            throw fail("missing geometry")
        }
        let coords = geometry["coordinates"]
        let g: FenceGeometry
        switch (kind, type) {
        case (.constructionSite, "Polygon"), (.disposalSite, "Polygon"), (.restrictedZone, "Polygon"):
            g = .polygons([try polygon(coords, fail)])
        case (.constructionSite, "MultiPolygon"), (.disposalSite, "MultiPolygon"), (.restrictedZone, "MultiPolygon"):
            guard let list = coords as? [Any], !list.isEmpty else { throw fail("MultiPolygon without polygons") }
            var polys: [[[LonLat]]] = []
            for p in list { polys.append(try polygon(p, fail)) }
            g = .polygons(polys)
        case (.route, "LineString"):
            g = .lines([try line(coords, fail)])
        case (.route, "MultiLineString"):
            guard let list = coords as? [Any], !list.isEmpty else { throw fail("MultiLineString without lines") }
            var lines: [[LonLat]] = []
            for l in list { lines.append(try line(l, fail)) }
            g = .lines(lines)
        case (.checkpoint, "Point"):
            g = .point(try position(coords, fail))
        default:
            throw fail("a \(kind.rawValue) cannot have a \(type) geometry")
        }
        var fence = Fence(id: id, name: JSONInput.string(props["name"]) ?? id, kind: kind, geometry: g)
        func positive(_ key: String) throws(IngestError) -> Double? {
            guard let v = JSONInput.number(props[key]) else { throw fail("\(key) is not a number") }
            if let v, v <= 0 { throw fail("\(key) must be positive") }
            return v
        }
        if let c = try positive("corridor_m") { fence.corridorM = c }
        if let r = try positive("radius_m") { fence.radiusM = r }
        fence.speedLimitKmh = try positive("speed_limit_kmh")
        fence.capacityT = try positive("capacity_t")
        if let text = JSONInput.string(props["facility"]), !text.isEmpty {
            guard kind == .disposalSite else { throw fail("facility applies to disposal sites only") }
            guard let facility = Facility(rawValue: text) else {
                throw fail("unknown facility '\(text)' (valid: \(Facility.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            fence.facility = facility
        }
        if let hours = props["hours"], !(hours is NSNull) {
            guard let list = hours as? [Any] else { throw fail("hours must be a list like [\"22:00-06:00\"]") }
            var windows: [HourWindow] = []
            for h in list {
                guard let text = h as? String, let w = HourWindow(parsing: text) else {
                    throw fail("hours entry \(h) is not HH:MM-HH:MM")
                }
                windows.append(w)
            }
            fence.hours = windows
        }
        return fence
    }

    static func position(_ v: Any?, _ fail: (String) -> IngestError) throws(IngestError) -> LonLat {
        guard let a = v as? [Any], a.count >= 2, let lon = JSONInput.number(a[0]) ?? nil, let lat = JSONInput.number(a[1]) ?? nil else {
            throw fail("a position must be [lon, lat]")
        }
        guard abs(lon) <= 180, abs(lat) <= 90 else { throw fail("position [\(lon), \(lat)] out of range") }
        return LonLat(lon: lon, lat: lat)
    }

    static func line(_ v: Any?, _ fail: (String) -> IngestError) throws(IngestError) -> [LonLat] {
        guard let a = v as? [Any], a.count >= 2 else { throw fail("a line needs at least 2 positions") }
        var out: [LonLat] = []
        for p in a { out.append(try position(p, fail)) }
        return out
    }

    static func polygon(_ v: Any?, _ fail: (String) -> IngestError) throws(IngestError) -> [[LonLat]] {
        guard let rings = v as? [Any], !rings.isEmpty else { throw fail("a polygon needs at least one ring") }
        var out: [[LonLat]] = []
        for r in rings {
            guard let pts = r as? [Any] else { throw fail("a ring must be a list of positions") }
            var ring: [LonLat] = []
            for p in pts { ring.append(try position(p, fail)) }
            if ring.count > 1, ring.first == ring.last { ring.removeLast() }
            guard Set(ring.map { "\($0.lon),\($0.lat)" }).count >= 3 else {
                throw fail("a ring needs at least 3 distinct positions")
            }
            out.append(ring)
        }
        return out
    }
}
