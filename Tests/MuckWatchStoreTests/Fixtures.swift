import Foundation
import MuckWatchCore
import MuckWatchTestSupport
@testable import MuckWatchStore

/// A fresh folder under the system temp dir and a fresh store of `backend` (a file in the
/// folder, or a schema of its own on the test server), removed by `cleanup()`.
struct TempDir {
    let store: TestStore
    init(_ backend: StoreBackend = .sqlite) throws { store = try TestStore(backend, prefix: "muckwatch-store") }
    var url: URL { store.url }
    /// The store as `CaseStore(path:)` takes it: a file path or a `postgres://` URL.
    var storePath: String { store.location }
    var backend: StoreBackend { store.backend }
    /// The store's raw connection, for looking at rows.
    func database() throws -> Database { try store.database() }
    func cleanup() { store.cleanup() }
}

/// 2026-11-20T22:00:00+08:00
let night: Int64 = 1_795_183_200

/// A small run: two vehicles, three trips, three cases (one day case without a trip).
func sampleRun(caseIDs: [String] = ["C-20261120-0001", "C-20261120-0002", "C-20261120-0003"],
               detailSuffix: String = "") -> RunResult {
    var plates = PlateTable()
    let a = plates.intern("渝F12345")
    let b = plates.intern("渝F67890")
    let t0 = Trip(vehicle: a, sourceSite: "S-03", loadedAt: night + 600, loadStart: night + 300, disposalSite: nil,
                  dumpLon: 108.421123, dumpLat: 30.812345, dumpedAt: night + 2400, dumpEnd: night + 2640,
                  unloadEvidence: .lift, distanceKm: 12.345, loadT: 25.5, permitID: "P-2026-0412",
                  fixRange: 10..<80, caseID: caseIDs[0])
    let t1 = Trip(vehicle: b, sourceSite: nil, loadedAt: night + 900, loadStart: night + 700, disposalSite: "D-01",
                  dumpLon: 108.5, dumpLat: 30.9, dumpedAt: nil, dumpEnd: nil, unloadEvidence: .none,
                  distanceKm: 3.2, loadT: nil, permitID: nil, fixRange: 5..<9, caseID: caseIDs[1])
    let t2 = Trip(vehicle: b, sourceSite: "S-01", loadedAt: night + 5000, loadStart: night + 4800,
                  disposalSite: "D-01", dumpLon: 108.6, dumpLat: 30.7, dumpedAt: night + 7000, dumpEnd: night + 7100,
                  unloadEvidence: .disposalDwell, distanceKm: 8, loadT: 30, permitID: "P-1", fixRange: 20..<40)
    let dump = Violation(vehicle: a, type: .illegalDump, start: night + 2400, end: night + 2640, lon: 108.421123,
                         lat: 30.812345, source: .sensor,
                         detail: "tipper raised 4 min outside any disposal site" + detailSuffix,
                         evidence: Evidence(fixRanges: [(night + 2400)...(night + 2640)],
                                            sensorReadings: ["lift=1 22:40:00–22:44:00"]),
                         tripIndex: 0)
    let unsealed = Violation(vehicle: a, type: .unsealed, start: night + 1200, end: night + 1200, lon: 108.43,
                             lat: 30.82, source: .camera, detail: "camera KK-07 saw the cover open",
                             evidence: Evidence(cameraEvents: ["E-000131"], images: ["snapshots/E-000131.jpg"]),
                             tripIndex: 0)
    let noPermit = Violation(vehicle: b, type: .noPermit, start: night + 700, end: night + 900, lon: 108.41,
                             lat: 30.81, source: .gps, detail: "loaded at S-?? with no permit, \"quoted\"",
                             tripIndex: 0)
    let speeding = Violation(vehicle: b, type: .speeding, start: night + 9000, end: night + 9100, lon: 108.45,
                             lat: 30.85, source: .gps, detail: "72 km/h for 100 s",
                             evidence: Evidence(fixRanges: [(night + 9000)...(night + 9050),
                                                            (night + 9060)...(night + 9100)]))
    let cases = [
        Case(id: caseIDs[0], vehicleID: "渝F12345", company: "渝运公司", departments: ["city_management"],
             trip: t0, date: LocalDate(year: 2026, month: 11, day: 20), violations: [dump, unsealed]),
        Case(id: caseIDs[1], vehicleID: "渝F67890", company: nil,
             departments: ["city_management", "housing_construction"], trip: t1,
             date: LocalDate(year: 2026, month: 11, day: 20), violations: [noPermit]),
        Case(id: caseIDs[2], vehicleID: "渝F67890", company: nil, departments: ["traffic_police"], trip: nil,
             date: LocalDate(year: 2026, month: 11, day: 21), violations: [speeding]),
    ]
    return RunResult(plates: plates, trips: [t0, t1, t2], cases: cases, rejects: [], summary: Summary(),
                     clock: .shanghai,
                     record: RunRecord(inputs: RunInputs(references: ReferenceFiles(fences: "fences.geojson"), traces: ["a.csv", "b.csv"])))
}
