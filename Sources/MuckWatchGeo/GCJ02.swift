import Foundation
public import MuckWatchCore

/// GCJ-02 (火星坐标), the offset datum of Chinese web maps, to and from WGS84.
///
/// No maintained library ships this shift, so it is written here: the widely published
/// forward formula (Krasovsky ellipsoid and its polynomial offsets), and an inverse by
/// fixed-point iteration to 1e-9° instead of the common one-step approximation, which
/// leaves errors of a metre or more. Points outside China are not shifted.
public enum GCJ02 {
    private static let a = 6_378_245.0
    private static let ee = 0.006_693_421_622_965_943_23

    public static func isOutsideChina(_ p: LonLat) -> Bool {
        p.lon < 72.004 || p.lon > 137.8347 || p.lat < 0.8293 || p.lat > 55.8271
    }

    public static func fromWGS84(_ p: LonLat) -> LonLat {
        if isOutsideChina(p) { return p }
        let (dLon, dLat) = offset(p)
        return LonLat(lon: p.lon + dLon, lat: p.lat + dLat)
    }

    public static func toWGS84(_ g: LonLat) -> LonLat {
        if isOutsideChina(g) { return g }
        var w = LonLat(lon: g.lon, lat: g.lat)
        for _ in 0..<30 {
            let f = fromWGS84(w)
            let eLon = f.lon - g.lon, eLat = f.lat - g.lat
            w.lon -= eLon
            w.lat -= eLat
            if abs(eLon) < 1e-10 && abs(eLat) < 1e-10 { break }
        }
        return w
    }

    private static func offset(_ p: LonLat) -> (Double, Double) {
        let x = p.lon - 105.0, y = p.lat - 35.0
        var dLat = transformLat(x, y)
        var dLon = transformLon(x, y)
        let radLat = p.lat / 180.0 * Double.pi
        var magic = sin(radLat)
        magic = 1 - ee * magic * magic
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180.0) / ((a * (1 - ee)) / (magic * sqrtMagic) * Double.pi)
        dLon = (dLon * 180.0) / (a / sqrtMagic * cos(radLat) * Double.pi)
        return (dLon, dLat)
    }

    private static func transformLat(_ x: Double, _ y: Double) -> Double {
        var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        r += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        r += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        r += (160.0 * sin(y / 12.0 * .pi) + 320 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        return r
    }

    private static func transformLon(_ x: Double, _ y: Double) -> Double {
        var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        r += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        r += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        r += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        return r
    }
}
