import Benchmark
import MuckWatchAnalysis
import MuckWatchCore

/// `analyzer.feed`: one vehicle's first 1,000 fixes (of its 1,038–1,257), projected and
/// in time order, fed through a new `VehicleAnalyzer` and finished, as `VehicleStage.run`
/// does for each truck of a batch run (analyzer made and reserved per vehicle, inside the
/// measurement); one vehicle per batch, in turn. Cleaning, fence membership (with its
/// whole-cell reuse), dwells, sensor runs, load steps and trips.
func analyzerFeed() {
    Benchmark("analyzer.feed", configuration: StageConfig.perFix) { benchmark, sample in
        let vehicles = sample.batchVehicles
        var trips = 0
        for b in benchmark.batches {
            let v = vehicles[b % vehicles.count]
            let first = sample.ranges[v].lowerBound
            trips += AnalyzerFeedTracks.analyze(sample, vehicle: v, fixes: first..<(first + Sample.batch)).trips.count
        }
        benchmark.stopMeasurement()
        blackHole(trips)
    } setup: {
        Sample.shared
    }
}

enum AnalyzerFeedTracks {
    /// The finished track of `sample.ordered[fixes]` (one vehicle's, in time order).
    static func analyze(_ sample: Sample, vehicle v: Int, fixes: Range<Int>) -> VehicleTrack {
        var analyzer = VehicleAnalyzer(vehicle: Int32(v), index: sample.index, ids: sample.ids, kinds: sample.kinds,
                                       config: sample.references.config)
        analyzer.reserve(fixes: fixes.count)
        for i in fixes { analyzer.feed(sample.ordered[i]) }
        analyzer.finish()
        return analyzer.track
    }
}
