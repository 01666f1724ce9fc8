import Foundation
import MuckWatchCore
import MuckWatchStore
import Testing
@testable import MuckWatchDispatch

/// Status change committed → receiver got the POST, over 1,000 dispatches (one department
/// each): once as a burst (all committed at once), then paced at 100 a second (below what a
/// debug build sustains on 2 shared cores, ~250/s) with the default poll and a 10 ms one.
/// Prints p50 and p99; `MUCKWATCH_DISPATCHES=N` changes the count. Asserts only that every
/// dispatch arrives (the numbers depend on the machine).
///
///     swift test --filter DeliveryLatencyTests
@Suite(.serialized) struct DeliveryLatencyTests {
    static let count = ProcessInfo.processInfo.environment["MUCKWATCH_DISPATCHES"].flatMap { Int($0) } ?? 1000

    func measure(pacedPerSecond: Int?, pollMs: Int64) async throws -> (p50: Double, p99: Double, seconds: Double) {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let receiver = try await Receiver.start(secret: "s3cret")
        let n = Self.count
        let store = try DispatchWorld.store(at: dir.storePath, cases: n, targets: ["city_management"])
        var settings = WorkerTests.settings(receiver.url)
        settings.webhooks["housing_construction"] = nil
        settings.pollMs = pollMs
        let worker = try DispatchWorker(storePath: dir.storePath, settings: settings)
        let task = Task { await worker.run() }
        var committed: [String: Date] = [:]
        let start = Date()
        for i in 0..<n {
            let id = DispatchWorld.caseID(i)
            try store.setStatus(caseID: id, to: .dispatched, actor: "wang", note: nil)
            committed[id] = Date()
            if let rate = pacedPerSecond {
                let due = start.addingTimeInterval(Double(i + 1) / Double(rate))
                let wait = due.timeIntervalSinceNow
                if wait > 0 { try await Task.sleep(for: .milliseconds(Int(wait * 1000))) }  // pacing, not synchronisation
            }
        }
        #expect(await receiver.log.waitForDispatches(n, timeout: .seconds(120)))
        let seconds = Date().timeIntervalSince(start)
        var latencies: [Double] = []
        for (key, t) in await receiver.log.taken {
            let id = String(key.prefix { $0 != "/" })
            if let c = committed[id] { latencies.append(t.at.timeIntervalSince(c) * 1000) }
        }
        #expect(latencies.count == n)
        task.cancel()
        await task.value
        await receiver.stop()
        latencies.sort()
        func q(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(p * Double(latencies.count)))] }
        return (q(0.5), q(0.99), seconds)
    }

    @Test func deliveryLatencyAtAThousandDispatches() async throws {
        for (label, paced, poll) in [("burst", nil, Int64(100)), ("paced 100/s", 100, Int64(100)), ("paced 100/s", 100, Int64(10))] as [(String, Int?, Int64)] {
            let r = try await measure(pacedPerSecond: paced, pollMs: poll)
            print(String(format: "dispatch latency, %d dispatches, %@ (poll %d ms): p50 %.1f ms, p99 %.1f ms, all delivered in %.2f s",
                         Self.count, label, poll, r.p50, r.p99, r.seconds))
        }
    }
}
