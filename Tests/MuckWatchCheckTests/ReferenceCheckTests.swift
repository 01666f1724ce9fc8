import Foundation
import Testing
import MuckWatchCore
import MuckWatchTestSupport
@testable import MuckWatchCheck

/// `muckwatch check` on hand-made fixtures (one of each kind of reference-data problem)
/// and on the bundled night, as given and with its fences moved into GCJ-02.
struct ReferenceCheckTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func problemsFixture(traces: Bool = true) -> CheckReport {
        let d = fixtures + "/problems"
        let files = ReferenceFiles(fences: d + "/fences", cameras: d + "/cameras.jsonl", permits: d + "/permits.json",
                                   vehicles: d + "/vehicles.csv", manifests: d + "/manifests.jsonl",
                                   gateEvents: d + "/gate_events.jsonl")
        return ReferenceCheck.run(files, traces: traces ? [d + "/traces.csv"] : [])
    }

    /// The one problem of `kind` at `at` (the test fails when there is none or several).
    static func problem(_ r: CheckReport, _ kind: ReferenceProblem.Kind, at: String) throws -> ReferenceProblem {
        let found = r.problems.filter { $0.kind == kind && $0.at == at }
        try #require(found.count == 1, "expected one \(kind) at \(at), found: \(r.text)")
        return found[0]
    }

    @Test func everyKindOfProblemIsFoundWhereItIs() throws {
        let r = Self.problemsFixture()
        let d = Self.fixtures + "/problems"
        let sites = d + "/fences/sites.geojson"
        let bowTie = try Self.problem(r, .invalidPolygon, at: "fence 'S-02'")
        #expect(bowTie.file == sites)
        #expect(bowTie.message.contains("Self-intersection"), "GEOS names the crossing: \(bowTie.message)")
        #expect(try Self.problem(r, .unclosedRing, at: "fence 'S-03'").file == sites)
        #expect(try Self.problem(r, .unusableFence, at: "fence 'S-04'").message.contains("at least 3 distinct positions"))
        let overlap = try Self.problem(r, .overlappingDisposalSites, at: "fence 'D-01'")
        #expect(overlap.message.contains("'D-02'"))
        #expect(!r.problems.contains { $0.kind == .overlappingDisposalSites && $0.message.contains("'D-03'") },
                "D-03 lies apart")
        #expect(try Self.problem(r, .duplicateID, at: "fence 'S-01'").file == d + "/fences/zones.geojson")
        #expect(try Self.problem(r, .duplicateID, at: "line 4").file == d + "/vehicles.csv")
        #expect(r.problems.contains { $0.kind == .duplicateID && $0.file == d + "/permits.json" }, "\(r.text)")
        #expect(try Self.problem(r, .missingTerminal, at: "vehicle 渝A00002").file == d + "/vehicles.csv")
        let permitSites = r.problems.filter { $0.kind == .unknownFence && $0.at == "permit P-1" }.map(\.message)
        #expect(permitSites.contains { $0.hasPrefix("disposal_site: no fence has the id 'D-09'") }, "\(permitSites)")
        #expect(permitSites.contains { $0.hasPrefix("route: no fence has the id 'R-09'") }, "\(permitSites)")
        let wrongKind = try Self.problem(r, .unknownFence, at: "permit P-2")
        #expect(wrongKind.message == "source_site: fence 'D-01' is a disposal_site, not a construction_site")
        #expect(wrongKind.remedy.contains("construction_site ids: S-01, S-02, S-03"), "\(wrongKind.remedy)")
        #expect(try Self.problem(r, .unknownVehicle, at: "permit P-2").message.contains("渝A99999"))
        let manifest = r.problems.filter { $0.at == "manifest M-1" }
        #expect(manifest.contains { $0.kind == .unknownFence && $0.message.contains("'S-07'") })
        #expect(manifest.contains { $0.kind == .unknownVehicle && $0.message.contains("渝A77777") })
        #expect(try Self.problem(r, .unknownFence, at: "gate event G-1").message
                == "site: 'S-55' is no construction or disposal site in the fences (in 2 gate events; the first shown)")
        #expect(!r.problems.contains { $0.at == "gate event G-2" }, "one problem per unknown site, not per pass")
        #expect(try Self.problem(r, .unknownCheckpoint, at: "checkpoint_id KK-99").file == d + "/cameras.jsonl")
        #expect(try Self.problem(r, .checkpointOffRoad, at: "fence 'KK-02'").file == d + "/fences/checkpoints.geojson")
        #expect(!r.problems.contains { $0.at == "fence 'KK-01'" }, "the trucks drive past KK-01")
        // Every kind but the datum's (the bundled night's test) and the unusable files' (below).
        let kinds = Set(r.problems.map(\.kind))
        #expect(kinds == Set(ReferenceProblem.Kind.allCases).subtracting([.datumMismatch, .unusableFile, .unusableRecord]),
                "\(r.text)")
        #expect(r.problems.allSatisfy { !$0.file.isEmpty && !$0.remedy.isEmpty })
    }

    @Test func withoutTracesTheTrackChecksDoNotRun() {
        let r = Self.problemsFixture(traces: false)
        #expect(!r.problems.contains { $0.kind == .checkpointOffRoad })
        #expect(r.fixes == 0)
    }

    @Test func missingAndBrokenFilesAreProblemsNotCrashes() throws {
        let dir = NSTemporaryDirectory() + "muckwatch-check-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("{\"type\": \"Point\"}".utf8).write(to: URL(fileURLWithPath: dir + "/a.geojson"))
        try Data("vehicle_id,company\n渝A1,x,y\n".utf8).write(to: URL(fileURLWithPath: dir + "/v.csv"))
        let r = ReferenceCheck.run(ReferenceFiles(fences: dir, permits: dir + "/nope.json", vehicles: dir + "/v.csv"),
                                   traces: [dir + "/none.csv"])
        #expect(r.problems.contains { $0.kind == .unusableFile && $0.file == dir + "/a.geojson" }, "\(r.text)")
        #expect(r.problems.contains { $0.kind == .unusableFile && $0.file == dir + "/nope.json" }, "\(r.text)")
        #expect(r.problems.contains { $0.kind == .unusableFile && $0.file == dir + "/none.csv" }, "\(r.text)")
        #expect(try Self.problem(r, .unusableRecord, at: "line 2").file == dir + "/v.csv")
    }

    @Test func withoutUsableFencesTheOtherFilesAreNotCalledWrongOnEveryID() {
        let d = Self.fixtures + "/problems"
        let r = ReferenceCheck.run(ReferenceFiles(fences: d + "/no-such-fences", cameras: d + "/cameras.jsonl",
                                                  permits: d + "/permits.json", manifests: d + "/manifests.jsonl",
                                                  gateEvents: d + "/gate_events.jsonl"))
        #expect(r.problems.first?.kind == .unusableFile)
        #expect(r.problems.first?.file == d + "/no-such-fences")
        #expect(r.problems.first?.message == "no such file or directory")
        #expect(!r.problems.contains { $0.kind == .unknownFence || $0.kind == .unknownCheckpoint }, "\(r.text)")
    }

    @Test func cleanReferencesHaveNoProblems() throws {
        let d = Self.fixtures + "/clean"
        let r = ReferenceCheck.run(ReferenceFiles(fences: d + "/fences.geojson", permits: d + "/permits.json",
                                                  vehicles: d + "/vehicles.csv"))
        #expect(r.isClean, "\(r.text)")
        #expect(r.text == "no problems found (3 fences)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.json.utf8)) as? [String: Any])
        #expect((json["problems"] as? [Any])?.isEmpty == true)
    }

    @Test func jsonCarriesEachProblemsFields() throws {
        let r = Self.problemsFixture(traces: false)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.json.utf8)) as? [String: Any])
        let problems = try #require(json["problems"] as? [[String: String]])
        #expect(problems.count == r.problems.count)
        #expect(problems.contains { $0["kind"] == "missing_terminal" && $0["at"] == "vehicle 渝A00002" && $0["remedy"] != nil })
    }

    /// The bundled night's fences as a web map would have drawn them (GCJ-02), passed as WGS84.
    static func shiftedNight() throws -> String {
        let dir = NSTemporaryDirectory() + "muckwatch-gcj-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: BundledSample.root + "/geofences") {
            let data = try Data(contentsOf: URL(fileURLWithPath: BundledSample.root + "/geofences/" + name))
            try GCJShift.shiftGeoJSON(data).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        return dir
    }

    @Test func theBundledNightsFencesInGCJ02AreFoundAndTheFlagNamed() throws {
        let fences = try Self.shiftedNight()
        defer { try? FileManager.default.removeItem(atPath: fences) }
        var files = BundledSample.references(chain: true)
        files.fences = fences
        let r = ReferenceCheck.run(files, traces: [BundledSample.traces])
        let mismatch = try #require(r.problems.first { $0.kind == .datumMismatch }, "\(r.text)")
        #expect(mismatch.file == fences)
        #expect(mismatch.remedy.contains("--fence-coords gcj02"))
        #expect(!r.problems.contains { $0.kind == .checkpointOffRoad }, "checkpoints are judged with the fences placed right")
        // With the flag the check itself is satisfied.
        files.fenceCoords = .gcj02
        let fixed = ReferenceCheck.run(files, traces: [BundledSample.traces])
        #expect(!fixed.problems.contains { $0.kind == .datumMismatch }, "\(fixed.text)")
    }

    /// A flag given wrongly is named for dropping, whichever side it moved.
    @Test func aWrongDatumFlagIsNamed() throws {
        let traces = try #require(ReferenceCheck.run(BundledSample.references(chain: false), traces: [BundledSample.traces],
                                                     traceCoords: .gcj02).problems.first { $0.kind == .datumMismatch })
        #expect(traces.remedy.hasPrefix("drop --trace-coords gcj02"))
        var files = BundledSample.references(chain: false)
        files.fenceCoords = .gcj02
        let fences = try #require(ReferenceCheck.run(files, traces: [BundledSample.traces]).problems
            .first { $0.kind == .datumMismatch })
        #expect(fences.remedy.hasPrefix("drop --fence-coords gcj02"))
    }

    @Test func theBundledNightAsGivenHasNoDatumMismatch() {
        let r = ReferenceCheck.run(BundledSample.references(chain: true), traces: [BundledSample.traces])
        #expect(r.fixes > 10_000)
        #expect(!r.problems.contains { $0.kind == .datumMismatch }, "\(r.text)")
        #expect(!r.problems.contains { $0.kind == .checkpointOffRoad }, "\(r.text)")
    }
}
