import Testing
@testable import MuckWatchGateway

/// The periodic health line reports the last interval: rates over its length, latencies
/// of the alerts sent in it, the store writer's share of it.
struct GatewayHealthTests {
    @Test func theLineDescribesTheIntervalBetweenTwoSamples() {
        var stats = GatewayStats()
        stats.connectionsOpen = 10_000
        stats.counts.fixes = 1_000
        var store = StoreActivity()
        store.secondsWriting = 1
        store.cpuSecondsWriting = 0.5
        store.alertSinceRead.record(nanoseconds: 900_000_000)  // before the interval: not reported
        let earlier = GatewayHealth.Sample(at: 0, stats: stats, store: store, shardWait: LatencyHistogram(),
                                           queuedFixes: 0, alertsSent: 7)
        stats.counts.fixes += 600_000
        stats.readPauses = 3
        store.secondsWriting += 30  // half of 60 s
        store.cpuSecondsWriting += 15
        for _ in 0..<100 { store.alertSinceRead.record(nanoseconds: 4_200_000) }
        for _ in 0..<100 { store.alertSinceRaised.record(nanoseconds: 2_100_000) }
        var wait = LatencyHistogram()
        wait.record(nanoseconds: 1_000_000)
        let now = GatewayHealth.Sample(at: 60_000_000_000, stats: stats, store: store, shardWait: wait,
                                       queuedFixes: 812, alertsSent: 107)
        let f = Dictionary(uniqueKeysWithValues: GatewayHealth.fields(now, since: earlier).map { ($0.key, $0.value) })
        #expect(f["connections"] == "10000")
        #expect(f["fixes_per_s"] == "10000")
        #expect(f["queued_fixes"] == "812")
        #expect(f["read_pauses"] == "3")
        #expect(f["alerts"] == "100")
        #expect(f["alert_ms_p50"] == "5")
        #expect(f["alert_ms_p99"] == "5")
        #expect(f["store_wait_ms_p99"] == "3")
        #expect(f["shard_wait_ms_p99"] == "1")  // the bucket [1, 2) ms, capped by the longest, 1 ms
        #expect(f["store_busy"] == "50%")
        #expect(f["store_cpu"] == "25%")
        #expect(f["store_errors"] == "0")
    }
}
