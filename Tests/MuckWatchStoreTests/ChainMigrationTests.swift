import Foundation
import MuckWatchCore
import Testing
@testable import MuckWatchStore

/// Migration 15 (contract v2) on a store written before it: `violations` and `evidence`
/// are rebuilt to widen their CHECKs, and nothing an officer decided may be lost.
@Suite struct ChainMigrationTests {
    static let tables = ["runs", "run_metadata", "cases", "trips", "violations", "case_departments", "departments",
                         "evidence", "case_events", "case_tracks", "fences", "camera_events", "permits", "vehicles"]

    /// A store at version 14 holding what today's code writes for `sampleRun()` and an
    /// officer's two decisions on the first case: the rows are written by the current
    /// writer into a scratch store, then copied column by column into a store built by
    /// the first 14 migrations (the columns 15 adds are left behind).
    static func version14Store(at path: String, scratch: String) throws -> [String: StoredCase] {
        let source = try CaseStore(path: scratch, now: { night })
        try source.write(sampleRun())
        try source.setStatus(caseID: "C-20261120-0001", to: .dispatched, actor: "officer-li", note: "sent to 城管")
        try source.setStatus(caseID: "C-20261120-0003", to: .dismissed, actor: "officer-li", note: "ambulance escort")
        var before: [String: StoredCase] = [:]
        for row in try source.listCases(CaseFilter()) { before[row.caseID] = try source.loadCase(id: row.caseID) }

        let db = try Database(path: path)
        try Migrator.migrate(db, now: 100, clockFormat: { String($0) }, migrations: Array(Schema.migrations.prefix(14)))
        try db.execute("ATTACH DATABASE '\(scratch)' AS v15")
        for table in tables {
            let info = try db.prepare("SELECT name FROM pragma_table_info('\(table)')")
            var columns: [String] = []
            while try info.step() { columns.append(info.text(0)) }
            let list = columns.joined(separator: ", ")
            try db.execute("INSERT INTO main.\(table)(\(list)) SELECT \(list) FROM v15.\(table)")
        }
        try db.execute("DETACH DATABASE v15")
        #expect(try db.scalarInt("SELECT max(version) FROM migrations") == 14)
        #expect(try db.scalarInt("SELECT count(*) FROM evidence") == 6)
        return before
    }

