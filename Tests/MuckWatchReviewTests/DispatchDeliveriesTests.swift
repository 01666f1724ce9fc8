import Foundation
import Hummingbird
import HummingbirdTesting
import MuckWatchCore
import MuckWatchReview
import MuckWatchStore
import Testing
import MuckWatchTestSupport

/// Issue #20 in the review app: an officer's dispatch writes the case's deliveries with the
/// status change, the case page shows each delivery's tries, and `/readyz` and `/metrics` answer.
@Suite("Review app: dispatch deliveries")
struct DispatchDeliveriesTests {
    @Test("An officer's dispatch writes a delivery per department with a webhook; the case page shows its tries", arguments: StoreBackend.allCases)
    func officerDispatch(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        let c = try world.caseRouted(to: "city_management")
        try world.store().setDispatchTargets(["city_management"])
        try await world.app().test(.router) { client in
            let store = try world.store()
            var b = Browser()
            try await b.login(client, "wang")
            let before = try await b.get(client, "/cases/\(c.caseID)")
            #expect(!before.text.contains("id=\"deliveries\""))
            try await b.get(client, "/cases/\(c.caseID)")
            let r = try await b.post(client, "/cases/\(c.caseID)/status", ["to": "dispatched", "note": "go"])
            #expect(r.status == .seeOther)

            let d = try #require(try store.deliveries(caseID: c.caseID).first)
            #expect(d.department == "city_management" && d.state == .pending)
            let pending = try await b.get(client, "/cases/\(c.caseID)")
            #expect(pending.text.contains("id=\"delivery-\(d.id)\""))
            #expect(pending.text.contains("Not tried yet."))

            // Two tries, as the worker would log them: refused, then taken.
            let claimed = try store.claimDueDeliveries(nowMs: Int64.max / 2, leaseMs: 0, limit: 1)
            #expect(claimed.map(\.id) == [d.id])
            try store.recordAttempts([
                (d.id, DeliveryAttempt(atUnix: d.createdUnix, durationMs: 12, httpStatus: 500, error: "HTTP 500: busy"),
                 .retry(atMs: 0)),
                (d.id, DeliveryAttempt(atUnix: d.createdUnix + 2, durationMs: 8, httpStatus: 200, error: nil), .delivered),
            ])
            let page = try await b.get(client, "/cases/\(c.caseID)")
            #expect(page.text.contains("<span class=\"status dl-delivered\">delivered</span>"))
            #expect(page.text.components(separatedBy: "<tr class=\"attempt\">").count == 3)
            #expect(page.text.contains("HTTP 500: busy"))
            #expect(page.text.contains("<td>HTTP 200</td>"))
        }
    }

    @Test("/readyz says ready when the store answers, and why not otherwise; /metrics only where configured", arguments: StoreBackend.allCases)
    func operations(backend: StoreBackend) async throws {
        let world = try await ReviewWorld.make(backend)
        defer { world.cleanup() }
        var configuration = ReviewConfiguration(database: world.db)
        configuration.readiness = { "dispatch worker: not running" }
        let store = try ReviewStore(path: world.db)
        try await Application(router: ReviewApp.router(store: store, configuration: configuration)).test(.router) { client in
            let notReady = try await client.execute(uri: "/readyz", method: .get)
            #expect(notReady.status == .serviceUnavailable)
            #expect(String(buffer: notReady.body) == "dispatch worker: not running\n")
            #expect(try await client.execute(uri: "/metrics", method: .get).status != .ok)
        }
        configuration.readiness = nil
        configuration.metrics = { "# TYPE x counter\nx 1\n" }
        try await Application(router: ReviewApp.router(store: store, configuration: configuration)).test(.router) { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok && String(buffer: ready.body) == "ready\n")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok && String(buffer: metrics.body) == "# TYPE x counter\nx 1\n")
        }
    }
}
