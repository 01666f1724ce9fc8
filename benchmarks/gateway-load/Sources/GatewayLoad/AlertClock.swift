import Foundation
import NIOConcurrencyHelpers

/// Send times of the frames that trigger alerts, and the latency of each alert received.
final class AlertClock: @unchecked Sendable {
    private let lock = NIOLock()
    /// sentAt[terminal][k]: when the frame carrying the k-th alert's trigger fix was sent (ns).
    private var sentAt: [[UInt64]]
    private var received: [Int]
    private(set) var latenciesMs: [Double] = []
    private(set) var unmatched = 0
    private(set) var total = 0

    init(alertsPerTerminal: [Int]) {
        sentAt = alertsPerTerminal.map { [UInt64](repeating: 0, count: $0) }
        received = [Int](repeating: 0, count: alertsPerTerminal.count)
    }

    func sent(terminal: Int, alert k: Int, at t: UInt64) {
        lock.withLock { sentAt[terminal][k] = t }
    }

    func received(terminal: Int, at t: UInt64) {
        lock.withLock {
            total += 1
            let k = received[terminal]
            received[terminal] += 1
            guard k < sentAt[terminal].count, sentAt[terminal][k] > 0, t >= sentAt[terminal][k] else {
                unmatched += 1
                return
            }
            latenciesMs.append(Double(t - sentAt[terminal][k]) / 1e6)
        }
    }

    func snapshot() -> (latencies: [Double], unmatched: Int, total: Int) {
        lock.withLock { (latenciesMs, unmatched, total) }
    }
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func percentile(_ sorted: [Double], _ p: Double) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let i = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[i]
}
