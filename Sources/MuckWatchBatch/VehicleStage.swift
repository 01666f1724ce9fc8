import Dispatch
import Foundation
import MuckWatchCore
import MuckWatchGeo
import MuckWatchAnalysis
import MuckWatchJudge

/// Analyzer → rules → cases for one vehicle: the part of the pipeline that runs once
/// per truck, independently, so vehicles are spread over every core.
struct VehicleStage: Sendable {
    let fixes: [Fix]
    /// Each vehicle's slice of `fixes` (grouped and time-ordered).
    let ranges: [Range<Int>]
    let plates: PlateTable
    let index: FenceIndex
    let ids: [String]
    let kinds: [FenceKind]
    let config: Config
    /// Rules → cases for the analyzed track (built once per run).
    let judge: VehicleJudge
    /// The run's last fix time: manifests' closing limits are judged up to it.
    let dataEnd: Int64

    struct Outcome: Sendable {
        var trips: [Trip] = []
        var cases: [Case] = []
        var duplicates = 0
        var outliers = 0
        var hasFixes = false
    }

    func run(vehicle v: Int) -> Outcome {
        let plate = plates[Int32(v)]
        var analyzer = VehicleAnalyzer(vehicle: Int32(v), index: index, ids: ids, kinds: kinds, config: config)
        analyzer.reserve(fixes: ranges[v].count)
        for i in ranges[v] { analyzer.feed(fixes[i]) }
        analyzer.finish()
        let (trips, cases) = judge.judge(analyzer.track, plate: plate, dataEnd: dataEnd)
        return Outcome(trips: trips, cases: cases, duplicates: analyzer.duplicates, outliers: analyzer.outliers,
                       hasFixes: !ranges[v].isEmpty)
    }

    /// Runs the given vehicles on `threads` workers; results come back in the given order,
    /// so the output depends neither on the thread count nor on the bucket count.
    /// - Parameter done: called (on the worker's thread) with each vehicle and its outcome as it is finished.
    func runAll(vehicles: [Int], threads: Int, done: @Sendable (Int, Outcome) -> Void = { _, _ in }) -> [Outcome] {
        let n = vehicles.count
        let results = ResultSlots<Outcome>(count: n)
        // Workers take the next truck when free, so a few long tracks do not leave a core
        // idle at the end.
        let queue = WorkQueue(count: n)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, n))) { _ in
            while let k = queue.next() {
                let outcome = run(vehicle: vehicles[k])
                done(vehicles[k], outcome)
                results[k] = outcome
            }
        }
        return results.values
    }
}
