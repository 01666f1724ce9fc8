import Benchmark
import MuckWatchCore
import MuckWatchGeo

/// `fence-index.query`: `FenceIndex.query` for each projected fix of the sample (vehicles
/// grouped and time-ordered, as the analyzer meets them; 1,000 at a time, in turn) into one
/// caller-owned buffer. Every fix is queried: the analyzer's reuse of a whole cell's last
/// answer (`VehicleAnalyzer`) is not applied here, so this is the lookup's own cost.
func fenceIndexQuery() {
    final class State {
        let index: FenceIndex
        let points: [(x: Double, y: Double)]
        let count: Int
        var buffer: [Int32] = []
        init() {
            let sample = Sample.shared
            index = sample.index
            points = sample.ordered.map { ($0.x, $0.y) }
            count = points.count / Sample.batch
            buffer.reserveCapacity(8)
        }
    }
    Benchmark("fence-index.query", configuration: StageConfig.perFix) { benchmark, s in
        var found = 0
        for b in benchmark.batches {
            let lo = (b % s.count) * Sample.batch
            for p in s.points[lo..<(lo + Sample.batch)] {
                s.index.query(x: p.x, y: p.y, into: &s.buffer)
                found &+= s.buffer.count
            }
        }
        benchmark.stopMeasurement()
        blackHole(found)
    } setup: {
        State()
    }
}
