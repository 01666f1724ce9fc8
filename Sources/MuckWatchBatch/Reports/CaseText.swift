public import MuckWatchCore
public import MuckWatchStore
import Foundation

/// One case as readable text: the chain source → route → dump, each violation with its
/// evidence, and the audit trail.
public enum CaseText {
    public static func render(_ c: StoredCase, track: [TrackPoint], cameras: [CameraEvent], clock: LocalClock) -> String {
        func t(_ x: Int64?) -> String { x.map(clock.format) ?? "-" }
        func hm(_ x: Int64) -> String { String(clock.format(x).dropFirst(11).prefix(8)) }
        var out = "Case \(c.caseID)  [\(c.status.rawValue)\(c.superseded ? ", superseded: a later run no longer finds it" : "")]\n"
        out += "Vehicle   \(c.vehicleID)\(c.company.map { "  (\($0))" } ?? "")\n"
        out += "Date      \(c.date)\n"
        out += "Routed to \(c.departments.joined(separator: ", "))\n"
        if let trip = c.trip {
            out += "\nTrip\n"
            out += "  loaded    \(t(trip.loadedAt))  at \(trip.sourceSite ?? "a place outside every site")"
            out += trip.loadT.map { String(format: "  (%.1f t)", $0) } ?? ""
            out += "\n  permit    \(trip.permitID ?? "none valid")\n"
            let loadedPoints = track.filter(\.loaded)
            if let first = loadedPoints.first, let last = loadedPoints.last {
                out += "  route     \(String(format: "%.1f", trip.distanceKm)) km loaded, \(hm(first.time))–\(hm(last.time)), \(track.count) track points\n"
            }
            if let d = trip.dumpedAt {
                let place = trip.disposalSite ?? String(format: "outside every disposal site at %.6f, %.6f", trip.dumpLon ?? .nan, trip.dumpLat ?? .nan)
                out += "  unloaded  \(t(d))  \(place)\n"
            } else {
                out += "  unloaded  not seen (data ended while loaded, or the load went down unseen)\n"
            }
        } else {
            out += "\nNo trip: violations of this vehicle on \(c.date) outside any loaded trip.\n"
        }
        out += "\nViolations\n"
        for (i, v) in c.violations.enumerated() {
            let window = v.start == v.end ? t(v.start) : "\(t(v.start)) – \(hm(v.end))"
            out += "  \(i + 1). \(v.type.rawValue)  (\(v.source.rawValue))  \(window)\n"
            out += "     \(v.detail)\n"
            out += String(format: "     at %.6f, %.6f\n", v.lon, v.lat)
            for r in v.evidence.fixRanges { out += "     fixes \(t(r.lowerBound)) – \(hm(r.upperBound))\n" }
            for s in v.evidence.sensorReadings { out += "     sensor \(s)\n" }
            for id in v.evidence.cameraEvents {
                if let e = cameras.first(where: { $0.id == id }) {
                    out += "     camera \(id) at \(e.checkpointID) \(t(e.time)) \(e.type.rawValue) confidence \(e.confidence)\(e.image.map { "  image \($0)" } ?? "")\n"
                } else {
                    out += "     camera \(id)\n"
                }
            }
        }
        let context = cameras.filter { e in !c.violations.contains { $0.evidence.cameraEvents.contains(e.id) } }
        if !context.isEmpty {
            out += "\nOther camera reads of this plate in the case window (context, not evidence)\n"
            for e in context { out += "  \(e.id) \(e.checkpointID) \(t(e.time)) \(e.type.rawValue) confidence \(e.confidence)\n" }
        }
        out += "\nAudit trail\n"
        for e in c.events {
            let change = e.fromStatus == e.toStatus ? (e.toStatus?.rawValue ?? "") : "\(e.fromStatus?.rawValue ?? "-") → \(e.toStatus?.rawValue ?? "-")"
            out += "  \(t(e.at))  \(e.actor)  \(e.action)  \(change)\(e.note.map { "  “\($0)”" } ?? "")\n"
        }
        return out
    }
}
