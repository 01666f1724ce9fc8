import MuckWatchCore
import MuckWatchAnalysis

extension Violation {
    /// A manifest or gate violation at instant `at` (contract section 12): placed at the
    /// vehicle's fix nearest in time, else at `site`'s centre; joined to the trip nearest
    /// in time (at most 30 min away), else to the vehicle's day case.
    init(_ type: ViolationType, at t: Int64, site: String?, _ track: VehicleTrack, _ ctx: RuleContext,
         source: ViolationSource, detail: String, evidence: Evidence) {
        let place: (lon: Double, lat: Double)
        if let f = track.nearestFix(to: t) { place = (f.lon, f.lat) }
        else if let c = site.flatMap(ctx.centre(ofSite:)) { place = (c.lon, c.lat) }
        else { place = (.nan, .nan) }
        self.init(vehicle: track.vehicle, type: type, start: t, end: t, lon: place.lon, lat: place.lat, source: source,
                  detail: detail, evidence: evidence, tripIndex: track.tripIndex(nearest: t, within: chainTripWindowS))
    }
}

/// How far in time a manifest or gate record may lie from a trip and still join its case.
let chainTripWindowS: Int64 = 1800

extension Evidence {
    /// The evidence of one gate pass: the pass, its image and the manifest scanned there.
    init(pass e: borrowing GateEvent) {
        self.init(manifests: e.manifestID.map { [$0] } ?? [])
        add(gate: e)
    }

    /// Evidence naming a gate pass: its id and image.
    mutating func add(gate g: borrowing GateEvent) {
        gateEvents.append(g.id)
        if let img = g.image { images.append(img) }
    }

    /// Evidence naming the gate passes at `indices` of `chain.gateEvents`.
    mutating func add(gates indices: ArraySlice<Int>, of chain: ChainRecords) {
        for i in indices { add(gate: chain.gateEvents[i]) }
    }
}

/// Tonnes to one decimal, as weighbridge tickets print them.
func tonnes(_ t: Double) -> String { "\((t * 10).rounded() / 10) t" }
