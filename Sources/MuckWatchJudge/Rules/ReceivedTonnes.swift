import MuckWatchCore

/// What each trip delivered, for the statistics (contract section 12), in order of
/// preference: the net of the vehicle's `in` weighing at the trip's disposal site between
/// `loaded_at` and 30 min after `dumped_at`; the matched manifest's `received_t` when it
/// was closed there; the trip's `load_t`.
enum ReceivedTonnes {
    static let afterDumpS: Int64 = 1800

    static func fill(_ trips: inout [Trip], _ ctx: RuleContext) {
        for k in trips.indices {
            guard let site = trips[k].disposalSite, let dumpedAt = trips[k].dumpedAt else { continue }
            let window = trips[k].loadedAt...(dumpedAt + afterDumpS)
            let weighed = ctx.gateEvents.first { $0.direction == .in && $0.site == site && window.contains($0.time) && $0.netT != nil }
            let manifest = trips[k].manifestID.flatMap { id in ctx.manifests.first { $0.id == id } }
            trips[k].receivedT = weighed?.netT ?? manifest.flatMap { $0.closedSite == site ? $0.receivedT : nil } ?? trips[k].loadT
        }
    }
}
