import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// `RunWrite` (issue #22): a run written in steps, vehicle by vehicle, holds the rows
/// `CaseStore.write` writes; until its commit nobody sees any of it, and a run abandoned
/// half-way leaves the store exactly as it was, row numbers included.
@Suite struct RunWriteTests {
    /// `run` written as `analyze` writes it beside its analysis: references, then each
    /// vehicle's cases, trips, tracks and camera reads, then what needs the whole run.
    static func writeInSteps(_ run: RunResult, into store: CaseStore, commit: Bool = true) throws -> RunWrite {
        let w = try RunWrite(store, clock: run.clock, startedAt: run.record.startedAt)
        try w.writeReferences(fences: run.fences, permits: run.permits, vehicles: run.vehicles)
        for plate in run.plates.plates {
            let v = run.plates.lookup(plate)
            try w.writeVehicle(cases: run.cases.filter { $0.vehicleID == plate },
                               trips: run.trips.filter { $0.vehicle == v },
                               cameraEvents: run.cameraEvents.filter { $0.plate == plate }, plates: run.plates)
        }
        try w.complete(run)
        if commit { try w.commit() }
        return w
    }

    /// `run`'s references, then each vehicle's part with its manifests and gate passes (as
    /// `analyze` hands them beside its analysis); `afterEach` sees each vehicle written.
    /// Every plate with a case, trip, manifest or pass is one (a manifest's truck may have no
    /// GPS), and pass `G-1` is handed with every vehicle but its owner's too (kept with two
    /// vehicles' cases).
    static func writeChainByVehicle(_ run: RunResult, with w: RunWrite, afterEach: () throws -> Void = {}) throws {
        try w.writeReferences(fences: run.fences, permits: run.permits, vehicles: run.vehicles)
        var plates = run.plates.plates
        for m in run.manifests where !plates.contains(m.manifest.vehicleID) { plates.append(m.manifest.vehicleID) }
        for plate in plates {
            let v = run.plates.lookup(plate)
            var passes = run.gateEvents.filter { $0.vehicle == plate }
            if plate != "渝F12345" { passes += run.gateEvents.filter { $0.event.id == "G-1" } }
            try w.writeVehicle(cases: run.cases.filter { $0.vehicleID == plate },
                               trips: run.trips.filter { v != nil && $0.vehicle == v! },
                               cameraEvents: run.cameraEvents.filter { $0.plate == plate }, plates: run.plates,
                               chain: (manifests: run.manifests.filter { $0.manifest.vehicleID == plate },
                                       gatePasses: passes))
            try afterEach()
        }
    }

    /// `sampleRun` with a track, a camera read and a fence, so every step writes rows.
    static func run(detailSuffix: String = "") -> RunResult {
        var run = sampleRun(detailSuffix: detailSuffix)
        run.cases[0].track = [TrackPoint(time: night, lon: 108.40, lat: 30.80, speedKmh: 20, loaded: true),
                              TrackPoint(time: night + 5, lon: 108.41, lat: 30.81, speedKmh: 22, loaded: true)]
        run.cameraEvents = [CameraEvent(id: "E-000131", checkpointID: "KK-07", time: night + 1200, plate: "渝F12345",
                                        type: .unsealed, confidence: 0.9, image: "snapshots/E-000131.jpg")]
        let ring = [(108.40, 30.80), (108.41, 30.80), (108.41, 30.81)].map { LonLat(lon: $0.0, lat: $0.1) }
        run.fences = [Fence(id: "S-03", name: "S-03 yard", kind: .constructionSite, geometry: .polygons([[ring]]))]
        return run
    }

