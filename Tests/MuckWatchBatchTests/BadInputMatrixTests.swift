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
}
