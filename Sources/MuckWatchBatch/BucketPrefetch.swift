import Dispatch
import MuckWatchCore
import MuckWatchJudge

/// Reads a bucket back from the spill, grouped by vehicle and time-sorted, on a
/// background thread, so the next bucket is ready when the current one is analyzed.
/// Holds at most one prepared bucket besides the one in hand.
final class BucketPrefetch {
    typealias Bucket = (fixes: [Fix], ranges: [Range<Int>])
    /// Used by one bucket's preparation at a time: `take` waits for it before the next starts.
    private let spill: UncheckedBox<FixSpill>
    private let vehicles: Int
    private let threads: Int
    private let queue = DispatchQueue(label: "muckwatch.bucket-prefetch")
    private var preparing: BackgroundResult<Bucket, AnalysisError>?

    init(_ spill: FixSpill, vehicles: Int, threads: Int) {
        self.spill = UncheckedBox(spill)
        self.vehicles = vehicles
        self.threads = threads
    }

    /// Starts preparing bucket `k`.
    func start(_ k: Int) {
        preparing = BackgroundResult(on: queue) { [spill, vehicles, threads] () throws(AnalysisError) -> Bucket in
            var (fixes, ranges) = try spill.value.takeGrouped(k, vehicles: vehicles)
            FixOrdering.sortEach(&fixes, ranges: ranges, threads: threads)
            return (fixes, ranges)
        }
    }

    /// The bucket started last (waits for it).
    func take() throws(AnalysisError) -> Bucket {
        guard let bucket = preparing else { throw .output("no bucket was being prepared") }
        preparing = nil
        return try bucket.get()
    }
}
