import Foundation
import MuckWatchCore
import MuckWatchStore
import Testing

/// The built `muckwatch serve` with a dispatch config, killed with SIGKILL while deliveries
/// are in flight and while more cases are dispatched: after a restart every dispatch arrives,
/// signed, and a receiver deduplicating by key sees each once. Its `/metrics` and `/readyz`
/// are scraped on the way.
@Suite(.serialized) struct ServeKillTests {
    static let secret = "s3cret"

    @Test(.enabled(if: ServeProcess.binary != nil, "the muckwatch binary is not built"))
    func aServerKilledMidDeliveryDeliversEverythingAfterRestart() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // The first two POSTs are taken but answered too late: the server dies waiting.
        let receiver = try await Receiver.start(secret: Self.secret) { n in n <= 2 ? .hang(.seconds(3)) : .ok }
        let store = try DispatchWorld.store(at: dir.storePath, cases: 20, targets: [])
        let config = dir.path("config.json")
        writeDispatchConfig(config, url: receiver.url, secret: Self.secret)

        var serve = try ServeProcess(db: dir.storePath, config: config)
        // Ready once the worker has written the config's departments into the store: asked as
        // a load balancer would, until it says so.
        #expect(try await serve.waitUntilReady())
        #expect(try store.dispatchTargets() == ["city_management", "housing_construction"])
        for i in 0..<10 { try store.setStatus(caseID: DispatchWorld.caseID(i), to: .dispatched, actor: "wang", note: nil) }
        #expect(await receiver.log.waitForPosts(1))
        serve.kill9()
        let deliveredBeforeKill = try store.outboxCounts()[.delivered] ?? 0
        #expect(deliveredBeforeKill < 20)
        // Dispatched while no server runs: the rows wait in the store.
        for i in 10..<20 { try store.setStatus(caseID: DispatchWorld.caseID(i), to: .dispatched, actor: "wang", note: nil) }

        serve = try ServeProcess(db: dir.storePath, config: config)
        defer { serve.stop() }
        #expect(await receiver.log.waitForDispatches(40))
        let keys = Set(try store.deliveries().map(\.idempotencyKey))
        #expect(keys.count == 40)
        let taken = await receiver.log.taken
        #expect(Set(taken.keys) == keys)
        #expect(taken.values.allSatisfy { $0.signatureValid })
        #expect(await receiver.log.posts >= 40)

        // The server records each answer just after the receiver has it: another process, so
        // the store is polled (there is no event to wait on across processes).
        let deadline = Date().addingTimeInterval(60)
        while try store.outboxCounts()[.delivered] != 40, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try store.outboxCounts() == [.pending: 0, .delivered: 40, .failed: 0])

        // Metrics: request counts and durations of this server, the worker's counters and gauges.
        _ = try await serve.get("/healthz")
        let (status, text) = try await serve.get("/metrics")
        #expect(status == 200)
        let metrics = PrometheusText(text)
        #expect(metrics.types["muckwatch_dispatch_delivered_total"] == "counter")
        #expect(metrics.types["muckwatch_outbox_backlog"] == "gauge")
        #expect(metrics.types["muckwatch_dispatch_attempt_duration_seconds"] == "histogram")
        #expect(metrics.types["hb_requests"] == "counter")
        #expect(metrics.types["http_server_request_duration"] == "histogram")
        #expect(metrics.types["muckwatch_store_call_duration_seconds"] == "histogram")
        #expect((metrics.sum("muckwatch_dispatch_delivered_total") ?? 0) >= 1)
        let before = metrics.sum("hb_requests") ?? 0
        for _ in 0..<3 { _ = try await serve.get("/healthz") }
        let after = PrometheusText(try await serve.get("/metrics").1)
        #expect((after.sum("hb_requests") ?? 0) >= before + 3)
        serve.stop()
        await receiver.stop()
    }
}

/// Prometheus text format, parsed as a scraper reads it: `# TYPE name type` lines and samples.
struct PrometheusText {
    var types: [String: String] = [:]
    /// Sample name (labels dropped) → values.
    var samples: [String: [Double]] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
            } else if !line.hasPrefix("#") {
                let name = line.prefix { $0 != "{" && $0 != " " }
                if let v = line.split(separator: " ").last.flatMap({ Double($0) }) { samples[String(name), default: []].append(v) }
            }
        }
    }

    func sum(_ name: String) -> Double? { samples[name].map { $0.reduce(0, +) } }
}
