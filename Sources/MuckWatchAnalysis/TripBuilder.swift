import MuckWatchCore

/// Turns loadings and unloadings into trips (contract section 9), one event at a time.
///
/// A loading is a dwell in a construction site (unless the load cell says the truck is
/// still empty) or a load-cell rise. An unloading is a tipper raised for `unload_min_s`,
/// a load-cell fall, or — for a truck with neither sensor — a dwell in a disposal site.
/// A loaded trip that reaches its next loading without any unloading was dumped on the
/// way: it ends at its longest dwell outside every site (an inferred dump).
struct TripBuilder {
    struct Open {
        var sourceSite: Int32
        var loadStart: Int64
        var loadedAt: Int64
        /// Track index of the fix where the loading ended.
        var loadedIndex: Int
        /// The start came from a load-cell rise, which times the loading better than a
        /// dwell (a truck may queue in the site long before it is loaded).
        var measuredStart: Bool
        /// Dwells outside every site since the loading, candidates for an inferred dump.
        var offSiteDwells: [Dwell] = []
    }

    let unloadMinS: Int64
    let loadedMinT: Double
    /// Two loadings at one site this close, with no stop elsewhere between, are one loading.
    let mergeLoadingS: Int64 = 20 * 60
    private(set) var open: Open?

    init(config: Config) {
        unloadMinS = config.unloadMinS
        loadedMinT = config.loadedMinT
    }

    // MARK: events

    mutating func dwellClosed(_ d: Dwell, kind: FenceKind?, track: inout VehicleTrack, sites: [String]) {
        switch kind {
        case .constructionSite:
            if track.hasLoadCell, let load = lastLoad(track, atOrBefore: d.last) {
                // Still empty: queued or turned away, not loaded.
                if load < loadedMinT { return }
                // Arrived loaded, with the trip still open: a stop in a site on the way (at
                // its gate, in traffic through it), not a loading. The load cell would have
                // shown the fall of an unloading before a new load.
                if open != nil, let arrival = lastLoad(track, atOrBefore: d.first), arrival >= loadedMinT { return }
            }
            loading(site: d.site, start: d.start, end: d.end, endIndex: d.last, measured: false, track: &track, sites: sites)
        case .disposalSite:
            guard open != nil, !track.hasLift else { return }
            if track.hasLoadCell, let load = lastLoad(track, atOrBefore: d.last), load >= loadedMinT { return }
            unloading(site: d.site, beginIndex: d.first, endIndex: d.last, lon: d.lon, lat: d.lat,
                      evidence: .disposalDwell, track: &track, sites: sites)
        default:
            if open != nil, d.start >= open!.loadedAt { open!.offSiteDwells.append(d) }
        }
    }

    mutating func liftRun(_ r: SensorRun, track: inout VehicleTrack, sites: [String], siteKinds: [FenceKind]) {
        // One raised fix alone is a flicker at ordinary reporting rates; with sparse reports
        // (a minute or more between fixes) it is all there is of an unloading, and counts
        // when the truck stood still at it.
        let single = r.last == r.first
        guard open != nil, r.held >= (single ? unloadMinS * 3 / 2 : unloadMinS) else { return }
        if single && track.fixes[r.first].hasSpeed && track.fixes[r.first].speedKmh >= 5 { return }
        let (site, lon, lat) = placeOf(r.first, r.last, track: track, siteKinds: siteKinds)
        unloading(site: site, beginIndex: r.first, endIndex: r.last, lon: lon, lat: lat, evidence: .lift,
                  track: &track, sites: sites)
    }

    mutating func loadStep(_ s: LoadStep, track: inout VehicleTrack, sites: [String], siteKinds: [FenceKind]) {
        switch s.direction {
        case .rise:
            guard s.toT >= loadedMinT else { return }
            loading(site: siteOfRise(s, track: track, siteKinds: siteKinds), start: s.start, end: s.end, endIndex: s.last,
                    measured: true, track: &track, sites: sites)
        case .fall:
            guard open != nil, s.toT < loadedMinT || s.fromT - s.toT >= loadedMinT else { return }
            let begin = min(s.first + 1, s.last)
            let (site, lon, lat) = placeOf(begin, s.last, track: track, siteKinds: siteKinds)
            unloading(site: site, beginIndex: begin, endIndex: s.last, lon: lon, lat: lat, evidence: .loadCell,
                      track: &track, sites: sites)
        }
    }

    /// End of data: a trip still loaded stays open (no dump time), so the load is not lost.
    mutating func finish(track: inout VehicleTrack, sites: [String]) {
        guard let o = open else { return }
        let end = track.count
        track.trips.append(makeTrip(o, disposal: -1, lon: track.fixes[end - 1].lon, lat: track.fixes[end - 1].lat,
                                    dumpIndex: nil, dumpEndIndex: nil, evidence: .none, track: track, sites: sites))
        open = nil
    }

    // MARK: state changes

