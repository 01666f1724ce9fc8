import Foundation
import MuckWatchBatch
import MuckWatchCore
import MuckWatchTestSupport

/// The bundled sample night with manifests and gate records made up for its own trips, analyzed
/// through the real pipeline once per process: the manifests view and the case page read a store
/// the way `analyze --manifests --gate-events` leaves it.
///
/// Of the completed trips, in loading order: the first gets a manifest closed where it unloaded
/// (weighed out at its source and in at its disposal site), the second one closed at another
/// disposal site (a mismatch), the third one never closed; the rest run without a manifest. The
/// two closed ones are driven by DR-1, the open one by DR-2. Gates read the plate and the
/// registry's own tag, so no pass is an rfid_mismatch. The sample's own manifests (if its folder
/// has them) are not used: this night's are the ones the tests know.
enum ChainNight {
    /// The night's run and the SQLite store it was written into.
    static let night: (run: RunResult, store: String) = {
        let dir = ProcessScratch.folder("muckwatch-review-chain")
        let v1 = try! Analysis.run(ReviewWorld.sampleOptions(out: dir))
        let (manifests, gates) = inputs(v1)
        try! manifests.joined(separator: "\n").write(toFile: dir + "/manifests.jsonl", atomically: true, encoding: .utf8)
        try! gates.joined(separator: "\n").write(toFile: dir + "/gate_events.jsonl", atomically: true, encoding: .utf8)
        var o = ReviewWorld.sampleOptions(out: dir + "/out")
        o.manifests = dir + "/manifests.jsonl"
        o.gateEvents = dir + "/gate_events.jsonl"
        let run = try! Analysis.run(o)
        try! Analysis.write(run, to: o.out)
        return (run, o.out + "/muckwatch.sqlite")
    }()

    static var analyzed: String { night.store }
    static var run: RunResult { night.run }

    static let disposalSites = ["D-01", "D-02", "D-03"]

    /// The manifests and gate events (JSON Lines) for the trips of `run`.
    static func inputs(_ run: RunResult) -> (manifests: [String], gates: [String]) {
        let clock = run.clock
        let done = run.trips.filter { $0.sourceSite != nil && $0.disposalSite != nil && $0.dumpedAt != nil && $0.loadT != nil }
            .sorted { ($0.loadedAt, run.plates[$0.vehicle]) < ($1.loadedAt, run.plates[$1.vehicle]) }
        precondition(done.count >= 3, "the bundled sample has fewer than 3 completed trips")
        var manifests: [String] = [], gates: [String] = []
        let tags = Dictionary(run.vehicles.compactMap { v in v.rfid.map { (v.id, $0) } }, uniquingKeysWith: { a, _ in a })
        // Values are JSON text already: `q` quotes a string, numbers go in as `String(x)`.
        func json(_ fields: [(String, String)]) -> String {
            "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
        func q(_ s: String) -> String { "\"" + s + "\"" }
        for (k, trip) in done.prefix(3).enumerated() {
            let id = "M-TEST-\(k + 1)", plate = run.plates[trip.vehicle]
            let source = trip.sourceSite!, disposal = trip.disposalSite!, load = trip.loadT!
            var fields = [
                ("manifest_id", q(id)), ("vehicle_id", q(plate)), ("driver_id", q(k < 2 ? "DR-1" : "DR-2")),
                ("source_site", q(source)), ("disposal_site", q(disposal)), ("waste_type", q("excavated_soil")),
                ("declared_t", String(load)), ("opened_at", q(clock.format(trip.loadedAt + 30))),
            ]
            if k < 2 {
                let closedAt = trip.dumpedAt! + 120
                let closedSite = k == 0 ? disposal : disposalSites.first { $0 != disposal }!
                fields += [("closed_at", q(clock.format(closedAt))), ("closed_site", q(closedSite)),
                           ("received_t", String(load))]
            }
            manifests.append(json(fields))
            gates.append(json([("event_id", q("G-TEST-\(k + 1)-OUT")), ("site", q(source)),
                               ("time", q(clock.format(trip.loadedAt + 20))), ("direction", q("out")), ("plate", q(plate))]
                              // The registry's own tag, when it has one: a made-up tag would be an rfid_mismatch.
                              + (tags[plate].map { [("rfid", q($0))] } ?? [])
                              + [("gross_t", String(15.5 + load)), ("tare_t", "15.5"), ("manifest_id", q(id)),
                                 ("image", q("gates/G-TEST-\(k + 1)-OUT.jpg"))]))
            if k == 0 {
                gates.append(json([("event_id", q("G-TEST-1-IN")), ("site", q(disposal)),
                                   ("time", q(clock.format(trip.dumpedAt! - 60))), ("direction", q("in")),
                                   ("plate", q(plate)), ("gross_t", String(15.5 + load)), ("tare_t", "15.5"),
                                   ("image", q("gates/G-TEST-1-IN.jpg"))]))
            }
        }
        return (manifests, gates)
    }
}
