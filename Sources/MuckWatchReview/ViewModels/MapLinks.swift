import Foundation

/// Links that open a point in the phone's map app (issue #26).
///
/// `geo:` (RFC 5870) carries WGS84, which the store keeps and Android hands to the default
/// map app. Chinese map apps (高德 Amap, 百度 Baidu, Tencent) draw on GCJ-02 or BD-09: given
/// raw WGS84 they put the pin 300–600 m off in the city, so the second link asks Amap itself
/// to convert (`coordinate=wgs84` of its URI API).
struct MapLinks {
    var geo: String
    var amap: String
    var position: String

    init?(lat: Double?, lon: Double?, label: String) {
        guard let lat, let lon, abs(lat) <= 90, abs(lon) <= 180 else { return nil }
        let la = String(format: "%.6f", lat), lo = String(format: "%.6f", lon)
        let name = label.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        geo = "geo:\(la),\(lo)?q=\(la),\(lo)(\(name))"
        amap = "https://uri.amap.com/marker?position=\(lo),\(la)&name=\(name)&coordinate=wgs84&callnative=1"
        position = "\(la), \(lo)"
    }
}
