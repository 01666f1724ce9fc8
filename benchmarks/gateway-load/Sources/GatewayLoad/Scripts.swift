import Foundation
import MuckWatchCore
import MuckWatchJudge
import MuckWatchIngest
import MuckWatchLive
import MuckWatchBatch

/// What each simulated terminal sends: one of the sample night's vehicle tracks (its
/// fixes in file order), and the fix after which each of its alerts must come.
struct Script {
    var fixes: [Fix]
    /// For the k-th alert of a vehicle replaying this script: the index of the fix whose
    /// arrival makes the gateway raise it (found by replaying the script offline through
    /// the same `LiveAnalysis` fix by fix).
    var alertTriggers: [Int]
}

enum Scripts {
    /// The sample's tracks with at least `minFixes` fixes, with the plate each belongs to.
    static func load(root: String, minFixes: Int = 200) throws -> [(plate: String, fixes: [Fix])] {
        var plates = PlateTable()
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        _ = try TraceReader.read(path: root + "/traces/traces.csv", fileIndex: 0, plates: &plates, fixes: &fixes,
                                 rejects: &rejects)
        var byPlate = [[Fix]](repeating: [], count: plates.count)
        for f in fixes { byPlate[Int(f.vehicle)].append(f) }
        return byPlate.enumerated().filter { $0.element.count >= minFixes }.map { (plates[Int32($0.offset)], $0.element) }
    }

    /// The sample's permits, each also naming the simulated plates that replay a truck it
    /// names (`plateOfTerminal[i]` replays the sample truck `sampleOf[i]`): with them a
    /// load-test truck is judged as the sample truck it replays, so only the sample's own
    /// violations become cases. Written to `path` as the permits file of the contract.
    static func writePermits(root: String, sampleOf: [String], plateOfTerminal: [String], to path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/traces/permits.json"))
        guard var permits = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            fatalError("\(root)/traces/permits.json: not an array of permits")
        }
        var replaying: [String: [String]] = [:]
        for (i, sample) in sampleOf.enumerated() { replaying[sample, default: []].append(plateOfTerminal[i]) }
        for k in permits.indices {
            let named = permits[k]["vehicles"] as? [String] ?? []
            permits[k]["vehicles"] = named + named.flatMap { replaying[$0] ?? [] }
        }
        try JSONSerialization.data(withJSONObject: permits).write(to: URL(fileURLWithPath: path))
    }

    /// Finds each script's alert triggers with an in-process analysis over the same references.
    static func triggers(_ tracks: [[Fix]], plates: [String], references: References,
                         options: LiveAnalysis.Options) throws -> [Script] {
        let live = try LiveAnalysis(references: references, options: options)
        var out: [Script] = []
        for (s, track) in tracks.enumerated() {
            let v = live.vehicle(plate: plates[s])!
            var triggers: [Int] = []
            for (k, f) in track.enumerated() {
                var g = f
                g.vehicle = v
                for _ in live.feed([g]) { triggers.append(k) }
            }
            out.append(Script(fixes: track, alertTriggers: triggers))
        }
        return out
    }
}
