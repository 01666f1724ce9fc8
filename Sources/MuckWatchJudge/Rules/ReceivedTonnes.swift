import MuckWatchCore

/// What each trip delivered, for the statistics (contract section 12), in order of
/// preference: the net of the vehicle's `in` weighing at the trip's disposal site between
/// `loaded_at` and 30 min after `dumped_at`; the matched manifest's `received_t` when it
/// was closed there; the trip's `load_t`.
enum ReceivedTonnes {
    static let afterDumpS: Int64 = 1800

    static func fill(_ trips: inout [Trip], _ ctx: RuleContext) {
        // By index: a pass or manifest bound whole is a copy of its strings.
        let events = ctx.gateEvents, manifests = ctx.manifests
        for k in trips.indices {
            guard let site = trips[k].disposalSite, let dumpedAt = trips[k].dumpedAt else { continue }
            let window = trips[k].loadedAt...(dumpedAt + afterDumpS)
            let weighed = events.indices.first { i in
                events[i].direction == .in && window.contains(events[i].time) && events[i].netT != nil && events[i].site == site
            }
            let manifest = trips[k].manifestID.flatMap { id in manifests.indices.first { manifests[$0].id == id } }
            trips[k].receivedT = weighed.flatMap { events[$0].netT }
                ?? manifest.flatMap { manifests[$0].closedSite == site ? manifests[$0].receivedT : nil } ?? trips[k].loadT
        }
    }
}
