import Foundation
import MuckWatchCore
import MuckWatchStore

extension CasePageModel {
    /// A manifest the case cites or its trip matched, as the paper trail says the load went,
    /// beside where the GPS says it went (`actual`).
    struct ManifestFacts {
        var id, state, stateLabel, waste, declared, received, planned, actual, opened, closed: String
        var permit, driver, trip: String
        /// The manifest was closed at a site other than where the case's trip unloaded.
        var closedElsewhere: Bool
    }

    /// A pass through a site's gate with what its camera, reader and weighbridge saw.
    struct GatePass {
        var id, site, time, direction, plate, tag, gross, tare, net: String
        var manifest: String?, image: String?
        /// A violation of the case cites it (else it is context: the vehicle's pass around the trip).
        var cited: Bool
    }

    static func manifestFacts(_ manifests: [StoredManifest], trip: StoredTrip?, names: FenceNames, clock: LocalClock)
        -> [ManifestFacts] {
        let site = { (id: String) in names.label(id) ?? id }
        return manifests.map { s in
            let m = s.manifest
            // Only the trip of this case tells where the load went; a manifest matched elsewhere says so.
            let ownTrip = trip.flatMap { $0.loadedAt == s.entry.tripLoadedAt ? $0 : nil }
            let actual: String
            if let t = ownTrip {
                actual = t.disposalSite.map(site) ?? (t.dumpedAt == nil ? "not unloaded" : "outside any disposal site")
            } else {
                actual = s.entry.tripLoadedAt.map { "another trip, loaded " + Labels.time($0, clock) } ?? "no trip matched"
            }
            return ManifestFacts(
                id: m.id, state: s.entry.state.rawValue, stateLabel: Labels.manifestState(s.entry.state),
                waste: Labels.waste(m.wasteType), declared: Labels.tonnes(m.declaredT),
                received: m.receivedT.map(Labels.tonnes) ?? "—", planned: site(m.disposalSite), actual: actual,
                opened: Labels.time(m.openedAt, clock) + " at " + site(m.sourceSite),
                closed: m.closedAt.map { Labels.time($0, clock) + (m.closedSite.map { " at " + site($0) } ?? "") }
                    ?? "not closed",
                permit: m.permitID ?? "—", driver: m.driverID ?? "—",
                trip: s.entry.tripLoadedAt.map { "loaded " + Labels.time($0, clock) } ?? "none",
                closedElsewhere: ownTrip != nil && m.closedSite != nil && m.closedSite != ownTrip?.disposalSite)
        }
    }

    static func gatePasses(_ gates: [StoredGateEvent], cited: Set<String>, names: FenceNames, clock: LocalClock)
        -> [GatePass] {
        let t = { (x: Double?) in x.map(Labels.tonnes) ?? "—" }
        return gates.map { g in
            let e = g.event
            return GatePass(id: e.id, site: names.label(e.site) ?? e.site, time: Labels.time(e.time, clock),
                            direction: e.direction == .in ? "in 进场" : "out 出场", plate: e.plate ?? "not read",
                            tag: e.rfid ?? "not read", gross: t(e.grossT), tare: t(e.tareT), net: t(e.netT),
                            manifest: e.manifestID, image: e.image, cited: cited.contains(e.id))
        }
    }
}
