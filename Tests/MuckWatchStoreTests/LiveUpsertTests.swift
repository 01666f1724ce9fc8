import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// A live case re-judged many times is written by difference (`upsertLive(stored:)`):
/// after every version the store holds what a full rewrite holds.
@Suite struct LiveUpsertTests {
    /// One case through the changes a live trip goes through.
    func versions() -> [Case] {
        let run = sampleRun()
        var c = run.cases[0]
        var out = [c]
        c.trip?.distanceKm += 4.5  // the open trip drove on
        c.violations[0].end += 120  // and the first violation lasted longer
        c.violations[0].evidence.fixRanges = [(night + 2400)...(night + 2760)]
        out.append(c)
        c.violations.append(run.cases[2].violations[0])  // a new violation
        c.departments.append("traffic_police")
        out.append(c)
        c.violations.remove(at: 1)  // one no longer found
        out.append(c)
        c.trip?.dumpedAt = nil  // the trip's end moved
        c.trip?.loadT = nil
        out.append(c)
        c.company = "另一公司"  // a field of the case's indexes
        out.append(c)
        return out
    }

    func content(_ s: CaseStore, _ id: String) throws -> StoredCase? {
        var c = try s.loadCase(id: id)
        c?.createdRun = 0
        c?.updatedRun = 0
        return c
    }

    @Test(arguments: StoreBackend.allCases) func writingByDifferenceEqualsRewriting(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let plates = sampleRun().plates
        let byDifference = try CaseStore(path: dir.url.appendingPathComponent("a.sqlite").path, now: { night })
        let rewriting = try CaseStore(path: dir.url.appendingPathComponent("b.sqlite").path, now: { night })
        let runA = try byDifference.beginLive(clock: .shanghai, fences: [])
        let runB = try rewriting.beginLive(clock: .shanghai, fences: [])
        var stored: [String: Case] = [:]
        for v in versions() {
            try byDifference.upsertLive(runID: runA, cases: [v], trips: [], plates: plates, clock: .shanghai,
                                        stored: stored)
            stored[v.id] = v
            try rewriting.upsertLive(runID: runB, cases: [v], trips: [], plates: plates, clock: .shanghai)
            let a = try content(byDifference, v.id)
            #expect(a != nil)
            #expect(a == (try content(rewriting, v.id)))
            #expect(a?.violations.count == v.violations.count)
            #expect(a?.departments == v.departments)
        }
        // A retracted case comes back through the full write (restored, audited).
        try byDifference.upsertLive(runID: runA, cases: [], trips: [], plates: plates, clock: .shanghai,
                                    retracting: [versions()[0].id])
        try byDifference.upsertLive(runID: runA, cases: [versions()[0]], trips: [], plates: plates, clock: .shanghai)
        let back = try #require(try byDifference.loadCase(id: versions()[0].id))
        #expect(!back.superseded)
        #expect(back.events.map(\.action) == ["created", "superseded", "restored"])
    }
}
