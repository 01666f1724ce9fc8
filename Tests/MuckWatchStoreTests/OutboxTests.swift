import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// The dispatch outbox (issue #20): deliveries exist exactly when the dispatch does.
@Suite struct OutboxTests {
    static func store() throws -> (TempDir, CaseStore) {
        let dir = try TempDir()
        let s = try CaseStore(path: dir.storePath)
        try s.write(sampleRun())
        return (dir, s)
    }

    func rows(_ s: CaseStore) throws -> Int64 { try s.db.scalarInt("SELECT count(*) FROM dispatch_outbox") ?? -1 }

    @Test(arguments: StoreBackend.allCases) func aDispatchWritesOneDeliveryPerDepartmentWithAWebhook(backend: StoreBackend) throws {
        let (dir, s) = try Self.store()
        defer { dir.cleanup() }
        try s.setDispatchTargets(["city_management", "traffic_police"])
        // Routed to city_management and housing_construction: only the first has a webhook.
        try s.setStatus(caseID: "C-20261120-0002", to: .dispatched, actor: "wang", note: "go")
        let d = try s.deliveries()
        #expect(d.map(\.department) == ["city_management"])
        #expect(d[0].state == .pending && d[0].attempts == 0 && d[0].body == nil)
        #expect(d[0].idempotencyKey.hasPrefix("C-20261120-0002/"))
        let event = try #require(try s.caseEvent(id: d[0].eventID))
        #expect(event.actor == "wang" && event.toStatus == .dispatched && event.note == "go")
        // Other moves write nothing.
        try s.setStatus(caseID: "C-20261120-0002", to: .resolved, actor: "wang", note: nil)
        try s.setStatus(caseID: "C-20261120-0003", to: .dismissed, actor: "wang", note: "duplicate")
        #expect(try rows(s) == 1)
    }

    @Test(arguments: StoreBackend.allCases) func aSecondDispatchOfTheSameCaseIsASecondDeliveryWithItsOwnKey(backend: StoreBackend) throws {
        let (dir, s) = try Self.store()
        defer { dir.cleanup() }
        try s.setDispatchTargets(["city_management"])
        let id = "C-20261120-0001"
        for to: Case.Status in [.dispatched, .resolved, .open, .dispatched] {
            try s.setStatus(caseID: id, to: to, actor: "wang", note: nil)
        }
        let keys = try s.deliveries(caseID: id).map(\.idempotencyKey)
        #expect(keys.count == 2 && Set(keys).count == 2)
    }

    @Test(arguments: StoreBackend.allCases) func aRefusedStatusChangeLeavesNoDelivery(backend: StoreBackend) throws {
        let (dir, s) = try Self.store()
        defer { dir.cleanup() }
        try s.setDispatchTargets(["city_management"])
        #expect(throws: StoreError.caseNotFound("C-NONE")) {
            try s.setStatus(caseID: "C-NONE", to: .dispatched, actor: "wang", note: nil)
        }
        try s.setStatus(caseID: "C-20261120-0001", to: .dispatched, actor: "wang", note: nil)
        #expect(throws: StoreError.invalidTransition(caseID: "C-20261120-0001", from: .dispatched, to: .dispatched)) {
            try s.setStatus(caseID: "C-20261120-0001", to: .dispatched, actor: "wang", note: nil)
        }
        #expect(try rows(s) == 1)
    }

    /// The status, its audit row and its deliveries commit together or not at all: when the
    /// outbox insert fails, the case is still open with no audit row; when the audit insert
    /// fails, no delivery is left behind.
    @Test(arguments: StoreBackend.allCases) func theDeliveryCommitsWithTheStatusChangeOrNotAtAll(backend: StoreBackend) throws {
        let (dir, s) = try Self.store()
        defer { dir.cleanup() }
        try s.setDispatchTargets(["city_management"])
        let id = "C-20261120-0001"
        let eventsBefore = try s.events(caseID: id).count
        try s.db.execute("CREATE TEMP TRIGGER no_outbox BEFORE INSERT ON dispatch_outbox BEGIN SELECT RAISE(ABORT, 'outbox full'); END")
        #expect(throws: (any Error).self) { try s.setStatus(caseID: id, to: .dispatched, actor: "wang", note: nil) }
        #expect(try s.loadCase(id: id)?.status == .open)
        #expect(try s.events(caseID: id).count == eventsBefore)
        #expect(try rows(s) == 0)
        try s.db.execute("DROP TRIGGER no_outbox")

        try s.db.execute("CREATE TEMP TRIGGER no_audit BEFORE INSERT ON case_events BEGIN SELECT RAISE(ABORT, 'audit full'); END")
        #expect(throws: (any Error).self) { try s.setStatus(caseID: id, to: .dispatched, actor: "wang", note: nil) }
        #expect(try s.loadCase(id: id)?.status == .open)
        #expect(try rows(s) == 0)
        try s.db.execute("DROP TRIGGER no_audit")

        try s.setStatus(caseID: id, to: .dispatched, actor: "wang", note: nil)
        #expect(try rows(s) == 1)
    }

    @Test(arguments: StoreBackend.allCases) func aClaimLeasesTheDeliveryUntilItsTryCouldHaveEnded(backend: StoreBackend) throws {
        let (dir, s) = try Self.store()
        defer { dir.cleanup() }
        try s.setDispatchTargets(["city_management"])
        try s.setStatus(caseID: "C-20261120-0001", to: .dispatched, actor: "wang", note: nil)
        let now = (try s.deliveries().first?.nextAttemptMs ?? 0) + 1
        #expect(try s.claimDueDeliveries(nowMs: now, leaseMs: 1000, limit: 10).count == 1)
        #expect(try s.claimDueDeliveries(nowMs: now + 999, leaseMs: 1000, limit: 10).isEmpty)
        // The worker died mid-try: after the lease the delivery is due again.
        let again = try s.claimDueDeliveries(nowMs: now + 1000, leaseMs: 1000, limit: 10)
        #expect(again.count == 1)
        let id = again[0].id
        #expect(try s.freezeDeliveryBodies([(id, "{\"a\":1}")]) == [id: "{\"a\":1}"])
        #expect(try s.freezeDeliveryBodies([(id, "{\"b\":2}")]) == [id: "{\"a\":1}"])
        try s.recordAttempts([(id, DeliveryAttempt(atUnix: now / 1000, durationMs: 3, httpStatus: 200, error: nil), .delivered)])
        #expect(try s.outboxCounts() == [.pending: 0, .delivered: 1, .failed: 0])
        #expect(try s.attempts(deliveryID: again[0].id).map(\.httpStatus) == [200])
    }
}
