import Foundation
import Testing
import MuckWatchCore
import MuckWatchStore
@testable import MuckWatchBatch

/// The officers' `cases` views over a real store written by `analyze` on the sample night.
@Suite(.serialized) struct CaseReportsTests {
    /// One analyzed sample night shared by the read-only tests: (store path, number of cases).
    static let analyzed: (path: String, cases: Int) = {
        let out = SampleNight.tempDir()
        let run = try! Analysis.run(SampleNight.options(out: out))
        try! Analysis.write(run, to: out)
        return (out + "/muckwatch.sqlite", run.cases.count)
    }()

    static var store: (CaseStore, Int) { (try! CaseStore(path: analyzed.path), analyzed.cases) }

    @Test func listFiltersByTypeDepartmentVehicleAndDate() throws {
        let (store, caseCount) = Self.store
        let all = try store.listCases(CaseFilter())
        #expect(all.count == caseCount)
        let dumps = try store.listCases(CaseFilter(type: .illegalDump))
        #expect(!dumps.isEmpty && dumps.allSatisfy { $0.violationTypes.contains(.illegalDump) })
        let police = try store.listCases(CaseFilter(department: "traffic_police"))
        #expect(police.allSatisfy { $0.departments.contains("traffic_police") })
        let plate = all[0].vehicleID
        #expect(try store.listCases(CaseFilter(vehicle: plate)).allSatisfy { $0.vehicleID == plate })
        let day = all[0].date
        #expect(try store.listCases(CaseFilter(dateFrom: day, dateTo: day)).allSatisfy { $0.date == day })
        let text = CaseTable.text(dumps, counts: try store.countsByStatus())
        #expect(text.contains("illegal_dump") && text.contains("\(dumps.count) case"))
        let json = try JSONSerialization.jsonObject(with: Data(CaseTable.json(dumps).utf8)) as! [[String: Any]]
        #expect(json.count == dumps.count && json[0]["case_id"] as? String == dumps[0].caseID)
    }

    @Test func showTellsTheChainWithEvidence() throws {
        let (store, _) = Self.store
        let id = try #require(try store.listCases(CaseFilter(type: .illegalDump)).first?.caseID)
        let c = try #require(try store.loadCase(id: id))
        let track = try store.track(caseID: id)
        #expect(track.count > 5 && track.contains(where: \.loaded))
        let text = CaseText.render(c, track: track, cameras: [], clock: store.clock)
        #expect(text.contains("Case \(id)"))
        #expect(text.contains("loaded") && text.contains("unloaded") && text.contains("outside every disposal site"))
        #expect(text.contains("illegal_dump") && text.contains("fixes "))
        #expect(text.contains("Audit trail") && text.contains("created"))
    }

    @Test func showListsCameraEvidenceWithImages() throws {
        let (store, _) = Self.store
        let rows = try store.listCases(CaseFilter(type: .spill))
        let id = try #require(rows.first?.caseID)
        let c = try #require(try store.loadCase(id: id))
        let ids = c.violations.flatMap(\.evidence.cameraEvents)
        let cams = try store.cameraEvents(ids: ids)
        #expect(!cams.isEmpty && cams.count == ids.count)
        let text = CaseText.render(c, track: try store.track(caseID: id), cameras: cams, clock: store.clock)
        #expect(text.contains("camera \(ids[0])") && text.contains("image snapshots/"))
    }

    @Test func geoJSONExportOpensAsAFeatureCollection() throws {
        let (store, _) = Self.store
        let ids = try store.listCases(CaseFilter()).map(\.caseID)
        let text = try CaseGeoJSON.export(store, caseIDs: ids)
        let doc = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        #expect(doc["type"] as? String == "FeatureCollection")
        let features = doc["features"] as! [[String: Any]]
        let kinds = features.map { ($0["properties"] as! [String: Any])["feature"] as? String ?? "" }
        #expect(kinds.contains("track") && kinds.contains("dump") && kinds.contains("violation"))
        #expect(kinds.contains("fence") && kinds.contains("camera"))
        for f in features {
            let g = f["geometry"] as! [String: Any]
            #expect(["Point", "LineString", "MultiLineString", "MultiPolygon"].contains(g["type"] as? String ?? ""))
        }
        // Every case is on the map.
        let mapped = Set(features.compactMap { ($0["properties"] as! [String: Any])["case_id"] as? String })
        #expect(mapped == Set(ids))
    }

    @Test func workflowFromTheStoreIsAudited() throws {
        let out = SampleNight.tempDir()
        try SampleNight.analyze(into: out)
        let store = try CaseStore(path: out + "/muckwatch.sqlite")
        let id = try #require(try store.listCases(CaseFilter()).first?.caseID)
        try store.setStatus(caseID: id, to: .dispatched, actor: "wang", note: nil)
        try store.setStatus(caseID: id, to: .resolved, actor: "wang", note: "fined")
        // A rerun of the same night keeps the officer's decision and the audit trail.
        try SampleNight.analyze(into: out)
        let again = try CaseStore(path: out + "/muckwatch.sqlite")
        let c = try #require(try again.loadCase(id: id))
        #expect(c.status == .resolved)
        #expect(c.events.map(\.action) == ["created", "status", "status"])
        #expect(c.events.map(\.actor) == ["muckwatch", "wang", "wang"])
        #expect(c.events.last?.note == "fined")
    }
}
