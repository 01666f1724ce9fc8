import Foundation
import MuckWatchCore
import Testing
@testable import MuckWatchBatch

/// 2026-11-20T22:00:00+08:00
private let night: Int64 = 1_795_183_200

private func sampleRun() -> RunResult {
    var plates = PlateTable()
    let a = plates.intern("渝F12345")
    let b = plates.intern("渝F67890")
    let t0 = Trip(vehicle: a, sourceSite: "S-03", loadedAt: night + 600, loadStart: night + 300, disposalSite: nil,
                  dumpLon: 108.42112345, dumpLat: 30.8123449, dumpedAt: night + 2400, dumpEnd: night + 2640,
                  unloadEvidence: .lift, distanceKm: 12.34567, loadT: 25.456, permitID: "P-2026-0412",
                  fixRange: 10..<80, caseID: "C-20261120-0001")
    let t1 = Trip(vehicle: b, sourceSite: nil, loadedAt: night + 900, loadStart: night + 700, disposalSite: "D-01",
                  dumpLon: .nan, dumpLat: .nan, dumpedAt: nil, dumpEnd: nil, unloadEvidence: .none,
                  distanceKm: 3, loadT: nil, permitID: nil, fixRange: 5..<9)
    let dump = Violation(vehicle: a, type: .illegalDump, start: night + 2400, end: night + 2640, lon: 108.42112345,
                         lat: 30.8123449, source: .sensor, detail: "tipper raised 4 min outside any disposal site",
                         evidence: Evidence(fixRanges: [(night + 2400)...(night + 2640)],
                                            sensorReadings: ["lift=1 22:40:00–22:44:00"]), tripIndex: 0)
    let unsealed = Violation(vehicle: a, type: .unsealed, start: night + 1200, end: night + 1200, lon: 108.43,
                             lat: 30.82, source: .camera, detail: "camera \"KK-07\" saw the cover open",
                             evidence: Evidence(fixRanges: [(night + 1100)...(night + 1300), (night + 2400)...(night + 2640)],
                                                cameraEvents: ["E-000131"], images: ["snapshots/E-000131.jpg"]),
                             tripIndex: 0)
    let speeding = Violation(vehicle: b, type: .speeding, start: night + 9000, end: night + 9100, lon: 108.45,
                             lat: 30.85, source: .gps, detail: "72 km/h for 100 s")
    let cases = [
        Case(id: "C-20261120-0001", vehicleID: "渝F12345", company: "渝运公司", departments: ["city_management"],
             trip: t0, date: LocalDate(year: 2026, month: 11, day: 20), violations: [dump, unsealed]),
        Case(id: "C-20261121-0001", vehicleID: "渝F67890", company: nil, departments: ["traffic_police"], trip: nil,
             date: LocalDate(year: 2026, month: 11, day: 21), violations: [speeding]),
    ]
    var summary = Summary()
    summary.fixesRead = 100
    summary.fixesAccepted = 90
    summary.fixesRejected = 7
    summary.fixesDuplicate = 2
    summary.fixesOutlier = 1
    summary.vehicles = 2
    summary.trips = 2
    summary.cases = 2
    summary.violationsByType = [.illegalDump: 1, .unsealed: 1, .speeding: 1]
    summary.tonnesBySourceSite = ["S-03": 25.456, "S-01": 10]
    summary.tonnesByDisposalSite = ["D-02": 1.005, "D-01": 0]
    let rejects = [
        Reject(file: "traces.csv", line: 7, reason: "lat 91.2 outside ±90"),
        Reject(file: "data, night 7/traces.csv", line: 12, reason: "time \"yesterday\" is not ISO 8601"),
        Reject(file: "t.jsonl", line: 3, reason: "line 1\nline 2"),
    ]
    return RunResult(plates: plates, trips: [t0, t1], cases: cases, rejects: rejects, summary: summary,
                     clock: .shanghai)
}

private func parse(_ bytes: [UInt8]) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}

/// Keys of each top-level object in the order they appear in the text.
private func keyOrder(of json: String, keys: [String]) -> [String] {
    keys.compactMap { k in json.range(of: "\"\(k)\":").map { (k, $0.lowerBound) } }
        .sorted { $0.1 < $1.1 }.map(\.0)
}

