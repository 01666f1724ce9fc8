import Foundation
import MuckWatchCore
import MuckWatchStore
import Testing
@testable import MuckWatchDispatch

/// Automatic dispatch (自动分派): the worker moves the open cases a rule picks to `dispatched`
/// as `auto-dispatch`, the audit note naming the rule, and their deliveries follow.
@Suite struct AutoDispatchTests {
    static let rule = AutoDispatchRule(name: "sealed-by-camera", type: .unsealed, source: .camera, minConfidence: 0.9)

    @Test func casesMatchingARuleAreDispatchedOnceWithTheRuleInTheAudit() async throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try DispatchWorld.store(at: dir.storePath, cases: 6, targets: ["city_management"])
        // Case 2 was dispatched by an officer and reopened: it is theirs, not the rule's.
        for to: Case.Status in [.dispatched, .resolved, .open] {
            try store.setStatus(caseID: DispatchWorld.caseID(2), to: to, actor: "wang", note: nil)
        }
        let settings = DispatchSettings(webhooks: [:], pollMs: 10, scanEveryMs: 1, rules: [Self.rule])
        let worker = try DispatchWorker(storePath: dir.storePath, settings: settings)
        _ = try await worker.pass()

        // Even cases saw the cover open at 0.95, odd ones at 0.5.
        for i in 0..<6 {
            let c = try #require(try store.loadCase(id: DispatchWorld.caseID(i)))
            let auto = i % 2 == 0 && i != 2
            #expect(c.status == (auto ? .dispatched : .open), "case \(i)")
            if auto {
                let e = try #require(c.events.last)
                #expect(e.actor == AutoDispatchRule.actor)
                #expect(e.note == "auto-dispatch rule 'sealed-by-camera': unsealed, from camera, confidence ≥ 0.9")
            }
        }
        // Cases 0 and 4 (one department with a webhook), besides case 2's earlier dispatch.
        #expect(try store.deliveries().map(\.caseID).sorted() == [0, 2, 4].map(DispatchWorld.caseID))
        _ = try await worker.pass()
        #expect(try store.deliveries().count == 3)  // a second scan picks nothing new
    }

    @Test func ruleConditions() {
        let finding = DispatchCandidate.Finding(type: .unsealed, source: .camera, cameraConfidence: 0.92)
        let c = DispatchCandidate(caseID: "C", departments: ["city_management"], findings: [finding])
        #expect(Self.rule.picks(c))
        var r = Self.rule
        r.minConfidence = 0.95
        #expect(!r.picks(c))
        r = AutoDispatchRule(name: "x", type: .unsealed, source: .gps)
        #expect(!r.picks(c))
        r = AutoDispatchRule(name: "x", type: .unsealed, departments: ["transport"])
        #expect(!r.picks(c))
        r = AutoDispatchRule(name: "x", type: .unsealed, departments: ["transport", "city_management"])
        #expect(r.picks(c))
        r = AutoDispatchRule(name: "x", type: .speeding)
        #expect(!r.picks(c))
        // No camera event cited: a confidence condition is not met.
        let blind = DispatchCandidate(caseID: "C", departments: [], findings: [.init(type: .unsealed, source: .camera, cameraConfidence: nil)])
        #expect(!Self.rule.picks(blind))
    }
}
