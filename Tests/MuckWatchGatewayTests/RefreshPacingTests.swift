import Testing
@testable import MuckWatchGateway

/// The store writer holds refreshes a second at ordinary rates, longer (never past the
/// bound) when writing them would take more than its share of the store queue, and sizes
/// each refresh transaction to its time budget.
struct RefreshPacingTests {
    @Test func aQuietStoreWritesRefreshesEverySecondInFullChunks() {
        var p = RefreshPacing(minDelay: 1, maxDelay: 10, share: 0.25, chunkSeconds: 0.004, maxChunk: 64)
        #expect(p.delay == 1)
        #expect(p.chunk == 64)
        p.wrote(cases: 64, seconds: 0.002)  // 31 µs a case: 128 would fit, 64 is the most
        p.cycleEnded()
        #expect(p.delay == 1)
        #expect(p.chunk == 64)
    }

    @Test func aBusyStoreHoldsRefreshesLongerUpToTheBound() {
        var p = RefreshPacing(minDelay: 1, maxDelay: 10, share: 0.25, chunkSeconds: 0.004, maxChunk: 64)
        // One cycle's refreshes took 0.5 s: held 2 s, they take a quarter of the time.
        for _ in 0..<100 { p.wrote(cases: 10, seconds: 0.005) }
        p.cycleEnded()
        #expect(abs(p.delay - 2) < 1e-9)
        // Five seconds of writing would need 20 s: held at most 10.
        for _ in 0..<1000 { p.wrote(cases: 10, seconds: 0.005) }
        p.cycleEnded()
        #expect(p.delay == 10)
        // Back to little work: back to a second.
        p.wrote(cases: 3, seconds: 0.001)
        p.cycleEnded()
        #expect(p.delay == 1)
    }

    @Test func aHoldThatEndsBeforeTheLastCycleIsWrittenDoubles() {
        var p = RefreshPacing(minDelay: 1, maxDelay: 10, share: 0.25, chunkSeconds: 0.004, maxChunk: 64)
        p.overran()
        #expect(p.delay == 2)
        for _ in 0..<5 { p.overran() }
        #expect(p.delay == 10)
        p.wrote(cases: 10, seconds: 0.01)
        p.cycleEnded()
        #expect(p.delay == 1)
    }

    @Test func slowCasesMakeSmallerTransactionsNeverBelowTheFloor() {
        var p = RefreshPacing(minDelay: 1, maxDelay: 10, share: 0.25, chunkSeconds: 0.004, minChunk: 4, maxChunk: 64)
        p.wrote(cases: 64, seconds: 0.032)  // 0.5 ms a case: 8 in 4 ms
        #expect(p.chunk == 8)
        p.wrote(cases: 8, seconds: 0.032)  // 4 ms a case, smoothed with 0.5: 2.25 ms → the floor
        #expect(p.chunk == 4)
        p.wrote(cases: 0, seconds: 0)  // a chunk of trips only changes nothing
        #expect(p.chunk == 4)
    }
}