private struct TempDir {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("mw-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct JSONWriterTests {
    @Test func escapesQuotesBackslashesAndControlCharacters() throws {
        var w = JSONWriter()
        let s = "a\"b\\c\nd\re\tf\u{08}g\u{0C}h\u{01}i\u{1F}j\u{7F}渝F12345 🚛\u{2028}\u{2029}\u{FEFF}/"
        w.string(s)
        #expect(w.text == #""a\"b\\c\nd\re\tf\bg\fh\u0001i\u001fj"# + "\u{7F}渝F12345 🚛" + #"\u2028\u2029\ufeff/""#)
        #expect(try parse(w.bytes) as? String == s)
    }

    @Test func randomStringsRoundTripThroughJSONSerialization() throws {
        var rng = SystemRandomNumberGenerator()
        let pool: [Unicode.Scalar] = (0..<0x80).compactMap(Unicode.Scalar.init)
            + ["渝", "F", "é", "\u{2028}", "\u{2029}", "🚛", "\u{FEFF}", "\u{10FFFF}"]
        for _ in 0..<300 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0..<40, using: &rng) { s.append(pool.randomElement(using: &rng)!) }
            let text = String(s)
            var w = JSONWriter()
            w.beginArray()
            w.string(text)
            w.endArray()
            let back = try #require(try parse(w.bytes) as? [String])
            #expect(back == [text])
        }
    }

    @Test func numbersAreShortestRoundTripAndRoundedOnRequest() {
        #expect(JSONWriter.format(108.42112345, decimals: 6) == "108.421123")
        #expect(JSONWriter.format(30.8123449, decimals: 6) == "30.812345")
        #expect(JSONWriter.format(12.34567, decimals: 3) == "12.346")
        #expect(JSONWriter.format(25.456, decimals: 2) == "25.46")
        #expect(JSONWriter.format(25, decimals: 2) == "25.0")
        #expect(JSONWriter.format(0.1 + 0.2) == "0.30000000000000004")
        #expect(JSONWriter.format(-0.0000001, decimals: 6) == "0.0")
        #expect(JSONWriter.format(-2.5, decimals: 0) == "-3.0")
        #expect(JSONWriter.format(1e300, decimals: 2) == "1e+300")
        #expect(JSONWriter.format(.nan) == "null")
        #expect(JSONWriter.format(.infinity) == "null")
        #expect(JSONWriter.format(nil) == "null")
    }

    @Test func containersAndKeysKeepOrder() throws {
        var w = JSONWriter()
        w.beginObject()
        w.field("z", "last?")
        w.field("a", number: 1.5)
        w.key("list")
        w.beginArray()
        w.integer(1)
        w.null()
        w.bool(true)
        w.beginObject()
        w.endObject()
        w.beginArray()
        w.endArray()
        w.endArray()
        w.field("m", integer: -7)
        w.endObject()
        #expect(w.text == #"{"z":"last?","a":1.5,"list":[1,null,true,{},[]],"m":-7}"#)
        #expect(w.depth == 0)
        _ = try parse(w.bytes)
    }

    @Test func linePerTopLevelElement() throws {
        var w = JSONWriter(linePerTopLevelElement: true)
        w.beginArray()
        for i in 0..<3 {
            w.beginObject()
            w.key("xs")
            w.beginArray()
            w.integer(i)
            w.integer(i)
            w.endArray()
            w.endObject()
        }
        w.endArray()
        #expect(w.text == "[\n{\"xs\":[0,0]},\n{\"xs\":[1,1]},\n{\"xs\":[2,2]}\n]")
        var empty = JSONWriter(linePerTopLevelElement: true)
        empty.beginArray()
        empty.endArray()
        #expect(empty.text == "[]")
    }
}

