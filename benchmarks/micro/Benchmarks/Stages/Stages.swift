import Benchmark

/// One benchmark per pipeline stage (docs/architecture.md), named by stage, over the
/// bundled sample night. Setup (reading files, building indexes) runs in each benchmark's
/// setup closure or before `startMeasurement()`, never inside the measurement. No
/// thresholds: speeds are measured and reported (benchmarks/README.md), never asserted.
let benchmarks: @Sendable () -> Void = {
    ingestCSVParse()
    projectionPROJ()
    fenceIndexQuery()
    analyzerFeed()
    rulesJudge()
    jt808Decode()
    storeWrite()
}

enum StageConfig {
    /// Hardware counters (`.instructions`) are not available on the shared VM.
    static let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .throughput, .peakMemoryResident]
    /// Malloc counts printed exactly, never rounded to K or M.
    static let units: [BenchmarkMetric: BenchmarkUnits] = [.mallocCountTotal: .count]

    /// 1,000,000 fixes per measured iteration (`Benchmark.batches`: 1,000 batches of 1,000),
    /// so scaled results read per fix and iterations are long enough (0.1–0.7 s) for the CPU
    /// time, which Linux counts in 10 ms ticks. `--scale` prints per iteration instead:
    /// milliseconds per 1M fixes are nanoseconds per fix, and malloc counts per 1M fixes.
    static let perFix = Benchmark.Configuration(metrics: metrics, units: units, warmupIterations: 1,
                                                scalingFactor: .mega, maxDuration: .seconds(5), maxIterations: 1_000)

    /// One whole night per iteration (the store write).
    static let perRun = Benchmark.Configuration(metrics: metrics, units: units, warmupIterations: 2,
                                                scalingFactor: .one, maxDuration: .seconds(3), maxIterations: 1_000)
}

extension Benchmark {
    /// The `Sample.batch`-fix batches of this iteration (`scalingFactor` fixes in all),
    /// numbered on across iterations, so inputs taken `batch % count` go round in turn.
    var batches: Range<Int> {
        let n = configuration.scalingFactor.rawValue / Sample.batch
        return (currentIteration * n)..<((currentIteration + 1) * n)
    }
}
