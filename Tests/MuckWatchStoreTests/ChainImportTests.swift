import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// Manifests and gate records written into the store from outside a run (`muckwatch
/// import`) and read back by the gateway's cursor (`chainChanges`).
@Suite struct ChainImportTests {
    let open = Manifest(id: "M-1", permitID: "P-7", vehicleID: "渝F12345", driverID: "DR-1", sourceSite: "S-03",
                        disposalSite: "D-01", wasteType: .excavatedSoil, declaredT: 28, openedAt: night + 600)
    var closed: Manifest {
        var m = open
        m.closedAt = night + 2400
        m.closedSite = "D-02"
        m.receivedT = 27.5
        return m
    }

    func column(_ store: String, _ sql: String) throws -> String? {
        try Database(try StoreLocation(parsing: store)).scalarText(sql)
    }

    /// A closing arriving after the opening replaces the open row, and the cursor sees it
    /// again (it moved past every row); importing the same record again changes nothing.
    @Test(arguments: StoreBackend.allCases) func closingReplacesTheOpenManifestAndIsReadAgain(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath)
        let other = Manifest(id: "M-2", vehicleID: "渝F00001", sourceSite: "S-01", disposalSite: "D-01",
                             wasteType: .demolition, declaredT: 20, openedAt: night + 900)
        #expect(try store.importManifests([open, other], clock: .shanghai) == 2)
        let first = try store.chainChanges(after: ChainCursor())
        #expect(first.manifests == [open, other])
        #expect(try column(dir.storePath, "SELECT state FROM manifests WHERE manifest_id = 'M-1'") == "open")
        #expect(try column(dir.storePath, "SELECT opened_at FROM manifests WHERE manifest_id = 'M-1'")
            == "2026-11-20T22:10:00+08:00")
        #expect(try store.chainChanges(after: first.cursor).isEmpty)

        #expect(try store.importManifests([open], clock: .shanghai) == 0)  // unchanged
        #expect(try store.chainChanges(after: first.cursor).isEmpty)

        #expect(try store.importManifests([closed], clock: .shanghai) == 1)
        let second = try store.chainChanges(after: first.cursor)
        #expect(second.manifests == [closed])
        #expect(second.cursor.manifests > first.cursor.manifests)
        #expect(try column(dir.storePath, "SELECT count(*) FROM manifests") == "2")
        #expect(try column(dir.storePath, "SELECT state || ' ' || closed_site FROM manifests WHERE manifest_id = 'M-1'")
            == "closed D-02")
    }

    /// Judged states are plain updates: the cursor does not see them, and an unchanged
    /// import keeps them.
    @Test(arguments: StoreBackend.allCases) func judgedStateSurvivesAnUnchangedImport(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath)
        _ = try store.importManifests([closed], clock: .shanghai)
        let cursor = try store.chainChanges(after: ChainCursor()).cursor
        try store.updateManifestStates([ManifestEntry(manifest: closed, state: .mismatched, tripLoadedAt: night + 500,
                                                      caseID: "C-20261120-0001")])
        #expect(try store.chainChanges(after: cursor).isEmpty)
        #expect(try store.importManifests([closed], clock: .shanghai) == 0)
        #expect(try column(dir.storePath, "SELECT state || ' ' || case_id || ' ' || trip_loaded_unix FROM manifests")
            == "mismatched C-20261120-0001 \(night + 500)")
    }

    /// Gate records are kept with their vehicle and read back whole, a changed one again.
    @Test(arguments: StoreBackend.allCases) func gateEventsRoundTrip(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath)
        let out = GateEvent(id: "G-1", site: "S-03", time: night + 590, direction: .out, plate: nil, rfid: "E280",
                            grossT: 43.1, tareT: 15.2, manifestID: "M-1", image: "gates/G-1.jpg")
        let back = GateEvent(id: "G-2", site: "D-02", time: night + 2390, direction: .in, plate: "渝F12345")
        #expect(try store.importGateEvents([("渝F12345", out), ("渝F12345", back)], clock: .shanghai) == 2)
        let first = try store.chainChanges(after: ChainCursor())
        #expect(first.gateEvents == [out, back])
        #expect(try column(dir.storePath, "SELECT vehicle_id FROM gate_events WHERE event_id = 'G-1'") == "渝F12345")
        #expect(try store.importGateEvents([("渝F12345", out)], clock: .shanghai) == 0)
        var reweighed = out
        reweighed.tareT = 15.9
        #expect(try store.importGateEvents([("渝F12345", reweighed)], clock: .shanghai) == 1)
        #expect(try store.chainChanges(after: first.cursor).gateEvents == [reweighed])
    }

    /// A first poll of a full store pages through it.
    @Test(arguments: StoreBackend.allCases) func changesArePaged(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath)
        let many = (0..<5).map { i -> Manifest in
            var m = open
            m.id = "M-\(i)"
            return m
        }
        _ = try store.importManifests(many, clock: .shanghai)
        let a = try store.chainChanges(after: ChainCursor(), limit: 3)
        let b = try store.chainChanges(after: a.cursor, limit: 3)
        #expect(a.manifests.map(\.id) == ["M-0", "M-1", "M-2"])
        #expect(b.manifests.map(\.id) == ["M-3", "M-4"])
    }
}
