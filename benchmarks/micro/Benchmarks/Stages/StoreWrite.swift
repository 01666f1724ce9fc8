import Benchmark
import Foundation
import MuckWatchCore
import MuckWatchBatch
import MuckWatchStore

/// `store.write`: the sample night's `RunResult` (from `Analysis.run` on the sample, once,
/// in setup) written with `CaseStore.write` into a fresh SQLite store in a temporary folder:
/// the run's one transaction (run row, metadata, cases, violations, evidence, trips, map
/// data, registry). Opening the store (schema migrations) and closing it (the WAL
/// checkpoint on close) are outside the measurement. One night per iteration.
func storeWrite() {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("muckwatch-micro-\(getpid())-store")
    final class State {
        let run: RunResult
        let dir: URL
        init(dir: URL) throws {
            run = try Analysis.run(Sample.shared.options)
            self.dir = dir
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
    }
    Benchmark("store.write", configuration: StageConfig.perRun) { benchmark, s in
        let path = s.dir.appendingPathComponent("muckwatch-\(benchmark.currentIteration).sqlite").path
        do {
            let store = try CaseStore(path: path)
            // Kept alive past the measurement: closing the store (its checkpoint) is not part of it.
            try withExtendedLifetime(store) {
                benchmark.startMeasurement()
                let id = try store.write(s.run)
                benchmark.stopMeasurement()
                blackHole(id)
            }
        } catch {
            benchmark.error("store.write: \(error)")
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    } setup: {
        try State(dir: dir)
    } teardown: {
        try? FileManager.default.removeItem(at: dir)
    }
}
