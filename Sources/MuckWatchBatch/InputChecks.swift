import MuckWatchCore
import MuckWatchJudge

/// Cross-checks between inputs that are each valid alone: what refers to nothing.
enum InputChecks {
    /// - Parameter partition: a partitioned run's slice: it warns about its own plates
    ///   only, and partition 0 alone about what concerns no plate (the merged summary then
    ///   lists each warning once).
    static func warnings(_ refs: References, plates: PlateTable, partition: PlatePartition? = nil) -> [String] {
        let mine = { (plate: String) in partition?.contains(plate: plate) ?? true }
        let whole = (partition?.index ?? 0) == PlatePartition.noPlate
        var out: [String] = []
        let fenceKinds = Dictionary(refs.fences.map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
        let registered = Set(refs.vehicles.map(\.id))
        for p in refs.permits {
            if whole, fenceKinds[p.sourceSite] != .constructionSite {
                out.append("permit \(p.id): source_site \(p.sourceSite) is not a construction site in the fences (it can never match a loading)")
            }
            if whole, fenceKinds[p.disposalSite] != .disposalSite {
                out.append("permit \(p.id): disposal_site \(p.disposalSite) is not a disposal site in the fences")
            }
            if whole, let r = p.route, fenceKinds[r] != .route {
                out.append("permit \(p.id): route \(r) is not a route in the fences (off_route cannot be judged)")
            }
            let unknown = p.vehicles.filter { mine($0) && !registered.contains($0) && plates.lookup($0) == nil }
            if !unknown.isEmpty, !refs.vehicles.isEmpty {
                out.append(PlateListWarning(.permitVehicles(permitID: p.id), plates: unknown).text)
            }
        }
        let checkpoints = Set(refs.fences.filter { $0.kind == .checkpoint }.map(\.id))
        var unknownPlates = Set<String>(), unknownCheckpoints = Set<String>()
        for plate in refs.cameras.plates where mine(plate) && !registered.contains(plate) && plates.lookup(plate) == nil {
            unknownPlates.insert(plate)
        }
        // The reads' checkpoint ids keep every spelling; as `String`s (canonical
        // equivalence) the first in the file stands for its equals.
        for id in Set(refs.cameras.checkpointIDs) where whole && !checkpoints.contains(id) { unknownCheckpoints.insert(id) }
        if !unknownPlates.isEmpty { out.append(PlateListWarning(.cameraPlates, plates: unknownPlates).text) }
        if !unknownCheckpoints.isEmpty {
            out.append("camera events name checkpoints missing from the fences (no position, no plate_mismatch): "
                       + unknownCheckpoints.sorted().prefix(10).joined(separator: ", "))
        }
        let unregistered = Set(refs.chain.manifests.lazy.map(\.vehicleID).filter { mine($0) && !registered.contains($0) })
        if !unregistered.isEmpty, !refs.vehicles.isEmpty {
            out.append(PlateListWarning(.manifestPlates, plates: unregistered).text)
        }
        if whole { out += chainWarnings(refs.chain, fenceKinds: fenceKinds) }
        // Sorted, as `Summary.merged` sorts a partitioned night's: the two lists are equal.
        return out.sorted()
    }

    /// Manifests and gate passes naming sites the fences lack (no presence can be judged
    /// there, no trip can ever match), and passes that belong to no vehicle.
    static func chainWarnings(_ chain: ChainRecords, fenceKinds: [String: FenceKind]) -> [String] {
        var out: [String] = []
        var unknownSites = Set<String>()
        // Read in place, by index: a record holds a dozen strings, and a city night has ~190,000.
        let manifests = chain.manifests, events = chain.gateEvents
        for i in manifests.indices {
            if fenceKinds[manifests[i].sourceSite] != .constructionSite { unknownSites.insert(manifests[i].sourceSite) }
            if fenceKinds[manifests[i].disposalSite] != .disposalSite { unknownSites.insert(manifests[i].disposalSite) }
            if let s = manifests[i].closedSite, fenceKinds[s] != .disposalSite { unknownSites.insert(s) }
        }
        for i in events.indices where fenceKinds[events[i].site]?.isSite != true { unknownSites.insert(events[i].site) }
        if !unknownSites.isEmpty {
            out.append("manifests or gate events name \(unknownSites.count) site(s) that are not sites of that kind in the fences "
                       + "(no trip can match them, presence is not judged there): " + unknownSites.sorted().prefix(10).joined(separator: ", "))
        }
        if chain.unowned > 0 {
            out.append("\(chain.unowned) gate event(s) with no plate read and a tag no registered vehicle carries: kept out of judging")
        }
        return out
    }
}
