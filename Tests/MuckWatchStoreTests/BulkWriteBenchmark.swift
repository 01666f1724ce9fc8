import Foundation
import MuckWatchCore
import MuckWatchStore
import Testing

/// Bulk write speed; opt-in because it is slow in debug builds:
/// `MUCKWATCH_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter BulkWriteBenchmark`
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MUCKWATCH_BENCH"] != nil))
struct BulkWriteBenchmark {
    @Test func write100kTrips() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        var plates = PlateTable()
        for i in 0..<2000 { _ = plates.intern("渝F\(10000 + i)") }
        let n = 100_000
        var trips: [Trip] = []
        trips.reserveCapacity(n)
        var cases: [Case] = []
        for i in 0..<n {
            let v = Int32(i % 2000)
            let t0 = night + Int64(i / 2000) * 3600
            var t = Trip(vehicle: v, sourceSite: "S-\(i % 17)", loadedAt: t0 + 300, loadStart: t0,
                         disposalSite: i % 5 == 0 ? nil : "D-\(i % 7)", dumpLon: 108.4 + Double(i % 1000) * 1e-4,
                         dumpLat: 30.8, dumpedAt: t0 + 2400, dumpEnd: t0 + 2600, unloadEvidence: .lift,
                         distanceKm: 12.3, loadT: 25, permitID: i % 3 == 0 ? nil : "P-\(i % 50)", fixRange: 0..<10)
            if i % 20 == 0 {
                let id = "C-\(i)"
                t.caseID = id
                let viol = Violation(vehicle: v, type: .illegalDump, start: t0 + 2400, end: t0 + 2600, lon: 108.4,
                                     lat: 30.8, source: .sensor, detail: "tipper raised outside any disposal site",
                                     evidence: Evidence(fixRanges: [(t0 + 2400)...(t0 + 2600)],
                                                        sensorReadings: ["lift=1"]))
                cases.append(Case(id: id, vehicleID: plates[v], company: "Co \(v % 30)",
                                  departments: ["city_management"], trip: t, date: LocalClock.shanghai.date(of: t0),
                                  violations: [viol]))
            }
            trips.append(t)
        }
        let run = RunResult(plates: plates, trips: trips, cases: cases, rejects: [], summary: Summary(),
                            clock: .shanghai)
        let store = try CaseStore(path: dir.storePath)
        for label in ["fresh store", "re-write (upserts)"] {
            let start = ContinuousClock.now
            try store.write(run)
            let s = (ContinuousClock.now - start) / .seconds(1)
            let rows = n + cases.count * 5  // trip + case, department, violation, evidence×2
            print("BENCH \(label): \(n) trips + \(cases.count) cases in \(String(format: "%.3f", s)) s = "
                + "\(Int(Double(n) / s)) trips/s, \(Int(Double(rows) / s)) rows/s")
            for suffix in ["", "-wal"] {
                let size = (try? FileManager.default.attributesOfItem(atPath: dir.storePath + suffix)[.size]) as? Int
                print("BENCH   muckwatch.sqlite\(suffix): \((size ?? 0) / 1024) KiB")
            }
        }
        #expect(try store.listCases(CaseFilter(), limit: 10).count == 10)
    }
}