    @Test func aVersion14StoreKeepsEveryRowAndDecision() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let before = try Self.version14Store(at: dir.storePath, scratch: dir.url.appendingPathComponent("v15.sqlite").path)
        let store = try CaseStore(path: dir.storePath, now: { night + 86_400 })
        #expect(try store.schemaVersion() == Schema.currentVersion)
        #expect(try store.db.scalarInt("SELECT count(*) FROM pragma_foreign_key_check") == 0)
        #expect(try store.db.scalarInt("PRAGMA foreign_keys") == 1)
        #expect(before.count == 3)
        for (id, old) in before {
            #expect(try store.loadCase(id: id) == old, "\(id)")
        }
        #expect(try store.loadCase(id: "C-20261120-0001")?.status == .dispatched)
        #expect(try store.loadCase(id: "C-20261120-0003")?.events.last?.note == "ambulance escort")
        #expect(try store.countsByStatus() == [.open: 1, .dispatched: 1, .resolved: 0, .dismissed: 1, .closed: 0])
        // The rebuilt tables still cascade and still refuse orphans.
        #expect(throws: StoreError.self) {
            try store.db.execute("INSERT INTO evidence(violation_id, ord, kind, value) VALUES (999999, 0, 'manifest', 'M-1')")
        }
        #expect(throws: StoreError.self) {
            try store.db.execute("""
                INSERT INTO violations(case_id, ord, vehicle_id, type, start_at, start_unix, end_at, end_unix, lon, lat, source, detail)
                VALUES ('C-nobody', 0, '渝F1', 'manifest_missing', 'x', 0, 'x', 0, 0, 0, 'manifest', 'x')
                """)
        }
        #expect(throws: StoreError.self) {
            try store.db.execute("INSERT INTO evidence(violation_id, ord, kind, value) SELECT id, 9, 'weighbridge', 'x' FROM violations LIMIT 1")
        }
    }

    /// The first run after the upgrade carries manifests: the new types, sources and
    /// evidence kinds go in, and the officer's decisions stay.
    @Test func aRerunWithManifestsKeepsTheOfficersDecisions() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let before = try Self.version14Store(at: dir.storePath, scratch: dir.url.appendingPathComponent("v15.sqlite").path)
        let store = try CaseStore(path: dir.storePath, now: { night + 86_400 })
        var run = sampleRun()
        run.trips[0].manifestID = "M-1"
        run.trips[0].receivedT = 24.8
        var evidence = Evidence(manifests: ["M-1"])
        evidence.gateEvents = ["G-1"]
        evidence.images = ["gates/G-1.jpg"]
        let news: [(ViolationType, ViolationSource)] = [
            (.manifestMissing, .manifest), (.manifestUnclosed, .manifest), (.manifestMismatch, .manifest),
            (.weightDiscrepancy, .manifest), (.tareAnomaly, .gate), (.rfidMismatch, .gate), (.presenceMismatch, .gate),
        ]
        for (k, (type, source)) in news.enumerated() {
            run.cases[0].violations.append(Violation(vehicle: 0, type: type, start: night + 3000 + Int64(k), end: night + 3000 + Int64(k),
                                                     lon: 108.44, lat: 30.80, source: source, detail: type.rawValue,
                                                     evidence: evidence, tripIndex: 0))
        }
        let manifest = Manifest(id: "M-1", vehicleID: "渝F12345", sourceSite: "S-03", disposalSite: "D-01",
                                wasteType: .excavatedSoil, declaredT: 28, openedAt: night + 500)
        run.manifests = [ManifestEntry(manifest: manifest, state: .unclosed, tripLoadedAt: night + 600, caseID: "C-20261120-0001")]
        run.gateEvents = [("渝F12345", GateEvent(id: "G-1", site: "S-03", time: night + 550, direction: .out,
                                                 plate: "渝F12345", rfid: "E1", grossT: 43, tareT: 15, manifestID: "M-1",
                                                 image: "gates/G-1.jpg"))]
        try store.write(run)
        let c = try #require(try store.loadCase(id: "C-20261120-0001"))
        #expect(c.status == .dispatched)
        #expect(c.events == before["C-20261120-0001"]?.events)
        #expect(c.violations.map(\.type) == [.illegalDump, .unsealed] + news.map(\.0))
        #expect(c.violations.dropFirst(2).map(\.source) == news.map(\.1))
        #expect(c.violations.last?.evidence == evidence)
        #expect(try store.loadCase(id: "C-20261120-0003")?.status == .dismissed)
        #expect(try store.db.scalarInt("SELECT count(*) FROM manifests WHERE state = 'unclosed' AND case_id = 'C-20261120-0001'") == 1)
        #expect(try store.db.scalarInt("SELECT count(*) FROM gate_events WHERE vehicle_id = '渝F12345' AND manifest_id = 'M-1'") == 1)
        #expect(try store.db.scalarInt("SELECT count(*) FROM trips WHERE manifest_id = 'M-1' AND received_t = 24.8") == 1)
        #expect(try store.db.scalarInt("SELECT count(*) FROM pragma_foreign_key_check") == 0)
        // And again: a second rerun changes nothing an officer did.
        try store.write(run)
        #expect(try store.loadCase(id: "C-20261120-0001")?.events == before["C-20261120-0001"]?.events)
        #expect(try store.db.scalarInt("SELECT count(*) FROM evidence WHERE kind IN ('manifest', 'gate_event')") == 14)
    }
}
