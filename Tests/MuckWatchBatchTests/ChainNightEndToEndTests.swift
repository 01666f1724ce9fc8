import Foundation
import Testing
import MuckWatchCore
import MuckWatchTestSupport
@testable import MuckWatchBatch

/// `analyze` on a tiny hand-made night with manifests and gate records: three trucks load
/// at S-1; A unloads at the landfill D-1 (weighed in at 23 t net), B at the recycling site
/// D-2 (its manifest still open), C at D-1 with no manifest. One more manifest belongs to
/// a truck with no GPS. summary.json's statistics are checked to the digit.
@Suite struct ChainNightEndToEndTests {
    static let t0 = World.t0
    static let a = "渝F10001", b = "渝F10002", c = "渝F10003"

    static let fences = """
        {"type":"FeatureCollection","features":[
         \(square("S-1", "construction_site", 108.400, 30.800)),
         \(square("D-1", "disposal_site", 108.440, 30.800)),
         \(square("D-2", "disposal_site", 108.400, 30.830, facility: "recycling"))
        ]}
        """

    static func square(_ id: String, _ kind: String, _ lon: Double, _ lat: Double, facility: String? = nil) -> String {
        let h = 0.001
        let ring = [(lon - h, lat - h), (lon + h, lat - h), (lon + h, lat + h), (lon - h, lat + h), (lon - h, lat - h)]
            .map { "[\($0.0),\($0.1)]" }.joined(separator: ",")
        let extra = facility.map { #","facility":"\#($0)""# } ?? ""
        return #"{"type":"Feature","properties":{"id":"\#(id)","name":"\#(id)","kind":"\#(kind)"\#(extra)},"geometry":{"type":"Polygon","coordinates":[[\#(ring)]]}}"#
    }

    /// Loads 8 min at S-1 from `start`, drives to the disposal site, unloads 6 min, leaves.
    static func load(from start: Int64, toLon: Double, toLat: Double) -> Script {
        var s = Script()
        s.t = start
        s.stay(8 * 60)
        s.drive(toLon: toLon, toLat: toLat)
        s.stay(6 * 60)
        s.drive(toLon: toLon + 0.005, toLat: toLat + 0.005)
        return s
    }

    static var traces: String {
        var csv = "vehicle_id,time,lon,lat,speed_kmh\n"
        for (plate, s) in [(a, load(from: t0, toLon: 108.440, toLat: 30.800)),
                           (b, load(from: t0, toLon: 108.400, toLat: 30.830)),
                           (c, load(from: t0 + 1200, toLon: 108.440, toLat: 30.800))] {
            for f in s.fixes { csv += "\(plate),\(f.time),\(f.lon),\(f.lat),\(f.speedKmh)\n" }
        }
        return csv
    }

    static let vehicles = "vehicle_id,company,rated_load_t,terminal_id,rfid\n\(a),甲运输,25,,TAG-A\n\(b),甲运输,30,,TAG-B\n\(c),乙运输,20,,\n"

    static func manifest(_ id: String, _ plate: String, _ waste: String, declared: Double, opened: Int64,
                         closed: Int64? = nil, site: String = "D-1", received: Double? = nil, disposal: String = "D-1") -> String {
        let closing = closed.map { #","closed_at":\#($0),"closed_site":"\#(site)","received_t":\#(received ?? declared)"# } ?? #","closed_at":null"#
        return #"{"manifest_id":"\#(id)","vehicle_id":"\#(plate)","source_site":"S-1","disposal_site":"\#(disposal)","waste_type":"\#(waste)","declared_t":\#(declared),"opened_at":\#(opened)\#(closing)}"#
    }

    static let manifests = [
        manifest("M-A", a, "excavated_soil", declared: 24, opened: t0 + 420, closed: t0 + 1000, received: 23.5),
        manifest("M-B", b, "demolition", declared: 28, opened: t0 + 450, disposal: "D-2"),
        manifest("M-X", "渝F00000", "engineering_mud", declared: 10, opened: t0 - 7200, closed: t0 - 5400),
    ].joined(separator: "\n") + "\n"

    static let gates = """
        {"event_id":"G-1","site":"S-1","time":\(t0 + 450),"direction":"out","plate":"\(a)","rfid":"TAG-A","gross_t":39,"tare_t":15,"manifest_id":"M-A"}
        {"event_id":"G-2","site":"D-1","time":\(t0 + 900),"direction":"in","rfid":"TAG-A","gross_t":38,"tare_t":15}
        {"event_id":"G-3","site":"D-2","time":\(t0 + 900),"direction":"in","rfid":"TAG-NOBODY"}

        """

    /// Writes the night and analyzes it (with or without the chain inputs) into `out`.
    static func analyze(chain: Bool) throws -> (run: RunResult, out: String) {
        let dir = SampleNight.tempDir()
        func file(_ name: String, _ text: String) -> String {
            _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(text.utf8))
            return dir + "/" + name
        }
        try FileManager.default.createDirectory(atPath: dir + "/geofences", withIntermediateDirectories: true)
        _ = file("geofences/sites.geojson", fences)
        var o = AnalysisOptions(fences: dir + "/geofences", traces: [file("traces.csv", traces)], out: dir + "/out")
        o.vehicles = file("vehicles.csv", vehicles)
        if chain {
            o.manifests = file("manifests.jsonl", manifests)
            o.gateEvents = file("gates.jsonl", gates)
        }
        let run = try Analysis.run(o)
        try Analysis.write(run, to: dir + "/out")
        return (run, dir + "/out")
    }

    @Test func summaryCountsTheChainExactly() throws {
        let (run, out) = try Self.analyze(chain: true)
        #expect(run.trips.count == 3 && run.rejects.isEmpty)
        let summary = SampleNight.json(out + "/summary.json") as! [String: Any]
        #expect(summary["manifests_opened"] as? Int == 3)
        #expect(summary["manifests_closed"] as? Int == 2)
        #expect(summary["manifest_closure_rate"] as? Double == 0.6667)
        #expect(summary["trips_without_manifest"] as? Int == 1)
        // A: the D-1 weighing's 23 t net beats the manifest's 23.5; B: the open manifest gives
        // nothing, so its rated 30 t; C: its rated 20 t.
        #expect(summary["tonnes_by_facility"] as? [String: Double] == ["landfill": 43, "recycling": 30, "sorting": 0, "backfill": 0])
        #expect(summary["recycling_rate"] as? Double == 0.411)       // 30 / 73
        #expect(summary["tonnes_by_waste_type"] as? [String: Double]
            == ["excavated_soil": 24, "demolition": 28, "engineering_mud": 10, "decoration": 0, "other": 0])
        let byType = summary["violations_by_type"] as! [String: Int]
        #expect(byType["manifest_missing"] == 1)
        for t in ["manifest_unclosed", "manifest_mismatch", "weight_discrepancy", "tare_anomaly", "rfid_mismatch", "presence_mismatch"] {
            #expect(byType[t] == 0, "\(t)")
        }
        let trips = SampleNight.json(out + "/trips.json") as! [[String: Any]]
        let manifestOf = Dictionary(uniqueKeysWithValues: trips.map { ($0["vehicle_id"] as! String, $0["manifest_id"] as? String ?? "-") })
        #expect(manifestOf == [Self.a: "M-A", Self.b: "M-B", Self.c: "-"])
        let cases = SampleNight.json(out + "/cases.json") as! [[String: Any]]
        let missing = cases.filter { ($0["violations"] as! [[String: Any]]).contains { $0["type"] as? String == "manifest_missing" } }
        #expect(missing.map { $0["vehicle_id"] as? String } == [Self.c])
        #expect(Set(run.gateEvents.map(\.event.id)) == ["G-1", "G-2"])       // G-3's tag is nobody's
        #expect(run.gateEvents.first { $0.event.id == "G-2" }?.vehicle == Self.a)
    }

