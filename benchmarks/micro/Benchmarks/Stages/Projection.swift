import Benchmark
import MuckWatchCore
import MuckWatchGeo

/// `projection.proj`: the sample's fixes projected with the project's `Projector`, one
/// batch PROJ call per 1,000 fixes (file order, in turn). Projection overwrites x and y
/// from lon and lat, so projecting the same fixes again does the same work.
func projectionPROJ() {
    final class State {
        let projector: Projector
        var fixes: [Fix]
        let count: Int
        init() throws {
            let sample = Sample.shared
            projector = try Projector(epsg: sample.epsg)
            fixes = sample.fixes
            count = fixes.count / Sample.batch
        }
    }
    Benchmark("projection.proj", configuration: StageConfig.perFix) { benchmark, s in
        s.fixes.withUnsafeMutableBufferPointer { all in
            for b in benchmark.batches {
                let lo = (b % s.count) * Sample.batch
                s.projector.project(UnsafeMutableBufferPointer(rebasing: all[lo..<(lo + Sample.batch)]))
            }
        }
        benchmark.stopMeasurement()
        blackHole(s.fixes[0].x)
    } setup: {
        try State()
    }
}