@Suite struct OutputWriterTests {
    @Test func tripsJSONHasContractKeysInOrder() throws {
        let bytes = OutputWriter.tripsBytes(sampleRun())
        let text = String(decoding: bytes, as: UTF8.self)
        let keys = ["vehicle_id", "source_site", "loaded_at", "disposal_site", "dump_lon", "dump_lat", "dumped_at",
                    "distance_km", "load_t", "permit_id", "case_id"]
        let firstLine = try #require(text.split(separator: "\n").dropFirst().first.map(String.init))
        #expect(keyOrder(of: firstLine, keys: keys) == keys)
        #expect(firstLine == #"{"vehicle_id":"渝F12345","source_site":"S-03","loaded_at":"2026-11-20T22:10:00+08:00","#
            + #""disposal_site":null,"dump_lon":108.421123,"dump_lat":30.812345,"#
            + #""dumped_at":"2026-11-20T22:40:00+08:00","distance_km":12.346,"load_t":25.46,"#
            + #""permit_id":"P-2026-0412","case_id":"C-20261120-0001"},"#)
        let trips = try #require(try parse(bytes) as? [[String: Any]])
        #expect(trips.count == 2)
        #expect(trips[1]["vehicle_id"] as? String == "渝F67890")
        for k in ["source_site", "dump_lon", "dump_lat", "dumped_at", "load_t", "permit_id", "case_id"] {
            #expect(trips[1][k] is NSNull, "\(k) should be null")
        }
        #expect(trips[1]["disposal_site"] as? String == "D-01")
        #expect(trips[1]["distance_km"] as? Double == 3)
        #expect(text.hasSuffix("\n]\n"))
    }

