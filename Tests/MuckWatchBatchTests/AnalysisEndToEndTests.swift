import Foundation
import Testing
import MuckWatchCore
import MuckWatchJudge
import MuckWatchTestSupport
@testable import MuckWatchBatch

/// `analyze` on the bundled sample night, scored against its generator truth the way
/// acceptance scores nights (trips: vehicle, sites or dump point within 300 m, loaded_at
/// within 10 min; violations: vehicle, type, windows overlapping within ±5 min).
@Suite(.serialized) struct AnalysisEndToEndTests {
    @Test func sampleNightMatchesItsTruth() throws {
        let out = SampleNight.tempDir()
        try SampleNight.analyze(into: out)
        let truth = SampleNight.truth

        let trips = SampleNight.json(out + "/trips.json") as! [[String: Any]]
        let tripScore = Score.match(truth: truth["trips"] as! [[String: Any]], predicted: trips) { t, p in
            guard t["vehicle_id"] as? String == p["vehicle_id"] as? String,
                  t["source_site"] as? String == p["source_site"] as? String,
                  let a = SampleNight.time(t["loaded_at"]), let b = SampleNight.time(p["loaded_at"]), abs(a - b) <= 600
            else { return false }
            if let d = t["disposal_site"] as? String { return d == p["disposal_site"] as? String }
            guard let lon = p["dump_lon"] as? Double, let lat = p["dump_lat"] as? Double,
                  let tl = t["dump_lon"] as? Double, let ta = t["dump_lat"] as? Double else { return false }
            return hypot((lon - tl) * 95_700, (lat - ta) * 111_000) <= 300
        }
        #expect(tripScore.precision >= 0.95 && tripScore.recall >= 0.95, "trips \(tripScore)")

        let cases = SampleNight.json(out + "/cases.json") as! [[String: Any]]
        var predicted: [[String: Any]] = []
        for c in cases {
            for v in c["violations"] as! [[String: Any]] {
                var v = v
                v["vehicle_id"] = c["vehicle_id"]
                predicted.append(v)
            }
        }
        let truthViolations = truth["violations"] as! [[String: Any]]
        for type in ViolationType.allCases {
            let t = truthViolations.filter { $0["type"] as? String == type.rawValue }
            let p = predicted.filter { $0["type"] as? String == type.rawValue }
            let s = Score.match(truth: t, predicted: p) { t, p in
                guard t["vehicle_id"] as? String == p["vehicle_id"] as? String,
                      let ts = SampleNight.time(t["start"]), let te = SampleNight.time(t["end"]),
                      let ps = SampleNight.time(p["start"]), let pe = SampleNight.time(p["end"]) else { return false }
                return ps <= te + 300 && pe >= ts - 300
            }
            #expect(s.precision >= 0.95 && s.recall >= 0.95, "\(type.rawValue): \(s)")
        }

        // Rejects equal the truth's (file, line) set exactly.
        let rejectText = try String(contentsOfFile: out + "/rejects.csv", encoding: .utf8)
        let got = Set(rejectText.split(separator: "\n").dropFirst().map { line -> String in
            let f = line.split(separator: ",", maxSplits: 2)
            return URL(fileURLWithPath: String(f[0])).lastPathComponent + ":" + f[1]
        })
        let want = Set((truth["rejects"] as! [[String: Any]]).map { "\($0["file"]!):\($0["line"]!)" })
        #expect(got == want)

        let summary = SampleNight.json(out + "/summary.json") as! [String: Any]
        #expect(summary["fixes_rejected"] as? Int == want.count)
        #expect(summary["trips"] as? Int == trips.count)
        #expect(FileManager.default.fileExists(atPath: out + "/muckwatch.sqlite"))
    }

