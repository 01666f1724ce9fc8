public import Foundation
import MuckWatchCore
import MuckWatchGeo

/// Rewrites every position of a GeoJSON document from WGS84 into GCJ-02 (test helper).
public enum GCJShift {
    public static func shiftGeoJSON(_ data: Data) -> Data {
        let root = try! JSONSerialization.jsonObject(with: data)
        return try! JSONSerialization.data(withJSONObject: shift(root))
    }

    static func shift(_ v: Any) -> Any {
        if let a = v as? [Any] {
            if a.count >= 2, let lon = a[0] as? Double, let lat = a[1] as? Double {
                let g = GCJ02.fromWGS84(LonLat(lon: lon, lat: lat))
                return [g.lon, g.lat]
            }
            return a.map(shift)
        }
        if let d = v as? [String: Any] {
            var out: [String: Any] = [:]
            for (k, x) in d { out[k] = k == "properties" ? x : shift(x) }
            return out
        }
        return v
    }
}