    @Test func casesJSONMatchesSection8() throws {
        let bytes = OutputWriter.casesBytes(sampleRun())
        let cases = try #require(try parse(bytes) as? [[String: Any]])
        #expect(cases.count == 2)
        let c = cases[0]
        #expect(c["case_id"] as? String == "C-20261120-0001")
        #expect(c["vehicle_id"] as? String == "渝F12345")
        #expect(c["company"] as? String == "渝运公司")
        #expect(c["status"] as? String == "open")
        #expect(c["departments"] as? [String] == ["city_management"])
        #expect(c["date"] as? String == "2026-11-20")
        let trip = try #require(c["trip"] as? [String: Any])
        #expect(trip["source_site"] as? String == "S-03")
        #expect(trip["disposal_site"] is NSNull)
        #expect(trip["dump_lon"] as? Double == 108.421123)
        #expect(trip["permit_id"] as? String == "P-2026-0412")
        #expect(trip["load_t"] as? Double == 25.46)
        let vs = try #require(c["violations"] as? [[String: Any]])
        #expect(vs.map { $0["type"] as? String } == ["illegal_dump", "unsealed"])
        #expect(vs[0]["start"] as? String == "2026-11-20T22:40:00+08:00")
        #expect(vs[0]["end"] as? String == "2026-11-20T22:44:00+08:00")
        #expect(vs[0]["source"] as? String == "sensor")
        #expect(vs[1]["detail"] as? String == "camera \"KK-07\" saw the cover open")
        let ev0 = try #require(vs[0]["evidence"] as? [String: Any])
        #expect(ev0["fixes"] as? [[String]] == [["2026-11-20T22:40:00+08:00", "2026-11-20T22:44:00+08:00"]])
        #expect(ev0["sensor_readings"] as? [String] == ["lift=1 22:40:00–22:44:00"])
        #expect(ev0["camera_events"] as? [String] == [])
        // Case-level evidence merges, sorts ranges and drops the duplicate range.
        let ev = try #require(c["evidence"] as? [String: Any])
        #expect(ev["fixes"] as? [[String]] == [["2026-11-20T22:18:20+08:00", "2026-11-20T22:21:40+08:00"],
                                                ["2026-11-20T22:40:00+08:00", "2026-11-20T22:44:00+08:00"]])
        #expect(ev["camera_events"] as? [String] == ["E-000131"])
        #expect(ev["images"] as? [String] == ["snapshots/E-000131.jpg"])
        #expect(ev["sensor_readings"] as? [String] == ["lift=1 22:40:00–22:44:00"])
        // Day case: trip null, company null.
        #expect(cases[1]["trip"] is NSNull)
        #expect(cases[1]["company"] is NSNull)
        // Key order of the case object and its trip.
        let text = String(decoding: bytes, as: UTF8.self)
        let line = try #require(text.split(separator: "\n").dropFirst().first.map(String.init))
        #expect(line.hasPrefix(#"{"case_id":"C-20261120-0001","vehicle_id":"渝F12345","company":"渝运公司","#
            + #""status":"open","departments":["city_management"],"trip":{"source_site":"S-03","#))
        #expect(keyOrder(of: line, keys: ["loaded_at", "disposal_site", "dump_lon", "dump_lat", "dumped_at",
                                          "permit_id", "distance_km", "load_t", "date", "violations"])
            == ["loaded_at", "disposal_site", "dump_lon", "dump_lat", "dumped_at", "permit_id", "distance_km",
                "load_t", "date", "violations"])
        #expect(line.hasSuffix(#""images":["snapshots/E-000131.jpg"]}},"#))
    }

    @Test func summaryHasEveryTypeAndSortedSites() throws {
        let bytes = OutputWriter.summaryBytes(sampleRun().summary)
        let text = String(decoding: bytes, as: UTF8.self)
        let s = try #require(try parse(bytes) as? [String: Any])
        #expect(s["fixes_read"] as? Int == 100)
        #expect(s["fixes_accepted"] as? Int == 90)
        #expect(s["fixes_rejected"] as? Int == 7)
        #expect(s["fixes_duplicate"] as? Int == 2)
        #expect(s["fixes_outlier"] as? Int == 1)
        #expect(s["vehicles"] as? Int == 2)
        #expect(s["trips"] as? Int == 2)
        #expect(s["cases"] as? Int == 2)
        let byType = try #require(s["violations_by_type"] as? [String: Int])
        // A run without manifests or gate records lists the v1 types only (as before contract v2).
        #expect(byType.count == 12)
        #expect(Set(byType.keys) == Set(ViolationType.allCases.filter { !$0.isChain }.map(\.rawValue)))
        #expect(byType["illegal_dump"] == 1 && byType["plate_mismatch"] == 0)
        #expect(s["tonnes_by_source_site"] as? [String: Double] == ["S-01": 10, "S-03": 25.46])
        #expect(text.contains(#""tonnes_by_source_site":{"S-01":10.0,"S-03":25.46}"#))
        #expect(text.contains(#""tonnes_by_disposal_site":{"D-01":0.0,"D-02":1.0}"#))
        #expect(text.hasPrefix(#"{"fixes_read":100,"fixes_accepted":90,"fixes_rejected":7,"fixes_duplicate":2,"#
            + #""fixes_outlier":1,"vehicles":2,"trips":2,"cases":2,"violations_by_type":{"illegal_dump":1,"#))
    }

    @Test func rejectsCSVQuotesOnlyWhenNeeded() {
        let text = String(decoding: OutputWriter.rejectsBytes(sampleRun().rejects), as: UTF8.self)
        #expect(text == """
            file,line,reason
            traces.csv,7,lat 91.2 outside ±90
            "data, night 7/traces.csv",12,"time ""yesterday"" is not ISO 8601"
            t.jsonl,3,"line 1
            line 2"

            """)
        #expect(String(decoding: OutputWriter.rejectsBytes([]), as: UTF8.self) == "file,line,reason\n")
    }

    @Test func writeAllLeavesExactlyTheFourFilesAndNoTempFiles() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let run = sampleRun()
        try OutputWriter.writeAll(run, to: dir.path)
        #expect(try dir.contents() == ["cases.json", "rejects.csv", "summary.json", "trips.json"])
        // Overwrite in place: still no temp files, content replaced.
        var second = run
        second.trips = []
        let path = try OutputWriter.writeTrips(second, to: dir.path + "/")
        #expect(path == dir.path + "/trips.json")
        #expect(try dir.contents() == ["cases.json", "rejects.csv", "summary.json", "trips.json"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "[]\n")
        for name in ["cases.json", "summary.json"] {
            _ = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.path + "/" + name)))
        }
    }

    @Test func failedWriteNamesThePathAndLeavesNothing() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let missing = dir.path + "/no-such-folder"
        #expect(throws: OutputError.self) { try OutputWriter.writeSummary(sampleRun(), to: missing) }
        do throws(OutputError) {
            try AtomicFile.write([1, 2, 3], to: missing + "/x.json")
        } catch {
            #expect(error.description.hasPrefix("cannot write \(missing)/x.json: "))
            #expect(error.description.contains("No such file"))
        }
        #expect(try dir.contents() == [])
    }
}
