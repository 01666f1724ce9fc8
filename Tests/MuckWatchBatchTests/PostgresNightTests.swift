import Foundation
import MuckWatchBatch
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport
import Testing

/// `analyze --db postgres://…` (issue #23): the bundled night written into PostgreSQL reads
/// back as the same cases (ids, content, audit actions), trips and chain statistics as the
/// SQLite file, and a rerun changes nothing but the run it records.
@Suite struct PostgresNightTests {
    /// Every case whole (audit times left out: they are each write's own "now"), every trip, and
    /// the chain statistics of each case date.
    static func contents(_ store: CaseStore) throws -> (cases: [StoredCase], actions: [[String]], trips: [TripRow],
                                                       chain: [ChainStatistics]) {
        let rows = try store.listCases(CaseFilter(includeSuperseded: true))
        var cases: [StoredCase] = []
        var actions: [[String]] = []
        for row in rows {
            var c = try #require(try store.loadCase(id: row.caseID))
            actions.append(c.events.map { "\($0.actor) \($0.action) \($0.toStatus?.rawValue ?? "-")" })
            c.events = []
            cases.append(c)
        }
        let trips = try store.tripPage(TripFilter(), after: nil, limit: 100_000)
        let days = Set(cases.map(\.date)).sorted()
        return (cases, actions, trips, try days.map { rounded(try store.chainStatistics($0)) })
    }

    /// Tonnes to the gram: each database adds a site's loads in its own order, and sums of
    /// doubles in another order differ in the last bit.
    static func rounded(_ s: ChainStatistics) -> ChainStatistics {
        func g(_ t: Double) -> Double { (t * 1e6).rounded() / 1e6 }
        var s = s
        for k in s.discharged.indices { s.discharged[k].tonnes = g(s.discharged[k].tonnes) }
        for k in s.received.indices { s.received[k].tonnes = g(s.received[k].tonnes) }
        for k in s.byCompany.indices { s.byCompany[k].declaredT = g(s.byCompany[k].declaredT); s.byCompany[k].receivedT = g(s.byCompany[k].receivedT) }
        for k in s.byDriver.indices { s.byDriver[k].declaredT = g(s.byDriver[k].declaredT); s.byDriver[k].receivedT = g(s.byDriver[k].receivedT) }
        return s
    }

    @Test func theBundledNightInPostgreSQLIsTheNightInSQLite() throws {
        let dir = SampleNight.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try TestStore(.postgres)
        defer { server.cleanup() }
        let run = try Analysis.run(SampleNight.options(out: dir))
        try Analysis.write(run, to: dir)
        try Analysis.write(run, to: dir + "/pg", store: server.location)
        let file = try Self.contents(try CaseStore(path: Analysis.defaultStore(in: dir)))
        let pg = try Self.contents(try CaseStore(path: server.location))
        #expect(pg.cases.count == run.cases.count)
        #expect(pg.cases.map(\.caseID) == file.cases.map(\.caseID))
        #expect(pg.cases == file.cases)
        #expect(pg.actions == file.actions)
        #expect(pg.trips == file.trips)
        #expect(pg.chain == file.chain)

        // A rerun into the server: same ids, nothing superseded, one more run.
        try Analysis.write(try Analysis.run(SampleNight.options(out: dir)), to: dir + "/pg", store: server.location)
        let again = try Self.contents(try CaseStore(path: server.location))
        #expect(again.cases.map(\.caseID) == pg.cases.map(\.caseID))
        #expect(again.cases.allSatisfy { !$0.superseded && $0.createdRun == 1 && $0.updatedRun == 2 })
        #expect(again.trips.count == pg.trips.count)
    }
}
