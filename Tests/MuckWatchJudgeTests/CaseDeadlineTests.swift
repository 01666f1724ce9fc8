import MuckWatchCore
import MuckWatchJudge
import Testing

@Suite("Deadlines and the case clock (issue #26)")
struct CaseDeadlineTests {
    @Test func clockTimesTheLatestRoundAndJudgesItsDeadlines() {
        let limits = DeadlineLimits.standard
        let fresh = CaseClock(found: 0, firstDispatch: nil, lastDispatch: nil, handled: nil)
        #expect(fresh.due(.open, limits) == Deadline(step: .dispatch, due: 7200))
        #expect(fresh.due(.open, limits)!.isOverdue(at: 7201))
        #expect(!fresh.due(.open, limits)!.isOverdue(at: 7200))
        #expect(fresh.onTime(limits) == nil)

        let handled = CaseClock(found: 0, firstDispatch: 3600, lastDispatch: 3600, handled: 3600 + 86400)
        #expect(handled.onTime(limits) == true)
        #expect(handled.due(.resolved, limits) == nil)
        let lateDispatch = CaseClock(found: 0, firstDispatch: 7201, lastDispatch: 7201, handled: 8000)
        #expect(lateDispatch.onTime(limits) == false)
        // Sent back and dispatched again: the old handling is not this round's.
        let sentBack = CaseClock(found: 0, firstDispatch: 100, lastDispatch: 5000, handled: 4000)
        #expect(sentBack.handled == nil)
        #expect(sentBack.timeToHandle == nil)
        #expect(sentBack.due(.dispatched, limits) == Deadline(step: .handle, due: 5000 + 86400))
    }

    @Test func strictestApplyingRuleWins() {
        let policy = DeadlinePolicy(rules: [
            .init(department: "city_management", handleSeconds: 12 * 3600),
            .init(type: .illegalDump, dispatchSeconds: 3600, handleSeconds: 18 * 3600),
            .init(department: "traffic_police", type: .speeding, dispatchSeconds: 600),
        ])
        #expect(policy.limits(departments: ["ecology"], types: [.spill]) == .standard)
        #expect(policy.limits(departments: ["city_management"], types: [.illegalDump])
            == DeadlineLimits(dispatchSeconds: 3600, handleSeconds: 12 * 3600))
        #expect(policy.limits(departments: ["city_management"], types: [.speeding])
            == DeadlineLimits(dispatchSeconds: 7200, handleSeconds: 12 * 3600))
        #expect(policy.limits(departments: ["traffic_police"], types: [.speeding]).dispatchSeconds == 600)
    }

    @Test func workflowSendsAHandledCaseBackOnlyWithAReason() {
        #expect(CaseWorkflow.allows(from: .resolved, to: .dispatched))
        #expect(CaseWorkflow.needsNote(from: .resolved, to: .dispatched))
        #expect(!CaseWorkflow.needsNote(from: .open, to: .dispatched))
        #expect(HandlingRules.problem(Handling(outcome: .penaltyIssued, penaltyYuan: 500)) != nil)
        #expect(HandlingRules.problem(Handling(outcome: .penaltyIssued, penaltyYuan: 500, documentNumber: "X1")) == nil)
        #expect(HandlingRules.problem(Handling(outcome: .notFound)) != nil)
        #expect(HandlingRules.problem(Handling(outcome: .warning)) == nil)
    }
}
