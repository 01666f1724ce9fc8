import Foundation
import MuckWatchCore
import MuckWatchStore

extension CasePageModel {
    /// One box of the chain source site → route → dump; `kind` is `bad` when a violation concerns it.
    struct ChainLink { var kind: String; var label: String; var name: String; var detail: String }

    /// The trip's chain, each link marked as the rules judged it; a day case has one link, the vehicle.
    static func chain(_ c: StoredCase, permit: Permit?, names: FenceNames, clock: LocalClock) -> [ChainLink] {
        guard let trip = c.trip else {
            return [ChainLink(kind: "bad", label: "Day case", name: c.vehicleID, detail: "violations not tied to one trip")]
        }
        let types = Set(c.violations.map(\.type))
        let t = { (x: Int64) in Labels.time(x, clock) }
        let source = ChainLink(kind: types.contains(.noPermit) ? "bad" : "ok", label: "Source 出土工地",
                               name: names.label(trip.sourceSite) ?? "unknown site",
                               detail: "loaded " + t(trip.loadedAt) + (trip.loadT.map { String(format: " · %.1f t", $0) } ?? ""))
        let routeBad = types.contains(.offRoute) || types.contains(.restrictedZone)
        let route = ChainLink(kind: routeBad ? "bad" : "ok", label: "Route 线路",
                              name: permit?.route.map { names.label($0) ?? $0 } ?? "any route",
                              detail: String(format: "%.1f km driven", trip.distanceKm))
        let dumpBad = types.contains(.illegalDump) || types.contains(.unapprovedDisposal)
        let dump = ChainLink(kind: dumpBad ? "bad" : "ok", label: "Dump 倾倒",
                             name: names.label(trip.disposalSite) ?? (trip.dumpLon == nil ? "not unloaded" : "outside any disposal site"),
                             detail: trip.dumpedAt.map { "unloaded " + t($0) }
                                 .map { $0 + (trip.dumpLon.map { l in String(format: " at %.5f, %.5f", l, trip.dumpLat ?? 0) } ?? "") }
                                 ?? "still loaded at the end of the data")
        return [source, route, dump]
    }
}
