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
        let manifests = ctx.manifests
        var pairs: [(gap: Int64, trip: Int, manifest: Int)] = []
        for k in track.trips.indices {
            guard let source = track.trips[k].sourceSite else { continue }
            let loadedAt = track.trips[k].loadedAt
            // A vehicle's manifests are in `opened_at` order (`ChainRecords`): only those
            // opened within the window are looked at, not all of the vehicle's night.
            var m = manifests.partitionPoint { $0.openedAt < loadedAt - window }
            while m < manifests.endIndex, manifests[m].openedAt <= loadedAt + window {
                if manifests[m].sourceSite == source { pairs.append((abs(manifests[m].openedAt - loadedAt), k, m)) }
                m += 1
            }
        }
        guard !pairs.isEmpty else { return }
        pairs.sort { ($0.gap, $0.trip, $0.manifest) < ($1.gap, $1.trip, $1.manifest) }
        var used = [Bool](repeating: false, count: manifests.count)
        for p in pairs where track.trips[p.trip].manifestID == nil && !used[p.manifest - manifests.startIndex] {
            used[p.manifest - manifests.startIndex] = true
            track.trips[p.trip].manifestID = manifests[p.manifest].id
        }
    }

    /// The trip a manifest matched, if any.
    static func trip(of manifest: Manifest, in trips: [Trip]) -> Int? {
        trips.firstIndex { $0.manifestID == manifest.id }
    }
}
