import Foundation
import Testing
import MuckWatchCore
import MuckWatchLive
import MuckWatchBatch
import MuckWatchStore
import MuckWatchJudge

@Suite struct LiveAnalysisTests {
    /// The sample night fed fix by fix gives the batch run's trips and cases, and the
    /// live store holds the batch case ids (none superseded).
    @Test func sampleNightFedLiveEqualsBatch() throws {
        let dir = SampleReplay.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (batch, options) = try SampleReplay.batchAndLiveOptions(out: dir)
        let store = try CaseStore(path: dir + "/live.sqlite")
        let live = try LiveAnalysis(references: SampleReplay.references(), store: store, options: options)
        let (fixes, readPlates) = try SampleReplay.fixes()
        var mapped = [Int32](repeating: -1, count: readPlates.count)
        var alerts: [LiveAlert] = []
        var chunk: [Fix] = []
        for var f in fixes {
            if mapped[Int(f.vehicle)] < 0 { mapped[Int(f.vehicle)] = live.vehicle(addingPlate: readPlates[f.vehicle]) }
            f.vehicle = mapped[Int(f.vehicle)]
            chunk.append(f)
            if chunk.count == 500 {
                alerts += live.feed(chunk)
                chunk.removeAll()
            }
        }
        alerts += live.feed(chunk)
        alerts += live.finish()
        #expect(live.counters.late == 0)
        #expect(live.counters.storeErrors == 0, "\(String(describing: live.lastStoreError))")
        // Trimming (on by default) dropped settled history along the way.
        #expect(live.counters.trims > 0)

        #expect(!batch.trips.isEmpty)
        #expect(live.trips.map { SampleReplay.key($0, live.plates) }.sorted()
                == batch.trips.map { SampleReplay.key($0, batch.plates) }.sorted())
        let batchIDs = batch.cases.map(\.id).sorted()
        #expect(!batchIDs.isEmpty)
        #expect(live.cases.map(\.id).sorted() == batchIDs)
        let batchByID = Dictionary(uniqueKeysWithValues: batch.cases.map { ($0.id, $0) })
        for c in live.cases {
            #expect(c.violations.map(\.type) == batchByID[c.id]?.violations.map(\.type), "\(c.id)")
        }
        // Every case was alerted, each violation type of it at least once.
        for c in batch.cases {
            let types = Set(alerts.filter { $0.caseID == c.id }.flatMap(\.types))
            #expect(Set(c.violations.map(\.type)).isSubset(of: types), "\(c.id)")
        }
        let stored = try store.listCases(CaseFilter()).map(\.caseID).sorted()
        #expect(stored == batchIDs)

        // Re-judged cases were written by difference (`CaseStore.upsertLive(stored:)`): the
        // store holds exactly what writing the final cases afresh holds.
        let fresh = try CaseStore(path: dir + "/fresh.sqlite")
        let clock = try SampleReplay.references().config.clock
        let run = try fresh.beginLive(clock: clock, fences: [])
        try fresh.upsertLive(runID: run, cases: live.cases, trips: [], plates: live.plates, clock: clock)
        func content(_ s: CaseStore, _ id: String) throws -> StoredCase? {
            var c = try s.loadCase(id: id)
            c?.events = []
            c?.createdRun = 0
            c?.updatedRun = 0
            return c
        }
        for id in stored { #expect(try content(store, id) == content(fresh, id), "\(id)") }
    }