    private mutating func loading(site: Int32, start: Int64, end: Int64, endIndex: Int, measured: Bool,
                                  track: inout VehicleTrack, sites: [String]) {
        if var o = open {
            let sameSite = site < 0 || o.sourceSite < 0 || site == o.sourceSite
            if sameSite && o.offSiteDwells.isEmpty && start - o.loadedAt <= mergeLoadingS {
                if end > o.loadedAt { o.loadedAt = end; o.loadedIndex = endIndex }
                if o.sourceSite < 0 { o.sourceSite = site }
                if measured && !o.measuredStart {
                    o.loadStart = start
                    o.measuredStart = true
                } else if measured == o.measuredStart {
                    o.loadStart = min(o.loadStart, start)
                }
                open = o
                return
            }
            closeInferred(o, before: start, track: &track, sites: sites)
        }
        open = Open(sourceSite: site, loadStart: start, loadedAt: end, loadedIndex: endIndex, measuredStart: measured)
    }

    private mutating func unloading(site: Int32, beginIndex: Int, endIndex: Int, lon: Double, lat: Double,
                                    evidence: UnloadEvidence, track: inout VehicleTrack, sites: [String]) {
        guard let o = open, track.fixes[beginIndex].time >= o.loadStart else { return }
        track.trips.append(makeTrip(o, disposal: site, lon: lon, lat: lat, dumpIndex: beginIndex,
                                    dumpEndIndex: endIndex, evidence: evidence, track: track, sites: sites))
        open = nil
    }

    /// The loaded truck is loading again without having unloaded: its load went down at
    /// the longest stop outside every site.
    private mutating func closeInferred(_ o: Open, before t: Int64, track: inout VehicleTrack, sites: [String]) {
        let candidates = o.offSiteDwells.filter { $0.end <= t }
        if let d = candidates.max(by: { $0.duration < $1.duration }) {
            track.trips.append(makeTrip(o, disposal: -1, lon: d.lon, lat: d.lat, dumpIndex: d.first,
                                        dumpEndIndex: d.last, evidence: .inferredDwell, track: track, sites: sites))
        } else {
            let i = max(track.firstIndex(atOrAfter: t) - 1, o.loadedIndex)
            track.trips.append(makeTrip(o, disposal: -1, lon: track.fixes[i].lon, lat: track.fixes[i].lat,
                                        dumpIndex: nil, dumpEndIndex: nil, evidence: .none, track: track, sites: sites))
        }
        open = nil
    }

    private func makeTrip(_ o: Open, disposal: Int32, lon: Double, lat: Double, dumpIndex: Int?, dumpEndIndex: Int?,
                          evidence: UnloadEvidence, track: VehicleTrack, sites: [String]) -> Trip {
        let upper = (dumpIndex ?? (track.count - 1)) + 1
        let range = o.loadedIndex..<max(upper, o.loadedIndex + 1)
        var maxLoad = Float.nan
        if track.hasLoadCell {
            for i in range where !track.fixes[i].loadT.isNaN {
                if maxLoad.isNaN || track.fixes[i].loadT > maxLoad { maxLoad = track.fixes[i].loadT }
            }
        }
        return Trip(vehicle: track.vehicle, sourceSite: o.sourceSite >= 0 ? sites[Int(o.sourceSite)] : nil,
                    loadedAt: o.loadedAt, loadStart: o.loadStart,
                    disposalSite: disposal >= 0 ? sites[Int(disposal)] : nil, dumpLon: lon, dumpLat: lat,
                    dumpedAt: dumpIndex.map { track.fixes[$0].time }, dumpEnd: dumpEndIndex.map { track.fixes[$0].time },
                    unloadEvidence: evidence, distanceKm: track.pathLength(range) / 1000,
                    loadT: maxLoad.isNaN ? nil : Double(maxLoad), permitID: nil, fixRange: range)
    }

    // MARK: helpers

    private func lastLoad(_ track: VehicleTrack, atOrBefore i: Int) -> Double? {
        var k = i
        while k >= 0 && k > i - 10 {
            if !track.fixes[k].loadT.isNaN { return Double(track.fixes[k].loadT) }
            k -= 1
        }
        return nil
    }

    /// The construction site where a rise put the load on: the one the truck was in when the
    /// reading passed halfway (else the nearest such fix before it, then after it). Not the
    /// last site of the rise: a load cell that creeps on the road keeps a rise open for
    /// minutes, through any site the loaded truck drives across.
    private func siteOfRise(_ s: LoadStep, track: VehicleTrack, siteKinds: [FenceKind]) -> Int32 {
        let half = (s.fromT + s.toT) / 2
        var crossing = s.last
        for i in s.first...s.last where !track.fixes[i].loadT.isNaN && Double(track.fixes[i].loadT) >= half {
            crossing = i
            break
        }
        func construction(_ i: Int) -> Bool { track.site[i] >= 0 && siteKinds[Int(track.site[i])] == .constructionSite }
        if let i = (s.first...crossing).reversed().first(where: construction) { return track.site[i] }
        if let i = (crossing...s.last).first(where: construction) { return track.site[i] }
        return -1
    }

    /// The disposal site (if any) and mean position of fixes `first...last`.
    private func placeOf(_ first: Int, _ last: Int, track: VehicleTrack, siteKinds: [FenceKind]) -> (Int32, Double, Double) {
        var site: Int32 = -1
        var lon = 0.0, lat = 0.0
        for i in first...last {
            let s = track.site[i]
            if s >= 0 && siteKinds[Int(s)] == .disposalSite { site = s }
            lon += track.fixes[i].lon
            lat += track.fixes[i].lat
        }
        let n = Double(last - first + 1)
        return (site, lon / n, lat / n)
    }
}
