import Foundation
import Testing
import MuckWatchCore
@testable import MuckWatchBatch

/// Bad inputs next to good ones: each gets a clear reject row or warning, and the good
/// data's results do not change.
@Suite(.serialized) struct BadInputMatrixTests {
    static let baseline: (trips: Int, cases: [String]) = {
        let run = try! Analysis.run(SampleNight.options(out: SampleNight.tempDir()))
        return (run.trips.count, run.cases.map(\.id))
    }()

    func runWith(extra name: String, _ bytes: [UInt8]) throws -> RunResult {
        let dir = SampleNight.tempDir()
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return try Analysis.run(SampleNight.options(out: dir, traces: [SampleNight.root + "/traces/traces.csv", path]))
    }

    func expectGoodDataIntact(_ run: RunResult) {
        #expect(run.trips.count == Self.baseline.trips)
        #expect(run.cases.map(\.id) == Self.baseline.cases)
    }

    @Test func emptyAndBinaryTraceFilesAreReportedNotFatal() throws {
        for (name, bytes) in [("empty.csv", [UInt8]()), ("noise.bin", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })] {
            let run = try runWith(extra: name, bytes)
            let r = run.rejects.filter { $0.file.hasSuffix(name) }
            #expect(r.count == 1 && r[0].line == 1 && r[0].reason.hasPrefix("file not used"), "\(name): \(r)")
            expectGoodDataIntact(run)
        }
    }

    @Test func aHundredMegabyteLineIsOneReject() throws {
        var bytes = Array("vehicle_id,time,lon,lat\n".utf8)
        bytes += Array("渝F99999,2026-11-20T22:00:00+08:00,".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "7"), count: 100 << 20)
        bytes += Array(",30.8\n渝F99999,2026-11-20T22:00:30+08:00,108.4,30.8\n".utf8)
        let run = try runWith(extra: "huge.csv", bytes)
        let r = run.rejects.filter { $0.file.hasSuffix("huge.csv") }
        #expect(r.map(\.line) == [2])
        #expect(r.first?.reason.contains("lon") == true)
        #expect(run.summary.vehicles == 21)          // the good row after it still counts
        expectGoodDataIntact(run)
    }

    @Test func gbkPlatesAndBadNumbersAreRejectedWithReasons() throws {
        var bytes = Array("vehicle_id,time,lon,lat,speed_kmh\n".utf8)
        bytes += [0xD3, 0xE5] + Array("F12345,2026-11-20T22:00:00+08:00,108.4,30.8,10\n".utf8)   // 渝 in GBK
        bytes += Array("渝F1,2026-11-20T22:00:00+08:00,108.4,30.8,inf\n".utf8)
        bytes += Array("渝F1,2026-11-20T22:00:00,108.4,30.8,10\n".utf8)
        bytes += Array("渝F1,2026-11-20T22:01:00+08:00,NaN,30.8,10\n".utf8)
        let run = try runWith(extra: "odd.csv", bytes)
        let r = run.rejects.filter { $0.file.hasSuffix("odd.csv") }
        #expect(r.map(\.line) == [2, 3, 4, 5])
        #expect(r[0].reason.contains("UTF-8"))
        #expect(r[1].reason.contains("speed_kmh"))
        #expect(r[2].reason.contains("offset"))
        #expect(r[3].reason.contains("lon"))
        expectGoodDataIntact(run)
    }

    @Test func permitsAndCamerasThatReferToNothingAreWarnings() throws {
        let dir = SampleNight.tempDir()
        var permits = SampleNight.json(SampleNight.root + "/traces/permits.json") as! [[String: Any]]
        permits.append(["permit_id": "P-GHOST", "vehicles": ["渝X00000"], "source_site": "S-99", "disposal_site": "D-99",
                        "valid_from": "2026-11-01", "valid_to": "2026-11-30"])
        FileManager.default.createFile(atPath: dir + "/permits.json",
                                       contents: try JSONSerialization.data(withJSONObject: permits))
        var cameras = try String(contentsOfFile: SampleNight.root + "/traces/cameras.jsonl", encoding: .utf8)
        cameras += #"{"event_id":"E-GHOST","checkpoint_id":"KK-99","time":"2026-11-20T23:00:00+08:00","plate":"渝X11111","type":"spill","confidence":0.9}"# + "\n"
        try cameras.write(toFile: dir + "/cameras.jsonl", atomically: true, encoding: .utf8)
        var o = SampleNight.options(out: dir)
        o.permits = dir + "/permits.json"
        o.cameras = dir + "/cameras.jsonl"
        let run = try Analysis.run(o)
        let w = run.summary.warnings.joined(separator: "\n")
        #expect(w.contains("P-GHOST: source_site S-99"))
        #expect(w.contains("P-GHOST: disposal_site D-99"))
        #expect(w.contains("渝X11111"))
        #expect(w.contains("KK-99"))
        expectGoodDataIntact(run)
    }

    // MARK: manifests and gate records (contract section 12)

    static let badManifests: [(line: String, reason: String)] = [
        (#"{"vehicle_id":"渝F1","source_site":"S-01","disposal_site":"D-01","waste_type":"other","declared_t":1,"opened_at":1795183200}"#, "missing manifest_id"),
        (#"{"manifest_id":"M-B1","vehicle_id":"渝F1","disposal_site":"D-01","waste_type":"other","declared_t":1,"opened_at":1795183200}"#, "missing source_site"),
        (#"{"manifest_id":"M-B2","vehicle_id":"渝F1","source_site":"S-01","disposal_site":"D-01","waste_type":"gravel","declared_t":1,"opened_at":1795183200}"#, "unknown waste_type 'gravel'"),
        (#"{"manifest_id":"M-B3","vehicle_id":"渝F1","source_site":"S-01","disposal_site":"D-01","waste_type":"other","declared_t":1,"opened_at":"2026-11-20 22:00"}"#, "bad opened_at"),
        (#"{"manifest_id":"M-B4","vehicle_id":"渝F1","source_site":"S-01","disposal_site":"D-01","waste_type":"other","declared_t":"lots","opened_at":1795183200}"#, "declared_t 'lots' is not a number"),
        (#"{"manifest_id":"M-B5","vehicle_id":"渝F1","source_site":"S-01","disposal_site":"D-01","waste_type":"other","declared_t":1,"opened_at":1795183200,"closed_at":1795183100}"#, "closed_at is before opened_at"),
        (#"{"manifest_id":"M-B6","vehicle_id":"渝F1","source_site":"S-01","disposal_site":"D-01","waste_type":"other","declared_t":-1,"opened_at":1795183200}"#, "is negative"),
        (#"[1,2]"#, "not a JSON object"),
        (#"{"manifest_id":"M-20261120-000001",,}"#, "not JSON"),
        (#"{"manifest_id":"M-20261120-000001","vehicle_id":"渝F1","source_site":"S-01","disposal_site":"D-01","waste_type":"other","declared_t":1,"opened_at":1795183200}"#, "duplicate manifest id M-20261120-000001"),
    ]

    static let badGates: [(line: String, reason: String)] = [
        (#"{"site":"S-01","time":1795183200,"direction":"in","plate":"渝F1"}"#, "missing event_id"),
        (#"{"event_id":"G-B1","site":"S-01","direction":"in","plate":"渝F1"}"#, "missing time"),
        (#"{"event_id":"G-B2","site":"S-01","time":1795183200,"direction":"across","plate":"渝F1"}"#, "unknown direction 'across'"),
        (#"{"event_id":"G-B3","site":"S-01","time":1795183200,"direction":"in"}"#, "neither plate nor rfid"),
        (#"{"event_id":"G-B4","site":"S-01","time":1795183200,"direction":"in","plate":"渝F1","gross_t":"NaN"}"#, "gross_t 'NaN' is not a number"),
        (#"{"event_id":"G-B5","site":"S-01","time":"yesterday","direction":"in","plate":"渝F1"}"#, "bad time 'yesterday'"),
        (#"G-B6,S-01,in"#, "not JSON"),
        (#"{"event_id":"G-000001","site":"S-01","time":1795183200,"direction":"in","plate":"渝F1"}"#, "duplicate gate event id G-000001"),
    ]

    /// The bundled night's manifests and gate records, then a blank line and the bad lines:
    /// each bad line's physical number is known.
    func runWithChain(badManifests: [String], badGates: [String]) throws -> (run: RunResult, files: (String, String), out: String) {
        let dir = SampleNight.tempDir()
        var o = SampleNight.options(out: dir)
        var files: [String] = []
        for (name, good, bad) in [("manifests.jsonl", o.manifests!, badManifests), ("gates.jsonl", o.gateEvents!, badGates)] {
            let text = try String(contentsOfFile: good, encoding: .utf8) + "\n" + bad.joined(separator: "\n")
            _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(text.utf8))
            files.append(dir + "/" + name)
        }
        o.manifests = files[0]
        o.gateEvents = files[1]
        let run = try Analysis.run(o)
        try Analysis.write(run, to: dir)
        return (run, (files[0], files[1]), dir)
    }

    static func lineCount(_ path: String) -> Int {
        (try! String(contentsOfFile: path, encoding: .utf8)).split(separator: "\n", omittingEmptySubsequences: false).count - 1
    }

    @Test func badManifestAndGateLinesAreRejectsAndTakeNothingDown() throws {
        let good = try runWithChain(badManifests: [], badGates: [])
        #expect(good.run.rejects.filter { $0.file == good.files.0 || $0.file == good.files.1 }.isEmpty)
        #expect(good.run.trips.contains { $0.manifestID != nil } && good.run.summary.chain != nil)
        let mixed = try runWithChain(badManifests: Self.badManifests.map(\.line), badGates: Self.badGates.map(\.line))
        #expect(mixed.run.trips == good.run.trips)
        #expect(mixed.run.cases.map(\.id) == good.run.cases.map(\.id))
        #expect(mixed.run.cases.map { $0.violations.map(\.type) } == good.run.cases.map { $0.violations.map(\.type) })
        #expect(mixed.run.summary.chain == good.run.summary.chain)
        #expect(mixed.run.trips.count == Self.baseline.trips)
        // rejects.csv: file, physical line and reason for each bad line (after the good lines and a blank one).
        let rows = try String(contentsOfFile: mixed.out + "/rejects.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        let sample = SampleNight.options(out: "")
        for (path, bad, goodLines) in [(mixed.files.0, Self.badManifests, Self.lineCount(sample.manifests!)),
                                       (mixed.files.1, Self.badGates, Self.lineCount(sample.gateEvents!))] {
            let mine = rows.filter { $0.hasPrefix(path + ",") }
            #expect(mine.count == bad.count, "\(path): \(mine)")
            for (k, (_, reason)) in bad.enumerated() {
                let line = goodLines + 2 + k
                #expect(mine.contains { $0.hasPrefix("\(path),\(line),") && $0.contains(reason) }, "line \(line): \(reason) not in \(mine)")
            }
        }
    }

    /// `analyze` no longer reads the manifests a second time to warn before the run
    /// (issue #19): the run's own warnings name their unregistered vehicles.
    @Test func manifestsOfUnregisteredVehiclesAreAWarningOfTheRun() throws {
        let ghost = #"{"manifest_id":"M-GHOST","vehicle_id":"渝X22222","source_site":"S-01","disposal_site":"D-01","waste_type":"other","declared_t":1,"opened_at":1795183200}"#
        let good = try runWithChain(badManifests: [], badGates: [])
        #expect(!good.run.summary.warnings.joined().contains("not in the vehicle registry"))
        let run = try runWithChain(badManifests: [ghost], badGates: []).run
        let w = try #require(run.summary.warnings.first { $0.contains("not in the vehicle registry") })
        #expect(w.contains("manifests name 1 vehicle(s)") && w.contains("渝X22222"), "\(w)")
        #expect(Set(good.run.cases.map(\.id)).isSubset(of: run.cases.map(\.id)))
    }

    @Test func aManifestsFileThatIsNotJSONStopsTheRunNamingIt() throws {
        let dir = SampleNight.tempDir()
        var o = SampleNight.options(out: dir)
        o.manifests = SampleNight.root + "/traces/vehicles.csv"
        do {
            _ = try Analysis.run(o)
            Issue.record("a CSV was read as manifests")
        } catch {
            #expect("\(error)".contains(SampleNight.root + "/traces/vehicles.csv: not usable as manifests: not JSON"), "\(error)")
        }
    }
}
