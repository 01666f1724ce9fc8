import Foundation
import MuckWatchCore
import MuckWatchStore

/// A fresh folder under the system temp dir, removed by `cleanup()`.
struct TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("muckwatch-dispatch-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    var storePath: String { url.appendingPathComponent("muckwatch.sqlite").path }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Cases for dispatching: case `i` is one unsealed-cover violation seen by camera event
/// `E-i` (confidence 0.95 for even `i`, 0.5 for odd), routed to `departments`.
enum DispatchWorld {
    /// 2026-11-20T22:00:00+08:00
    static let night: Int64 = 1_795_183_200

    static func caseID(_ i: Int) -> String { String(format: "C-20261120-%05d", i) }

    static func run(cases n: Int, departments: [String] = ["city_management", "housing_construction"]) -> RunResult {
        var plates = PlateTable()
        var cases: [Case] = []
        var cameras: [CameraEvent] = []
        for i in 0..<n {
            let plate = String(format: "渝F%05d", i)
            let v = plates.intern(plate)
            let t = night + Int64(i) * 60
            let event = "E-\(i)"
            cameras.append(CameraEvent(id: event, checkpointID: "KK-07", time: t, plate: plate, type: .unsealed,
                                       confidence: i % 2 == 0 ? 0.95 : 0.5, image: "snapshots/\(event).jpg"))
            let unsealed = Violation(vehicle: v, type: .unsealed, start: t, end: t, lon: 108.43, lat: 30.82, source: .camera,
                                     detail: "camera KK-07 saw the cover open",
                                     evidence: Evidence(cameraEvents: [event], images: ["snapshots/\(event).jpg"]))
            cases.append(Case(id: caseID(i), vehicleID: plate, company: "渝运公司", departments: departments, trip: nil,
                              date: LocalDate(year: 2026, month: 11, day: 20), violations: [unsealed]))
        }
        return RunResult(plates: plates, trips: [], cases: cases, rejects: [], summary: Summary(), clock: .shanghai,
                         cameraEvents: cameras)
    }

    /// A store at `path` holding `run(cases: n)`, with webhooks for `targets`.
    @discardableResult
    static func store(at path: String, cases n: Int, targets: [String] = ["city_management", "housing_construction"])
        throws -> CaseStore {
        let s = try CaseStore(path: path)
        try s.write(run(cases: n))
        try s.setDispatchTargets(targets)
        return s
    }
}
