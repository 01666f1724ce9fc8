public import MuckWatchCore

extension Projector {
    /// The longitude a run's Gauss–Krüger zone is chosen by: the median of up to ~1,000
    /// evenly spaced fixes, else the first vertex of the fences (a live gateway has no
    /// fixes yet when it starts), else 117°E.
    public static func centralLongitude(_ fixes: [Fix], _ fences: [Fence]) -> Double {
        if let median = medianLongitude(count: fixes.count, longitude: { fixes[$0].lon }) { return median }
        for f in fences {
            switch f.geometry {
            case .point(let p): return p.lon
            case .lines(let l): if let p = l.first?.first { return p.lon }
            case .polygons(let p): if let q = p.first?.first?.first { return q.lon }
            }
        }
        return 117
    }

    /// The median of the longitudes of fixes 0, step, 2·step, … of `count` fixes (at most
    /// ~1,000 of them); `longitude(i)` reads fix i, with i rising. `nil` without fixes. One
    /// rule whether the fixes are one array or the pieces a night is read in.
    public static func medianLongitude(count: Int, longitude: (Int) -> Double) -> Double? {
        guard count > 0 else { return nil }
        var lons = [Double]()
        let step = max(1, count / 1000)
        for i in stride(from: 0, to: count, by: step) { lons.append(longitude(i)) }
        lons.sort()
        return lons[lons.count / 2]
    }
}
