import Foundation
import MuckWatchCore
import MuckWatchJudge
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// The store side of issue #26: handling, photos and evaluations with their audit rows, and the
/// clocks `caseTimes` reads off the audit trail, checked on a hand-made run with a settable clock.
@Suite struct CaseHandlingStoreTests {
    let id = "C-20261120-0001"

    final class Now: @unchecked Sendable {
        var t: Int64 = night
    }

    @Test(arguments: StoreBackend.allCases) func handlingPhotosAndEvaluationsAreAuditedAndTimed(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let now = Now()
        let s = try CaseStore(path: dir.storePath, now: { now.t })
        try s.write(sampleRun())
        let found = now.t
        now.t += 1800
        #expect(throws: StoreError.invalidTransition(caseID: id, from: .open, to: .resolved)) {
            try s.recordHandling(caseID: id, Handling(outcome: .warning), actor: "wang")
        }
        try s.setStatus(caseID: id, to: .dispatched, actor: "li", note: nil)
        now.t += 4 * 3600
        #expect(throws: StoreError.refused(caseID: id, reason: "A transfer needs the department it went to.")) {
            try s.recordHandling(caseID: id, Handling(outcome: .transferred), actor: "wang")
        }
        try s.recordHandling(caseID: id, Handling(outcome: .transferred, transferredTo: "ecology", note: "river bank"),
                             actor: "wang")
        let photo = PhotoFacts(sha256: String(repeating: "ab", count: 32), mediaType: "image/jpeg", bytes: 1234,
                               fileName: "a.jpg", taken: "2026:11:20 23:10:00", gpsLat: 30.8, gpsLon: 108.4)
        #expect(try s.addPhoto(caseID: id, photo, actor: "wang", limit: 1))
        #expect(try !s.addPhoto(caseID: id, photo, actor: "wang", limit: 1))  // the same file again: nothing new
        var other = photo
        other.sha256 = String(repeating: "cd", count: 32)
        #expect(throws: StoreError.refused(caseID: id, reason: "it already has 1 photos, the most a case takes")) {
            try s.addPhoto(caseID: id, other, actor: "wang", limit: 1)
        }
        now.t += 600
        #expect(throws: StoreError.noteRequired(caseID: id, to: .dispatched)) {
            try s.evaluate(caseID: id, verdict: .sentBack, onTime: true, reason: " ", actor: "li")
        }
        try s.evaluate(caseID: id, verdict: .sentBack, onTime: true, reason: "wrong department named", actor: "li")
        let redispatched = now.t
        now.t += 3600
        try s.recordHandling(caseID: id, Handling(outcome: .cleanupOrdered), actor: "wang")
        let handled = now.t
        now.t += 60
        try s.evaluate(caseID: id, verdict: .proper, onTime: true, reason: nil, actor: "li")

        #expect(try s.loadCase(id: id)?.status == .closed)
        #expect(try s.handlings(caseID: id).map(\.handling.outcome) == [.transferred, .cleanupOrdered])
        #expect(try s.photos(caseID: id).map(\.facts) == [photo])
        #expect(try s.evaluations(caseID: id).map(\.verdict) == [.sentBack, .proper])
        let actions = try s.events(caseID: id).map(\.action)
        #expect(actions == ["created", "status", "handled", "photo", "evaluated", "handled", "evaluated"])

        let times = try #require(try s.caseTimes(.ids([id])).first)
        #expect(times.clock == CaseClock(found: found, firstDispatch: found + 1800, lastDispatch: redispatched,
                                         handled: handled))
        #expect(times.clock.timeToDispatch == 1800)
        #expect(times.clock.timeToHandle == 3600)
        #expect(times.sentBack == 1)
        #expect(times.departments == (try s.loadCase(id: id)?.departments))
        #expect(try s.caseTimes(.everDispatched).map(\.caseID) == [id])
        #expect(try s.caseTimes(.statuses([.dispatched])).isEmpty)
        #expect(try s.caseTimes(.statuses([.open]), visibleDepartments: ["nobody"]).isEmpty)
    }
}
