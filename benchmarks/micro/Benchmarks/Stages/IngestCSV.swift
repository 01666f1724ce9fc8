import Benchmark
import MuckWatchCore
import MuckWatchIngest

/// `ingest.csv-parse`: the sample's CSV bytes, already in memory as record-aligned chunks
/// of 1,000 data rows, parsed into fixes the way `ParallelParse` does it: each chunk with
/// a copy of one `PlateCache` seeded with the run's plates, into a reused fixes array
/// (as `FixArrayPool` hands them out). Chunks in turn.
func ingestCSVParse() {
    final class State {
        let pieces: [TraceChunk]
        let seed: PlateCache
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        init() throws {
            let sample = Sample.shared
            pieces = try sample.csvPieces()
            seed = PlateCache(sample.plates)
            fixes.reserveCapacity(Sample.batch)
        }
    }
    Benchmark("ingest.csv-parse", configuration: StageConfig.perFix) { benchmark, s in
        var rows = 0
        for b in benchmark.batches {
            var cache = s.seed
            s.fixes.removeAll(keepingCapacity: true)
            s.rejects.removeAll(keepingCapacity: true)
            rows += s.pieces[b % s.pieces.count].parse(plates: &cache, fixes: &s.fixes, rejects: &s.rejects)
        }
        benchmark.stopMeasurement()
        precondition(rows == benchmark.scaledIterations.count, "ingest.csv-parse: \(rows) rows")
        blackHole(s.fixes.count)
    } setup: {
        try State()
    }
}
