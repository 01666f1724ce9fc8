public import MuckWatchCore

extension Projector {
    /// The longitude a run's Gauss–Krüger zone is chosen by: the median of up to ~1,000
    /// evenly spaced fixes, else the first vertex of the fences (a live gateway has no
    /// fixes yet when it starts), else 117°E.
    public static func centralLongitude(_ fixes: [Fix], _ fences: [Fence]) -> Double {
        if !fixes.isEmpty {
            var lons = [Double]()
            let step = max(1, fixes.count / 1000)
            for i in stride(from: 0, to: fixes.count, by: step) { lons.append(fixes[i].lon) }
            lons.sort()
            return lons[lons.count / 2]
        }
        for f in fences {
            switch f.geometry {
            case .point(let p): return p.lon
            case .lines(let l): if let p = l.first?.first { return p.lon }
            case .polygons(let p): if let q = p.first?.first?.first { return q.lon }
            }
        }
        return 117
    }
}