    @Test func withoutManifestsOrGatesNoChainKeyIsWritten() throws {
        let (run, out) = try Self.analyze(chain: false)
        #expect(run.trips.count == 3 && run.summary.chain == nil)
        let text = try String(contentsOfFile: out + "/summary.json", encoding: .utf8)
        for key in ["manifests_opened", "manifests_closed", "manifest_closure_rate", "trips_without_manifest",
                    "tonnes_by_facility", "recycling_rate", "tonnes_by_waste_type", "manifest_missing", "presence_mismatch"] {
            #expect(!text.contains("\"\(key)\""), "\(key) in a v1 summary")
        }
        for name in ["trips.json", "cases.json"] {
            let json = try String(contentsOfFile: out + "/" + name, encoding: .utf8)
            #expect(!json.contains("\"manifest_id\"") && !json.contains("\"gate_events\"") && !json.contains("\"manifests\""), "\(name)")
        }
        // The v1 statistics are the same with and without the chain inputs.
        let chain = SampleNight.json(try Self.analyze(chain: true).out + "/summary.json") as! [String: Any]
        let v1 = SampleNight.json(out + "/summary.json") as! [String: Any]
        for key in ["fixes_read", "fixes_accepted", "vehicles", "trips", "tonnes_by_source_site", "tonnes_by_disposal_site"] {
            // Compared as JSON with sorted keys: a dictionary's description has no fixed key order.
            func canonical(_ v: Any) throws -> Data { try JSONSerialization.data(withJSONObject: [v], options: [.sortedKeys]) }
            #expect(try canonical(chain[key]!) == canonical(v1[key]!), "\(key)")
        }
    }
}
