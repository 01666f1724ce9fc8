import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

@Suite struct CaseStoreWriteTests {
    @Test(arguments: StoreBackend.allCases) func writtenCasesReadBackEqual(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 10_000 })
        let run = sampleRun()
        let runID = try store.write(run)
        for c in run.cases {
            let stored = try #require(try store.loadCase(id: c.id))
            #expect(stored.caseID == c.id)
            #expect(stored.vehicleID == c.vehicleID)
            #expect(stored.company == c.company)
            #expect(stored.status == .open)
            #expect(stored.departments == c.departments)
            #expect(stored.date == c.date)
            #expect(stored.trip == c.trip.map(StoredTrip.init))
            #expect(stored.violations == c.violations.map(StoredViolation.init))
            #expect(stored.createdRun == runID)
            #expect(stored.updatedRun == runID)
            #expect(!stored.superseded)
            #expect(stored.events == [CaseEvent(at: night + 10_000, actor: "muckwatch", action: "created",
                                                fromStatus: nil, toStatus: .open, note: nil)])
        }
        #expect(try store.loadCase(id: "C-nope") == nil)
    }

    @Test(arguments: StoreBackend.allCases) func tripsRunRowAndMetadataAreStored(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 10_000 })
        let runID = try store.write(sampleRun())
        let db = try dir.database()
        #expect(try db.scalarInt("SELECT count(*) FROM trips WHERE run_id = \(runID)") == 3)
        let t = try db.prepare("""
            SELECT vehicle_id, source_site, loaded_at, loaded_unix, disposal_site, dumped_at, dumped_unix,
                   distance_km, load_t, permit_id, case_id, dump_lon FROM trips WHERE trip_key = ?
            """)
        try t.bind(1, CaseStore.tripKey(plate: "渝F12345", loadStart: night + 300))
        #expect(try t.step())
        #expect(t.text(0) == "渝F12345")
        #expect(t.string(1) == "S-03")
        #expect(t.text(2) == "2026-11-20T22:10:00+08:00")
        #expect(t.int64(3) == night + 600)
        #expect(t.string(4) == nil)
        #expect(t.string(5) == "2026-11-20T22:40:00+08:00")
        #expect(t.int64(6) == night + 2400)
        #expect(t.double(7) == 12.345)
        #expect(t.double(8) == 25.5)
        #expect(t.string(9) == "P-2026-0412")
        #expect(t.string(10) == "C-20261120-0001")
        #expect(t.double(11) == 108.421123)

        let open = try db.prepare("SELECT dumped_at, dumped_unix, load_t FROM trips WHERE trip_key = ?")
        try open.bind(1, CaseStore.tripKey(plate: "渝F67890", loadStart: night + 700))
        #expect(try open.step())
        #expect(open.isNull(0) && open.isNull(1) && open.isNull(2))

        let r = try db.prepare("SELECT started_at, finished_unix, utc_offset_s, trips, cases FROM runs WHERE id = ?")
        try r.bind(1, runID)
        #expect(try r.step())
        #expect(r.text(0) == "2026-11-21T00:46:40+08:00")
        #expect(r.int64(1) == night + 10_000)
        #expect(r.int64(2) == 8 * 3600)
        #expect(r.int64(3) == 3 && r.int64(4) == 3)
        // The inputs: fences, traces, cameras, permits, vehicles, both datums and config.
        #expect(try db.scalarInt("SELECT count(*) FROM run_metadata WHERE run_id = \(runID) AND key NOT LIKE 'summary.%'") == 8)
        let m = try db.prepare("SELECT value FROM run_metadata WHERE key = 'traces'")
        #expect(try m.step())
        #expect(m.text(0) == "a.csv b.csv")
        // Violations and evidence carry ISO text next to the Unix columns.
        let v = try db.prepare("SELECT start_at, vehicle_id FROM violations WHERE type = 'illegal_dump'")
        #expect(try v.step())
        #expect(v.text(0) == "2026-11-20T22:40:00+08:00")
        #expect(v.text(1) == "渝F12345")
        let e = try db.prepare("SELECT value FROM evidence WHERE kind = 'fix_range' ORDER BY id LIMIT 1")
        #expect(try e.step())
        #expect(e.text(0) == "2026-11-20T22:40:00+08:00/2026-11-20T22:44:00+08:00")
    }

    @Test(arguments: StoreBackend.allCases) func rerunKeepsStatusAndAuditAndUpdatesContent(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        var clock: Int64 = night + 10_000
        let store = try CaseStore(path: dir.storePath, now: { clock })
        let first = try store.write(sampleRun())
        clock += 60
        try store.setStatus(caseID: "C-20261120-0001", to: .dispatched, actor: "officer-7", note: "sent to 城管")
        clock += 60
        let second = try store.write(sampleRun(detailSuffix: " (re-run)"))
        let c = try #require(try store.loadCase(id: "C-20261120-0001"))
        #expect(c.status == .dispatched)
        #expect(c.createdRun == first)
        #expect(c.updatedRun == second)
        #expect(c.violations.count == 2)
        #expect(c.violations[0].detail.hasSuffix("(re-run)"))
        #expect(c.violations[0].evidence.sensorReadings == ["lift=1 22:40:00–22:44:00"])
        #expect(c.events.map(\.action) == ["created", "status"])
        #expect(c.events[1] == CaseEvent(at: night + 10_060, actor: "officer-7", action: "status",
                                         fromStatus: .open, toStatus: .dispatched, note: "sent to 城管"))
        // Content was replaced, not duplicated.
        let db = try dir.database()
        #expect(try db.scalarInt("SELECT count(*) FROM violations") == 4)
        #expect(try db.scalarInt("SELECT count(*) FROM evidence") == 6)
        #expect(try db.scalarInt("SELECT count(*) FROM case_departments") == 4)
        #expect(try db.scalarInt("SELECT count(*) FROM trips") == 3)
        #expect(try db.scalarInt("SELECT count(*) FROM runs") == 2)
    }

    @Test(arguments: StoreBackend.allCases) func casesAbsentFromARerunAreSupersededNotDeleted(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night })
        try store.write(sampleRun())
        var run = sampleRun()
        run.cases.removeLast()
        // The night's data runs past midnight: the 21st is covered too.
        run.record.dataSpan = (night - 7200)...(night + 9 * 3600)  // 20:00 to 07:00
        try store.write(run)
        let gone = try #require(try store.loadCase(id: "C-20261120-0003"))
        #expect(gone.superseded)
        #expect(gone.violations.count == 1)
        #expect(gone.events.map(\.action) == ["created", "superseded"])
        #expect(try store.listCases(CaseFilter()).map(\.caseID) == ["C-20261120-0001", "C-20261120-0002"])
        #expect(try store.listCases(CaseFilter(includeSuperseded: true)).count == 3)
        #expect(try store.countsByStatus()[.open] == 2)
        // Produced again later: back to current, audited.
        try store.write(sampleRun())
        let back = try #require(try store.loadCase(id: "C-20261120-0003"))
        #expect(!back.superseded)
        #expect(back.events.map(\.action) == ["created", "superseded", "restored"])
    }

    /// One store, many nights: writing another night never touches this night's cases.
    @Test(arguments: StoreBackend.allCases) func anotherNightsRunSupersedesNothingHere(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night })
        try store.write(sampleRun())
        var later = sampleRun(caseIDs: ["C-20261125-0001", "C-20261125-0002", "C-20261125-0003"])
        let shift: Int64 = 5 * 86_400
        for k in later.trips.indices { later.trips[k].loadedAt += shift }
        for k in later.cases.indices {
            later.cases[k].date = LocalDate(days: later.cases[k].date.days + 5)
            later.cases[k].trip?.loadedAt += shift
        }
        later.trips = []
        try store.write(later)
        for id in ["C-20261120-0001", "C-20261120-0002", "C-20261120-0003"] {
            #expect(try store.loadCase(id: id)?.superseded == false)
        }
        #expect(try store.listCases(CaseFilter()).count == 6)
    }

    @Test(arguments: StoreBackend.allCases) func runStartComesFromTheRecordWhenGiven(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 500 })
        var run = sampleRun()
        run.record.startedAt = night + 300
        let id = try store.write(run)
        let r = try store.db.prepare("SELECT started_at, started_unix, finished_at FROM runs WHERE id = ?")
        try r.bind(1, id)
        #expect(try r.step())
        #expect(r.text(0) == "2026-11-20T22:05:00+08:00")
        #expect(r.int64(1) == night + 300)
        #expect(r.text(2) == "2026-11-20T22:08:20+08:00")
    }

    @Test(arguments: StoreBackend.allCases) func failedWriteLeavesNothingBehind(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath)
        var run = sampleRun()
        run.trips[2].caseID = "C-does-not-exist"  // foreign key fails at commit
        #expect(throws: StoreError.self) { try store.write(run) }
        let db = try dir.database()
        #expect(try db.scalarInt("SELECT count(*) FROM runs") == 0)
        #expect(try db.scalarInt("SELECT count(*) FROM cases") == 0)
        #expect(try db.scalarInt("SELECT count(*) FROM trips") == 0)
        try store.write(sampleRun())
        #expect(try store.listCases(CaseFilter()).count == 3)
    }
}
