import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
import MuckWatchJudge
@testable import MuckWatchStore

@Suite struct CaseWorkflowTests {
    let id = "C-20261120-0001"

    func store(_ dir: TempDir) throws -> CaseStore {
        let s = try CaseStore(path: dir.storePath, now: { night })
        try s.write(sampleRun())
        return s
    }

    @Test(arguments: StoreBackend.allCases) func fullLifecycleIsAudited(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try store(dir)
        try s.setStatus(caseID: id, to: .dispatched, actor: "a", note: nil)
        try s.setStatus(caseID: id, to: .dismissed, actor: "b", note: "truck was on an approved detour")
        try s.setStatus(caseID: id, to: .open, actor: "c", note: "reopened after complaint")
        try s.setStatus(caseID: id, to: .dispatched, actor: "a", note: nil)
        try s.setStatus(caseID: id, to: .resolved, actor: "a", note: "fined")
        try s.setStatus(caseID: id, to: .closed, actor: "a", note: nil)
        try s.setStatus(caseID: id, to: .open, actor: "a", note: nil)
        let c = try #require(try s.loadCase(id: id))
        #expect(c.status == .open)
        let steps = c.events.dropFirst().map { "\($0.fromStatus!.rawValue)>\($0.toStatus!.rawValue)" }
        #expect(steps == ["open>dispatched", "dispatched>dismissed", "dismissed>open", "open>dispatched",
                          "dispatched>resolved", "resolved>closed", "closed>open"])
        #expect(c.events[2].note == "truck was on an approved detour")
        #expect(c.events[2].actor == "b")
        #expect(try s.countsByStatus() == [.open: 3, .dispatched: 0, .resolved: 0, .dismissed: 0, .closed: 0])
    }

    @Test(arguments: StoreBackend.allCases, [
        (Case.Status.open, Case.Status.resolved), (.open, .closed), (.open, .open),
    ])
    func invalidStepsFromOpenAreRefused(backend: StoreBackend, step: (Case.Status, Case.Status)) throws {
        let (from, to) = step
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try store(dir)
        #expect(throws: StoreError.invalidTransition(caseID: id, from: from, to: to)) {
            try s.setStatus(caseID: id, to: to, actor: "a", note: "why")
        }
        // Nothing changed, nothing audited.
        let c = try #require(try s.loadCase(id: id))
        #expect(c.status == .open)
        #expect(c.events.count == 1)
    }

    @Test func allowedTable() {
        #expect(CaseWorkflow.allows(from: .open, to: .dismissed))   // an unfounded case, dismissed on review
        #expect(CaseWorkflow.allows(from: .dispatched, to: .resolved))
        #expect(CaseWorkflow.allows(from: .dispatched, to: .dismissed))
        #expect(!CaseWorkflow.allows(from: .dispatched, to: .closed))
        #expect(!CaseWorkflow.allows(from: .dispatched, to: .open))
        #expect(CaseWorkflow.allows(from: .resolved, to: .closed))
        #expect(!CaseWorkflow.allows(from: .closed, to: .resolved))
        #expect(!CaseWorkflow.allows(from: .closed, to: .dismissed))
    }

    @Test(arguments: StoreBackend.allCases) func dismissNeedsANote(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try store(dir)
        try s.setStatus(caseID: id, to: .dispatched, actor: "a", note: nil)
        for note in [nil, "", "  \n"] as [String?] {
            #expect(throws: StoreError.noteRequired(caseID: id, to: .dismissed)) {
                try s.setStatus(caseID: id, to: .dismissed, actor: "a", note: note)
            }
        }
        #expect(try s.loadCase(id: id)?.status == .dispatched)
    }

    @Test(arguments: StoreBackend.allCases) func unknownCase(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try store(dir)
        #expect(throws: StoreError.caseNotFound("C-x")) {
            try s.setStatus(caseID: "C-x", to: .dispatched, actor: "a", note: nil)
        }
    }

    @Test func errorMessagesNameTheAllowedSteps() {
        let e = StoreError.invalidTransition(caseID: id, from: .open, to: .closed)
        #expect(e.description == "case \(id) is open and cannot become closed (allowed: dispatched, dismissed)")
    }

    @Test(arguments: StoreBackend.allCases) func auditRowsCannotBeUpdatedOrDeleted(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let s = try store(dir)
        try s.setStatus(caseID: id, to: .dispatched, actor: "a", note: "x")
        let db = try dir.database()
        for sql in ["UPDATE case_events SET note = 'forged'", "DELETE FROM case_events",
                    "DELETE FROM case_events WHERE action = 'status'"] {
            do throws(StoreError) {
                try db.execute(sql)
                Issue.record("\(sql) succeeded")
            } catch {
                guard let message = error.statementMessage, let failed = error.statementSQL else {
                    Issue.record("\(error)")
                    continue
                }
                #expect(message.contains("append-only"))
                #expect(failed == sql)
            }
        }
        #expect(try db.scalarInt("SELECT count(*) FROM case_events") == 4)
        #expect(try s.loadCase(id: id)?.events.last?.note == "x")
    }
}