    /// The sample night split over three shards by plate (as the gateway splits it), each
    /// shard's changes written through one `LiveStoreWriter`: the batch run's trips and
    /// cases, and the store holds exactly the batch case ids.
    @Test func sampleNightOverShardsEqualsBatch() throws {
        let dir = SampleReplay.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (batch, options) = try SampleReplay.batchAndLiveOptions(out: dir)
        let store = try CaseStore(path: dir + "/live.sqlite")
        let partition = try LivePartition(references: SampleReplay.references(), store: store, options: options,
                                          shards: 3)
        let writer = try #require(partition.writer)
        let (fixes, readPlates) = try SampleReplay.fixes()
        let first = partition.shards[0]
        var shardFixes = [[Fix]](repeating: [], count: 3)
        for var f in fixes {
            guard let v = first.vehicle(plate: readPlates[f.vehicle]) else { continue }  // registered trucks only
            f.vehicle = v
            shardFixes[Int(partition.shardOfVehicle[Int(v)])].append(f)
        }
        #expect(shardFixes.allSatisfy { !$0.isEmpty })
        for (k, live) in partition.shards.enumerated() {
            for chunk in stride(from: 0, to: shardFixes[k].count, by: 500) {
                _ = live.feed(Array(shardFixes[k][chunk..<min(chunk + 500, shardFixes[k].count)]))
                writer.write(live.takeWrites())
            }
        }
        for live in partition.shards {
            _ = live.finish()
            writer.write(live.takeWrites())
        }
        #expect(writer.errors == 0, "\(String(describing: writer.lastError))")
        let registered = Set(try SampleReplay.references().vehicles.map(\.id))
        let trips = partition.shards.flatMap { live in live.trips.map { SampleReplay.key($0, live.plates) } }.sorted()
        #expect(trips == batch.trips.filter { registered.contains(batch.plates[$0.vehicle]) }
            .map { SampleReplay.key($0, batch.plates) }.sorted())
        let batchIDs = batch.cases.filter { registered.contains($0.vehicleID) }.map(\.id).sorted()
        #expect(!batchIDs.isEmpty)
        #expect(partition.shards.flatMap(\.cases).map(\.id).sorted() == batchIDs)
        #expect(try store.listCases(CaseFilter()).map(\.caseID).sorted() == batchIDs)
        // Stable: the shard of a plate depends on the plate alone.
        #expect(LivePartition.shard(plate: "渝F50056", count: 3) == LivePartition.shard(plate: "渝F50056", count: 3))
    }

        /// Fixes a little late are sorted in; fixes older than the window are refused.
    @Test func reorderWindowSortsInAndRejects() throws {
        var options = LiveAnalysis.Options()
        options.reorderWindowSeconds = 20
        let live = try LiveAnalysis(references: SampleReplay.references(), options: options)
        let v = live.vehicle(addingPlate: "TEST-1")
        func fix(_ t: Int64) -> Fix { Fix(vehicle: v, time: t, lon: 108.4, lat: 30.8, speedKmh: 10) }
        _ = live.feed([fix(1000), fix(1010), fix(1005), fix(1030), fix(1002), fix(1060)])
        #expect(live.counters.late == 1)  // 1002 arrived after 1010 left the window
        #expect(live.counters.fixes == 6)
    }

    /// A truck that goes quiet: the fixes in its reorder window are analyzed once a
    /// window's length of wall time has passed, not when it reports again.
    @Test func quietVehicleIsJudgedWithoutNewFixes() throws {
        var options = LiveAnalysis.Options()
        options.reorderWindowSeconds = 3600
        let live = try LiveAnalysis(references: SampleReplay.references(), options: options)
        let (fixes, readPlates) = try SampleReplay.fixes()
        let plate = readPlates[fixes[0].vehicle]
        let v = live.vehicle(addingPlate: plate)
        let mine = fixes.filter { readPlates[$0.vehicle] == plate }.map { f -> Fix in
            var g = f
            g.vehicle = v
            return g
        }
        _ = live.feed(mine, at: 1_000)
        let before = live.trips.count
        #expect(live.releaseQuiet(at: 1_000 + 3599).isEmpty)
        #expect(live.trips.count == before)
        _ = live.releaseQuiet(at: 1_000 + 3600)
        let after = live.trips.count
        #expect(after > before)  // the last hour's trips, judged without a new fix
        _ = live.finish()
        #expect(live.trips.filter { $0.dumpedAt != nil }.count == after)
    }
}
