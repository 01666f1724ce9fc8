import Benchmark
import MuckWatchAnalysis
import MuckWatchCore
import MuckWatchJudge
import MuckWatchBatch

/// `rules.judge`: `VehicleJudge.judge` (permit matching, the 12 rules, the case builder and
/// the cases' map tracks, as a batch run calls it) over finished tracks of 1,000 fixes:
/// the `analyzer.feed` tracks, analyzed once in setup, vehicles in turn. Per fix of the
/// judged track.
func rulesJudge() {
    final class State {
        let judge: VehicleJudge
        let tracks: [(plate: String, track: VehicleTrack)]
        init() {
            let sample = Sample.shared
            judge = VehicleJudge(index: sample.index, references: sample.references)
            tracks = sample.batchVehicles.map { v in
                let first = sample.ranges[v].lowerBound
                return (sample.plates[Int32(v)],
                        AnalyzerFeedTracks.analyze(sample, vehicle: v, fixes: first..<(first + Sample.batch)))
            }
        }
    }
    Benchmark("rules.judge", configuration: StageConfig.perFix) { benchmark, s in
        var found = 0
        for b in benchmark.batches {
            let (plate, track) = s.tracks[b % s.tracks.count]
            let (trips, cases) = s.judge.judge(track, plate: plate)
            found += trips.count + cases.count
        }
        benchmark.stopMeasurement()
        blackHole(found)
    } setup: {
        State()
    }
}
