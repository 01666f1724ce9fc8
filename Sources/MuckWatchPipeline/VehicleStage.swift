import Dispatch
import MuckWatchCore
import MuckWatchGeo
import MuckWatchAnalysis
import MuckWatchRules
import MuckWatchCases

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
    let registry: [String: Vehicle]
    /// Permits by the plates they name.
    let permitsByPlate: [String: [Permit]]
    let camerasByPlate: [String: [CameraEvent]]

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
        for i in ranges[v] { analyzer.feed(fixes[i]) }
        analyzer.finish()
        let judged = VehicleJudge(index: index, config: config, registry: registry, permitsByPlate: permitsByPlate,
                                  camerasByPlate: camerasByPlate).judge(analyzer.track, plate: plate)
        let (trips, cases) = judged
        return Outcome(trips: trips, cases: cases, duplicates: analyzer.duplicates, outliers: analyzer.outliers,
                       hasFixes: !ranges[v].isEmpty)
    }

    /// Runs the given vehicles on `threads` workers; results come back in the given order,
    /// so the output depends neither on the thread count nor on the bucket count.
    func runAll(vehicles: [Int], threads: Int) -> [Outcome] {
        let n = vehicles.count
        let results = ResultSlots<Outcome>(count: n)
        let workers = max(1, min(threads, n))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var k = w
            while k < n {
                results[k] = run(vehicle: vehicles[k])
                k += workers
            }
        }
        return results.values
    }
}

/// Fixed slots written by distinct indices from concurrent workers, read after they join.
/// One raw allocation, so concurrent writers never touch shared Array bookkeeping.
final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<T?>
    private let count: Int
    init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: nil, count: count)
    }
    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }
    subscript(i: Int) -> T? {
        get { precondition(i >= 0 && i < count); return base[i] }
        set { precondition(i >= 0 && i < count); base[i] = newValue }
    }
    var values: [T] { (0..<count).map { base[$0]! } }
}

