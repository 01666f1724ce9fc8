import Foundation
import MuckWatchCore
import MuckWatchStore
import Testing
@testable import MuckWatchDispatch

/// The worker against a real HTTP receiver on loopback: refusals and hangs are retried until
/// every dispatch is taken, once per key, with a valid signature.
@Suite struct WorkerTests {
    static let secret = "s3cret"

    static func settings(_ url: String, timeoutMs: Int64 = 10_000, giveUpAfterMs: Int64 = 86_400_000) -> DispatchSettings {
        let hook = Webhook(url: url, secret: secret)
        return DispatchSettings(
            webhooks: ["city_management": hook, "housing_construction": hook],
            retry: RetryPolicy(firstDelayMs: 20, maxDelayMs: 200, giveUpAfterMs: giveUpAfterMs, timeoutMs: timeoutMs),
            pollMs: 10)
    }

    /// Passes of `worker` over the outbox until no delivery is pending (each pass sends what
    /// is due and records the answers); `false` if some still are after `seconds`. Between
    /// passes with nothing due it waits the worker's own poll interval, as its loop does.
    static func drain(_ worker: DispatchWorker, _ store: CaseStore, seconds: Double = 120) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try store.outboxCounts()[.pending] == 0 { return true }
            if try await worker.pass() == 0 { try await Task.sleep(for: .milliseconds(worker.settings.pollMs)) }
        }
        return false
    }

    @Test func aReceiverThatRefusesTheFirstTriesGetsEveryDispatch() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let receiver = try await Receiver.start(secret: Self.secret) { n in n <= 3 ? .fail(500) : .ok }
        let store = try DispatchWorld.store(at: dir.storePath, cases: 3)
        for i in 0..<3 { try store.setStatus(caseID: DispatchWorld.caseID(i), to: .dispatched, actor: "wang", note: nil) }
        let worker = try DispatchWorker(storePath: dir.storePath, settings: Self.settings(receiver.url))
        #expect(try await Self.drain(worker, store))

        let deliveries = try store.deliveries()
        #expect(deliveries.count == 6)
        #expect(deliveries.allSatisfy { $0.state == .delivered && $0.deliveredUnix != nil })
        // Three refusals, six deliveries: nine tries, more only if the loaded machine made a try
        // time out (then the receiver may have the dispatch already and drops the repeat).
        let tries = try deliveries.flatMap { d throws in try store.attempts(deliveryID: d.id) }
        let refused = tries.filter { $0.httpStatus == 500 }
        #expect(deliveries.map(\.attempts).reduce(0, +) >= 9, "\(tries)")
        #expect(refused.count == 3 || tries.count > 9, "\(tries)")
        #expect(refused.allSatisfy { $0.error?.hasPrefix("HTTP 500") == true })
        let taken = await receiver.log.taken
        #expect(Set(taken.keys) == Set(deliveries.map(\.idempotencyKey)))
        #expect(taken.values.allSatisfy { $0.signatureValid })
        #expect(await receiver.log.duplicates <= tries.count - 6 - refused.count, "\(tries)")
        // The body is the case as in cases.json, plus what the dispatch was.
        let body = try #require(taken[deliveries[0].idempotencyKey]?.body)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect(json["case_id"] as? String == deliveries[0].caseID)
        #expect(json["status"] as? String == "dispatched")
        #expect((json["violations"] as? [[String: Any]])?.first?["type"] as? String == "unsealed")
        let dispatch = try #require(json["dispatch"] as? [String: Any])
        #expect(dispatch["department"] as? String == deliveries[0].department)
        #expect(dispatch["actor"] as? String == "wang")
        await receiver.stop()
    }

    @Test func aHangingReceiverIsTriedAgainAfterTheTimeoutAndDeduplicates() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let receiver = try await Receiver.start(secret: Self.secret) { n in n == 1 ? .hang(.seconds(1)) : .ok }
        let store = try DispatchWorld.store(at: dir.storePath, cases: 1, targets: ["city_management"])
        try store.setStatus(caseID: DispatchWorld.caseID(0), to: .dispatched, actor: "wang", note: nil)
        let worker = try DispatchWorker(storePath: dir.storePath, settings: Self.settings(receiver.url, timeoutMs: 200))
        #expect(try await Self.drain(worker, store))

        let d = try #require(try store.deliveries().first)
        let tries = try store.attempts(deliveryID: d.id)
        #expect(d.state == .delivered && d.attempts >= 2, "\(tries)")
        #expect(tries.first?.httpStatus == nil && tries.first?.error?.contains("no answer within 200 ms") == true)
        #expect(tries.last?.httpStatus == 200)
        // Both tries sent the same bytes under the same key; the receiver kept one.
        #expect(await receiver.log.taken.count == 1)
        let duplicates = await receiver.log.duplicates
        #expect(duplicates >= 1 && duplicates <= tries.count - 1, "\(tries)")
        await receiver.stop()
    }

    @Test func aDeliveryStillRefusedAfterItsWindowIsMarkedFailed() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let receiver = try await Receiver.start(secret: Self.secret) { _ in .fail(503) }
        let store = try DispatchWorld.store(at: dir.storePath, cases: 1, targets: ["city_management"])
        try store.setStatus(caseID: DispatchWorld.caseID(0), to: .dispatched, actor: "wang", note: nil)
        let worker = try DispatchWorker(storePath: dir.storePath,
                                        settings: Self.settings(receiver.url, timeoutMs: 10_000, giveUpAfterMs: 1))
        _ = try await worker.pass()
        let d = try #require(try store.deliveries().first)
        let tries = try store.attempts(deliveryID: d.id)
        #expect(d.state == .failed && d.attempts == 1 && d.lastError != nil, "\(tries)")
        #expect(tries.first?.httpStatus == 503 || tries.first?.httpStatus == nil, "\(tries)")
        #expect(try store.outboxCounts()[.failed] == 1)
        #expect(try await worker.pass() == 0)  // never tried again
        await receiver.stop()
    }

    @Test func aDepartmentWithoutAWebhookInThisConfigWaitsWithAReason() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try DispatchWorld.store(at: dir.storePath, cases: 1, targets: ["transport"])
        try store.setDispatchTargets(["city_management"])
        try store.setStatus(caseID: DispatchWorld.caseID(0), to: .dispatched, actor: "wang", note: nil)
        var settings = Self.settings("http://127.0.0.1:9/hook")
        settings.webhooks = ["transport": Webhook(url: "http://127.0.0.1:9/hook", secret: "x")]
        let worker = try DispatchWorker(storePath: dir.storePath, settings: settings)
        _ = try await worker.pass()
        let d = try #require(try store.deliveries().first)
        #expect(d.state == .pending && d.lastError == "no webhook for department city_management in the config")
    }
}
