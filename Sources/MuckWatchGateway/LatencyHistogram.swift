/// Durations counted in 1 ms buckets up to 4 s (longer ones in the last bucket, the
/// longest kept exactly): the gateway's own timings of where an alert's time goes, read
/// by stats and load tests, in fixed memory however long the gateway runs.
public struct LatencyHistogram: Sendable, Equatable {
    private var buckets = [Int](repeating: 0, count: 4001)
    public private(set) var count = 0
    /// The longest duration recorded, milliseconds.
    public private(set) var maxMilliseconds = 0.0

    public init() {}

    /// Records one duration given in nanoseconds.
    public mutating func record(nanoseconds: UInt64) {
        let ms = Double(nanoseconds) / 1e6
        buckets[min(Int(ms), buckets.count - 1)] += 1
        count += 1
        maxMilliseconds = max(maxMilliseconds, ms)
    }

    /// The duration (milliseconds, the upper edge of its bucket) under which a share `q`
    /// of the recorded ones fall; 0 when nothing was recorded.
    public func quantile(_ q: Double) -> Double {
        guard count > 0 else { return 0 }
        let rank = max(1, Int((q * Double(count)).rounded(.up)))
        var seen = 0
        for (ms, n) in buckets.enumerated() {
            seen += n
            guard seen >= rank else { continue }
            return ms == buckets.count - 1 ? maxMilliseconds : min(Double(ms + 1), maxMilliseconds)
        }
        return maxMilliseconds
    }

    /// What was recorded after `earlier` (a copy of this histogram taken before). Its
    /// longest duration is not known for the interval: the longest overall stands in.
    public func since(_ earlier: LatencyHistogram) -> LatencyHistogram {
        var d = self
        for i in d.buckets.indices { d.buckets[i] -= earlier.buckets[i] }
        d.count -= earlier.count
        return d
    }

    public static func += (lhs: inout LatencyHistogram, rhs: LatencyHistogram) {
        for i in lhs.buckets.indices { lhs.buckets[i] += rhs.buckets[i] }
        lhs.count += rhs.count
        lhs.maxMilliseconds = max(lhs.maxMilliseconds, rhs.maxMilliseconds)
    }
}