    @Test(arguments: StoreBackend.allCases) func stepsHoldTheRowsOfOneWrite(backend: StoreBackend) throws {
        let once = try TempDir(backend), steps = try TempDir(backend)
        defer { once.cleanup(); steps.cleanup() }
        let run = Self.run()
        try CaseStore(path: once.storePath, now: { night + 10_000 }).write(run)
        _ = try Self.writeInSteps(run, into: try CaseStore(path: steps.storePath, now: { night + 10_000 }))
        let a = try StoreDump.tables(try once.database(), numbering: .kept)
        let b = try StoreDump.tables(try steps.database(), numbering: .kept)
        for table in ["cases", "violations", "evidence", "case_events", "trips", "case_tracks", "camera_events",
                      "fences", "runs", "run_metadata"] {
            #expect(!(a[table] ?? []).isEmpty, "\(table) is empty")
        }
        #expect(a.keys.sorted() == b.keys.sorted())
        for (table, rows) in a { #expect(b[table] == rows, "\(table) differs") }
    }

    /// Manifests and gate passes handed over with each vehicle (`writeVehicle`'s `chain`, as
    /// `analyze` writes them beside its analysis) are the rows one write of the whole run
    /// holds, and `complete` does not write them again; a pass handed with two vehicles (kept
    /// with both one's cases) is one row, under its owner.
    @Test(arguments: StoreBackend.allCases) func chainRowsByVehicleHoldTheRowsOfOneWrite(backend: StoreBackend) throws {
        let once = try TempDir(backend), steps = try TempDir(backend)
        defer { once.cleanup(); steps.cleanup() }
        let run = chainRun()
        try CaseStore(path: once.storePath, now: { night + 10_000 }).write(run)

        let w = try RunWrite(try CaseStore(path: steps.storePath, now: { night + 10_000 }), clock: run.clock,
                             startedAt: run.record.startedAt)
        try Self.writeChainByVehicle(run, with: w)
        // What `complete` is given for the whole run no longer reaches the manifests' rows.
        var whole = run
        whole.manifests[0].state = .open
        try w.complete(whole)
        try w.commit()

        let a = try StoreDump.tables(try once.database(), numbering: .renumbered)
        let b = try StoreDump.tables(try steps.database(), numbering: .renumbered)
        #expect(a["manifests"]?.count == 4)
        #expect(a["gate_events"]?.count == 3)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (table, rows) in a { #expect(b[table] == rows, "\(table) differs") }
    }

    @Test(arguments: StoreBackend.allCases) func nothingIsSeenBeforeTheCommit(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 10_000 })
        try store.write(Self.run())
        let reader = try dir.database()
        let before = try StoreDump.tables(reader, numbering: .kept)
        let w = try Self.writeInSteps(Self.run(detailSuffix: " (again)"), into: store, commit: false)
        // Every step but the commit is done: another connection still sees the first run alone.
        #expect(try StoreDump.tables(reader, numbering: .kept) == before)
        #expect(try reader.scalarInt("SELECT count(*) FROM runs") == 1)
        try w.commit()
        #expect(try reader.scalarInt("SELECT count(*) FROM runs") == 2)
        #expect(try reader.scalarInt("SELECT count(*) FROM violations WHERE detail LIKE '% (again)'") == 1)
        // Ended: no step runs on it any more, and abandoning it keeps what it committed.
        #expect(throws: StoreError.runWriteEnded(runID: 2)) {
            try w.writeVehicle(cases: [], trips: [], cameraEvents: [], plates: PlateTable())
        }
        w.abandon()
        #expect(try reader.scalarInt("SELECT count(*) FROM runs") == 2)
    }

    @Test(arguments: StoreBackend.allCases) func anAbandonedRunLeavesTheStoreAsItWas(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 10_000 })
        try store.write(Self.run())
        let before = try StoreDump.tables(try dir.database(), numbering: .kept)
        // A second run with other cases, so superseding has work too; abandoned before its commit.
        let other = Self.run(detailSuffix: " (again)")
        var fewer = other
        fewer.cases.remove(at: 1)  // a case of the run's day: the next run supersedes it
        let w = try Self.writeInSteps(fewer, into: store, commit: false)
        w.abandon()
        w.abandon()  // twice is once
        #expect(try StoreDump.tables(try dir.database(), numbering: .kept) == before)
        #expect(throws: StoreError.runWriteEnded(runID: 2)) { try w.commit() }
        // The write lock is free again: the next run writes at once.
        try store.write(fewer)
        #expect(try dir.database().scalarInt("SELECT count(*) FROM cases WHERE superseded = 1") == 1)
    }
}
