import Dispatch
import MuckWatchCore
import MuckWatchGeo

/// Puts a night's fixes in the order the analyzer needs them: grouped by vehicle, each
/// vehicle's fixes in `Fix.analysisOrder`.
enum FixOrdering {
    /// Sorts each vehicle's slice in `Fix.analysisOrder`, slices handed to
    /// whichever worker is free.
    static func sortEach(_ fixes: inout [Fix], ranges: [Range<Int>], threads: Int) {
        let vehicles = ranges.count
        let workers = max(1, min(threads, vehicles))
        fixes.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(buffer)
            let queue = WorkQueue(count: vehicles)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let v = queue.next() {
                    let r = ranges[v]
                    if r.count > 1 {
                        var slice = UnsafeMutableBufferPointer(rebasing: shared.buffer[r])
                        slice.sort(by: Fix.analysisOrder)
                    }
                }
            }
        }
    }

    /// Projects in `threads` contiguous chunks, one PROJ context per thread.
    static func project(_ fixes: inout [Fix], epsg: Int, threads: Int) throws(GeoError) {
        let workers = fixes.count < 200_000 ? 1 : max(1, threads)
        let projectors = try (0..<workers).map { _ throws(GeoError) in try Projector(epsg: epsg) }
        let boxed = UncheckedBox(projectors)
        let n = fixes.count
        fixes.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = n * w / workers, hi = n * (w + 1) / workers
                boxed.value[w].project(UnsafeMutableBufferPointer(rebasing: shared.buffer[lo..<hi]))
            }
        }
    }
}
