import MuckWatchCore
import MuckWatchAnalysis

/// Pairs trips with manifests (contract section 12): a trip matches the manifest of the
/// same vehicle and source site whose `opened_at` is nearest its `loaded_at`, within
/// `manifest_match_s`; each manifest matches at most one trip. Pairs are taken nearest
/// first, so two trips from one site close together each get their own manifest rather
/// than the first taking the one the second was opened for.
enum ManifestMatcher {
    static func assign(_ track: inout VehicleTrack, _ ctx: RuleContext) {
        guard ctx.chain.hasManifests, !ctx.manifests.isEmpty else { return }
        let window = ctx.config.manifestMatchS
        var pairs: [(gap: Int64, trip: Int, manifest: Int)] = []
        for k in track.trips.indices {
            guard let source = track.trips[k].sourceSite else { continue }
            let loadedAt = track.trips[k].loadedAt
            for m in ctx.manifests.indices where ctx.manifests[m].sourceSite == source {
                let gap = abs(ctx.manifests[m].openedAt - loadedAt)
                if gap <= window { pairs.append((gap, k, m)) }
            }
        }
        pairs.sort { ($0.gap, $0.trip, $0.manifest) < ($1.gap, $1.trip, $1.manifest) }
        var usedManifest = Set<Int>()
        for p in pairs where track.trips[p.trip].manifestID == nil && !usedManifest.contains(p.manifest) {
            usedManifest.insert(p.manifest)
            track.trips[p.trip].manifestID = ctx.manifests[p.manifest].id
        }
    }

    /// The trip a manifest matched, if any.
    static func trip(of manifest: Manifest, in trips: [Trip]) -> Int? {
        trips.firstIndex { $0.manifestID == manifest.id }
    }
}
