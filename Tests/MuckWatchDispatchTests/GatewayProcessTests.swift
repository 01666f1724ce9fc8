import Foundation
import MuckWatchCore
import MuckWatchStore
import Testing

/// The built `muckwatch gateway` with a dispatch config: its worker applies the auto-dispatch
/// rule and delivers, and its alert listener answers `/metrics`, `/healthz` and `/readyz`.
@Suite(.serialized) struct GatewayProcessTests {
    @Test(.enabled(if: ServeProcess.binary != nil, "the muckwatch binary is not built"))
    func theGatewayAutoDispatchesDeliversAndExportsItsMetrics() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let receiver = try await Receiver.start(secret: "s3cret")
        try DispatchWorld.store(at: dir.storePath, cases: 4, targets: [])
        let config = dir.path("config.json")
        writeDispatchConfig(config, url: receiver.url, secret: "s3cret",
                            rules: #"[{"name": "cover-open", "type": "unsealed", "source": "camera", "min_confidence": 0.9}]"#)
        let gateway = try ServeProcess.gateway(db: dir.storePath, config: config)
        defer { gateway.stop() }

        // Cases 0 and 2 saw the cover open at 0.95: dispatched by the rule, two departments each.
        #expect(await receiver.log.waitForDispatches(4))
        let taken = await receiver.log.taken
        #expect(Set(taken.keys.map { String($0.prefix { $0 != "/" }) }) == [DispatchWorld.caseID(0), DispatchWorld.caseID(2)])
        #expect(taken.values.allSatisfy { $0.signatureValid })

        #expect(try await gateway.get("/healthz") == (200, "ok\n"))
        #expect(try await gateway.get("/readyz") == (200, "ready\n"))
        let (status, text) = try await gateway.get("/metrics")
        #expect(status == 200)
        let m = PrometheusText(text)
        for (name, type) in [("muckwatch_gateway_fixes_total", "counter"), ("muckwatch_gateway_alerts_total", "counter"),
                             ("muckwatch_gateway_connections", "gauge"), ("muckwatch_gateway_queued_fixes", "gauge"),
                             ("muckwatch_store_write_seconds_total", "counter"), ("muckwatch_outbox_backlog", "gauge"),
                             ("muckwatch_auto_dispatched_total", "counter"), ("muckwatch_dispatch_worker_up", "gauge")] {
            #expect(m.types[name] == type, "\(name)")
        }
        #expect(m.sum("muckwatch_auto_dispatched_total") == 2)
        #expect(m.sum("muckwatch_dispatch_worker_up") == 1)
        #expect(try await gateway.get("/nothing").0 == 404)
        gateway.stop()
        await receiver.stop()
    }
}