    /// Row order is not meaning: the same rows shuffled and split over two files (one of
    /// them JSON Lines) give the same trips and cases.
    @Test func shuffledRowsInTwoFormatsGiveTheSameResults() throws {
        let out1 = SampleNight.tempDir(), out2 = SampleNight.tempDir()
        let a = try Analysis.run(SampleNight.options(out: out1))

        let text = try String(contentsOfFile: SampleNight.root + "/traces/traces.csv", encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        lines = lines.filter { !$0.isEmpty }
        var rng = SystemRandomNumberGenerator()
        lines.shuffle(using: &rng)
        let half = lines.count / 2
        let csv = out2 + "/part1.csv", jsonl = out2 + "/part2.jsonl"
        try (([header.joined(separator: ",")] + lines[..<half]).joined(separator: "\n") + "\n")
            .write(toFile: csv, atomically: true, encoding: .utf8)
        var json = ""
        for line in lines[half...] {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == header.count else { json += "{\"broken\": \n"; continue }
            let pairs = zip(header, f).map { k, v in "\"\(k)\":\"\(v)\"" }
            json += "{" + pairs.joined(separator: ",") + "}\n"
        }
        try json.write(toFile: jsonl, atomically: true, encoding: .utf8)
        let b = try Analysis.run(SampleNight.options(out: out2, traces: [csv, jsonl]))

        #expect(b.summary.fixesRead == a.summary.fixesRead)
        #expect(b.summary.fixesRejected == a.summary.fixesRejected)
        #expect(b.summary.fixesDuplicate == a.summary.fixesDuplicate)
        func key(_ r: RunResult) -> [String] {
            r.trips.map { "\(r.plates[$0.vehicle]) \($0.loadedAt) \($0.disposalSite ?? "-") \($0.dumpedAt ?? 0)" }.sorted()
        }
        #expect(key(a) == key(b))
        #expect(a.cases.map(\.id) == b.cases.map(\.id))
        #expect(a.cases.map { $0.violations.map(\.type) } == b.cases.map { $0.violations.map(\.type) })
    }

    /// A big night is read in pieces parsed side by side and analyzed bucket by bucket,
    /// spilled to disk: same results as reading it whole in memory.
    @Test func spilledBucketsGiveTheSameResults() throws {
        let out1 = SampleNight.tempDir(), out2 = SampleNight.tempDir()
        try Analysis.write(try Analysis.run(SampleNight.options(out: out1)), to: out1)
        var o = SampleNight.options(out: out2)
        o.buckets = 5
        o.spillAfterFixes = 1000
        o.readChunkBytes = 4096          // many pieces, parsed two at a time
        o.threads = 2
        try Analysis.write(try Analysis.run(o), to: out2)
        for f in ["cases.json", "trips.json", "rejects.csv", "summary.json"] {
            let x = FileManager.default.contents(atPath: out1 + "/" + f)
            #expect(x != nil && x == FileManager.default.contents(atPath: out2 + "/" + f), "\(f) differs")
        }
    }

    @Test func rerunsAreByteIdentical() throws {
        let out1 = SampleNight.tempDir(), out2 = SampleNight.tempDir()
        try Analysis.write(try Analysis.run(SampleNight.options(out: out1)), to: out1)
        try Analysis.write(try Analysis.run(SampleNight.options(out: out2)), to: out2)
        for f in ["cases.json", "trips.json", "rejects.csv", "summary.json"] {
            let x = FileManager.default.contents(atPath: out1 + "/" + f)
            #expect(x != nil && x == FileManager.default.contents(atPath: out2 + "/" + f), "\(f) differs")
        }
    }

    @Test func unusableInputsFailWithOneLineReasons() throws {
        let out = SampleNight.tempDir()
        var o = SampleNight.options(out: out, traces: [out + "/missing.csv"])
        #expect(throws: AnalysisError.self) { try Analysis.run(o) }
        do { _ = try Analysis.run(o) } catch { #expect(error.description.contains("missing.csv") && !error.description.contains("\n")) }
        let notGeoJSON = out + "/fences.geojson"
        try "not json".write(toFile: notGeoJSON, atomically: true, encoding: .utf8)
        o = SampleNight.options(out: out)
        o.fences = notGeoJSON
        do {
            _ = try Analysis.run(o)
            Issue.record("bad fences accepted")
        } catch {
            #expect(error.description.contains("fences.geojson"))
        }
    }

    @Test func gcj02FencesAreShiftedBackBeforeMatching() throws {
        // Shift every fence into GCJ-02, then declare it: the results must not change.
        let out = SampleNight.tempDir()
        let fenceDir = out + "/gcj"
        try FileManager.default.createDirectory(atPath: fenceDir, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: SampleNight.root + "/geofences") {
            let data = FileManager.default.contents(atPath: SampleNight.root + "/geofences/" + name)!
            let shifted = GCJShift.shiftGeoJSON(data)
            FileManager.default.createFile(atPath: fenceDir + "/" + name, contents: shifted)
        }
        let plain = try Analysis.run(SampleNight.options(out: out))
        var o = SampleNight.options(out: out)
        o.fences = fenceDir
        o.fenceCoords = .gcj02
        let shifted = try Analysis.run(o)
        #expect(shifted.trips.count == plain.trips.count)
        #expect(shifted.cases.map(\.id) == plain.cases.map(\.id))
    }
}
