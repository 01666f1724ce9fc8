import Dispatch
import Foundation
import MuckWatchCore

/// Hands parsed fixes to the buckets on a serial background queue, in order, so the main
/// thread can cut and parse the next pieces meanwhile. At most `depth` batches wait, which
/// bounds the memory held in flight; the first error is kept and thrown by `finish`.
final class SpillFeeder: @unchecked Sendable {
    let spill: FixSpill
    private let queue = DispatchQueue(label: "muckwatch.spill")
    private let slots: DispatchSemaphore
    private var error: AnalysisError?
    private(set) var seconds = 0.0

    init(_ spill: FixSpill, depth: Int = 2) {
        self.spill = spill
        slots = DispatchSemaphore(value: depth)
    }

    /// Queues batches of fixes to be added in the given order.
    func add(_ batches: [[Fix]]) {
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard error == nil else { return }
            let t0 = Date()
            do throws(AnalysisError) {
                for fixes in batches { try spill.add(fixes) }
            } catch {
                self.error = error
            }
            seconds += Date().timeIntervalSince(t0)
        }
    }

    /// Waits until everything queued is added; throws the first failure.
    func finish() throws(AnalysisError) {
        queue.sync {}
        if let error { throw error }
    }
}
