import Dispatch
import MuckWatchCore
import MuckWatchGeo

/// Puts a night's fixes in the order the analyzer needs them: grouped by vehicle, each
/// vehicle's fixes in `Fix.analysisOrder`.
enum FixOrdering {
    /// Sorts each vehicle's slice in `Fix.analysisOrder`, slices handed to
    /// whichever worker is free.
    static func sortEach(_ fixes: inout [Fix], ranges: [Range<Int>], threads: Int) {
        ParallelParts.forEach(&fixes, parts: ranges.filter { $0.count > 1 }, threads: threads) { _, slice in
            slice.sort(by: Fix.analysisOrder)
        }
    }

    /// Projects in `threads` contiguous chunks, one PROJ context per chunk.
    static func project(_ fixes: inout [Fix], epsg: Int, threads: Int) throws(GeoError) {
        let chunks = ParallelParts.chunks(fixes.count, fixes.count < 200_000 ? 1 : max(1, threads))
        let projectors = try chunks.map { _ throws(GeoError) in try Projector(epsg: epsg) }
        // Chunk k, and so projector k, goes to one worker only.
        let boxed = UncheckedBox(projectors)
        ParallelParts.forEach(&fixes, parts: chunks, threads: threads) { k, chunk in boxed.value[k].project(chunk) }
    }
}
