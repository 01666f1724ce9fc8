import Dispatch
import MuckWatchCore
import MuckWatchJudge

/// Reads a bucket back from the spill, grouped by vehicle and time-sorted, on a
/// background thread, so the next bucket is ready when the current one is analyzed.
/// Holds at most one prepared bucket besides the one in hand.
final class BucketPrefetch: @unchecked Sendable {
    private let spill: FixSpill
    private let vehicles: Int
    private let threads: Int
    private let queue = DispatchQueue(label: "muckwatch.bucket-prefetch")
    private let group = DispatchGroup()
    private var result: Result<(fixes: [Fix], ranges: [Range<Int>]), AnalysisError>?

    init(_ spill: FixSpill, vehicles: Int, threads: Int) {
        self.spill = spill
        self.vehicles = vehicles
        self.threads = threads
    }

    /// Starts preparing bucket `k`.
    func start(_ k: Int) {
        group.enter()
        queue.async { [self] in
            defer { group.leave() }
            do throws(AnalysisError) {
                var (fixes, ranges) = try spill.takeGrouped(k, vehicles: vehicles)
                FixOrdering.sortEach(&fixes, ranges: ranges, threads: threads)
                result = .success((fixes, ranges))
            } catch {
                result = .failure(error)
            }
        }
    }

    /// The bucket started last (waits for it).
    func take() throws(AnalysisError) -> (fixes: [Fix], ranges: [Range<Int>]) {
        group.wait()
        defer { result = nil }
        switch result {
        case .success(let r): return r
        case .failure(let e): throw e
        case nil: throw .output("no bucket was being prepared")
        }
    }
}
