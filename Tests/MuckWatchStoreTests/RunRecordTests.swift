import MuckWatchCore
@testable import MuckWatchStore
import Testing
import MuckWatchTestSupport

/// The run record: written as `run_metadata` rows (the keys and text `benchmarks/run` and
/// older stores use) and read back typed.
struct RunRecordTests {
    static let record = RunRecord(
        startedAt: night + 5,
        inputs: RunInputs(references: ReferenceFiles(fences: "geofences/fences.geojson", permits: "refs/permits.csv",
                                                     config: "muckwatch.toml", fenceCoords: .wgs84),
                          traces: ["traces/a.csv", "traces/b.csv"], traceDatum: .gcj02),
        projectionEPSG: 4527, timezone: "Asia/Shanghai", buckets: 3,
        dataSpan: (night - 7200)...(night + 32_400),
        stageTimings: [StageTiming("references", seconds: 0.012), StageTiming("read+parse", seconds: 1.5),
                       StageTiming("bucket (background)", seconds: 0.25)])

    /// A store holding the sample run with `record`, and the run's id.
    static func storeWithRecord(_ backend: StoreBackend = .sqlite) throws -> (dir: TempDir, store: CaseStore, run: Int64) {
        let dir = try TempDir(backend)
        let store = try CaseStore(path: dir.storePath, now: { night + 600 })
        var run = sampleRun()
        run.record = record
        return (dir, store, try store.write(run))
    }

    @Test(arguments: StoreBackend.allCases) func aBatchRunsRecordReadsBackEqual(backend: StoreBackend) throws {
        let (dir, store, id) = try Self.storeWithRecord(backend)
        defer { dir.cleanup() }
        var expected = Self.record
        // The store keeps timings by stage name.
        expected.stageTimings.sort { $0.stage < $1.stage }
        #expect(try store.runRecord(id: id) == expected)
        #expect(try store.runRecord(id: id + 1) == nil)
    }

    @Test(arguments: StoreBackend.allCases) func aLiveSessionsRecordSaysLiveAndWhenItStarted(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 600 })
        let id = try store.beginLive(clock: .shanghai, fences: [], record: RunRecord(projectionEPSG: 4527))
        #expect(try store.runRecord(id: id) == RunRecord(mode: .live, startedAt: night + 600, projectionEPSG: 4527))
    }

    /// The rows are those `analyze` wrote before the record was typed: same keys, same text.
    @Test(arguments: StoreBackend.allCases) func theRowsOnDiskKeepTheirKeysAndText(backend: StoreBackend) throws {
        let (dir, store, id) = try Self.storeWithRecord(backend)
        defer { dir.cleanup() }
        // The run's summary counts sit beside the record (`summary.…`, RunSummaryTests).
        let s = try store.db.prepare("""
            SELECT key, value FROM run_metadata WHERE run_id = \(id) AND key NOT LIKE 'summary.%' ORDER BY key
            """)
        var rows: [String: String] = [:]
        while try s.step() { rows[s.text(0)] = s.text(1) }
        #expect(rows == [
            "started_at": "2026-11-20T22:00:05+08:00", "fences": "geofences/fences.geojson",
            "traces": "traces/a.csv traces/b.csv", "cameras": "", "permits": "refs/permits.csv", "vehicles": "",
            "fence_coords": "wgs84", "trace_coords": "gcj02", "config": "muckwatch.toml", "projection": "EPSG:4527",
            "timezone": "Asia/Shanghai", "buckets": "3", "data_from": "2026-11-20T20:00:00+08:00",
            "data_to": "2026-11-21T07:00:00+08:00", "seconds_references": "0.012", "seconds_read+parse": "1.500",
            "seconds_bucket (background)": "0.250",
        ])
    }

    @Test(arguments: StoreBackend.allCases) func anUnreadableValueIsCorruptAndNamesTheKey(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night })
        let id = try store.write(sampleRun())
        try store.db.execute("INSERT INTO run_metadata(run_id, key, value) VALUES (\(id), 'projection', 'UTM 49')")
        #expect(throws: StoreError.corrupt(what: "projection UTM 49 of run \(id)")) { try store.runRecord(id: id) }
    }
}
