import Testing
@testable import MuckWatchGateway

/// The gateway's own latency counts: quantiles to the millisecond, long ones kept exactly
/// as the maximum, totals of several added.
struct LatencyHistogramTests {
    @Test func quantilesAreTheBucketEdgesUnderWhichTheShareFalls() {
        var h = LatencyHistogram()
        #expect(h.quantile(0.99) == 0)
        for ms in 0..<100 { h.record(nanoseconds: UInt64(ms) * 1_000_000 + 500_000) }  // 0.5, 1.5, … 99.5 ms
        #expect(h.count == 100)
        #expect(h.quantile(0.5) == 50)  // the 50th is 49.5 ms, in the bucket [49, 50)
        #expect(h.quantile(0.99) == 99)
        #expect(h.quantile(1) == 99.5)  // the top bucket's edge is past the longest: the longest
        #expect(h.maxMilliseconds == 99.5)
    }

    @Test func durationsPastTheLastBucketKeepTheirMaximum() {
        var h = LatencyHistogram()
        h.record(nanoseconds: 2_000_000)
        h.record(nanoseconds: 12_345_000_000)  // 12.3 s
        #expect(h.quantile(0.5) == 3)
        #expect(abs(h.quantile(1) - 12_345) < 1e-6)  // past 4 s: the longest
        #expect(abs(h.maxMilliseconds - 12_345) < 1e-6)
    }

    @Test func addedHistogramsCountBoth() {
        var a = LatencyHistogram(), b = LatencyHistogram()
        a.record(nanoseconds: 1_000_000)
        b.record(nanoseconds: 30_000_000)
        b.record(nanoseconds: 31_000_000)
        a += b
        #expect(a.count == 3)
        #expect(a.quantile(0.34) == 31)
        #expect(a.maxMilliseconds == 31)
    }

    @Test func sinceAnEarlierCopyCountsOnlyWhatCameAfter() {
        var h = LatencyHistogram()
        for _ in 0..<99 { h.record(nanoseconds: 500_000) }  // 99 quick ones
        let earlier = h
        h.record(nanoseconds: 700_000_000)  // then one slow
        let d = h.since(earlier)
        #expect(d.count == 1)
        #expect(d.quantile(0.5) == 700)
        #expect(h.quantile(0.5) == 1)  // overall still quick
    }
}
