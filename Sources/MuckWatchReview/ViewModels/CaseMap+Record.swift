import MuckWatchCore
import MuckWatchJournal
import MuckWatchStore

extension CaseMap {
    /// The map of a case: its track, the trip's sites and route and the checkpoints that read the
    /// plate (highlighted), the dump point, numbered violation markers, the camera reads, the gate
    /// passes and where the case's manifests were closed.
    init(_ record: CaseRecord, shapes: [FenceShape], names: FenceNames) {
        let c = record.stored, clock = record.clock, trip = c.trip
        let t = { (x: Int64) in Labels.time(x, clock) }
        var highlighted = Set([trip?.sourceSite, trip?.disposalSite, record.permit?.route].compactMap { $0 })
        highlighted.formUnion(record.cameras.map(\.checkpointID))
        highlighted.formUnion(record.gates.map(\.event.site))
        let closings = record.manifests.map(\.manifest).filter { $0.closedAt != nil && $0.closedSite != nil }
        highlighted.formUnion(closings.compactMap(\.closedSite))
        // Labels at one site (its gate passes, then its closings) stack upwards, one row each.
        var atSite: [String: Int] = [:]
        let row = { (site: String) -> Int in
            defer { atSite[site, default: 0] += 1 }
            return atSite[site, default: 0]
        }
        self.init(
            track: record.track,
            // Checkpoints only where a camera read this plate: the others say nothing about this case.
            fences: shapes.filter { $0.kind != .checkpoint || highlighted.contains($0.id) },
            highlighted: highlighted,
            dump: trip.flatMap { t in t.dumpLon.flatMap { lon in t.dumpLat.map { LonLat(lon: lon, lat: $0) } } },
            violations: c.violations.enumerated().map { i, v in
                Marker(at: LonLat(lon: v.lon, lat: v.lat), label: String(i + 1),
                       title: "\(i + 1): \(v.type.rawValue) \(t(v.start))")
            },
            cameras: record.cameras.compactMap { e in
                names.byID[e.checkpointID]?.point.map {
                    Marker(at: $0, label: Labels.clockTime(e.time, clock).prefix(5) + " " + e.type.rawValue,
                           title: "\(e.id) \(e.type.rawValue) \(t(e.time))")
                }
            },
            gates: record.gates.map(\.event).compactMap { g in
                names.byID[g.site]?.centre.map {
                    Marker(at: $0, label: Labels.clockTime(g.time, clock).prefix(5) + " " + g.direction.rawValue
                               + (g.netT.map { " " + Labels.tonnes($0) } ?? ""),
                           title: "gate \(g.id) \(g.site) \(g.direction.rawValue) \(t(g.time))", row: row(g.site))
                }
            },
            closings: closings.compactMap { m in
                m.closedSite.flatMap { names.byID[$0]?.centre }.map {
                    Marker(at: $0, label: Labels.clockTime(m.closedAt ?? 0, clock).prefix(5) + " closed", title: "manifest \(m.id) closed \(t(m.closedAt ?? 0))",
                           row: row(m.closedSite ?? ""))
                }
            },
            rawFixes: (record.journal?.fixes ?? []).filter { !$0.fix.unpositioned }.map { LonLat(lon: $0.fix.lon, lat: $0.fix.lat) })
    }
}
