import Foundation
import Testing
import MuckWatchCore
import MuckWatchStore
@testable import MuckWatchBatch

/// Reruns over a store officers have already worked: ids stable, statuses and audit kept,
/// new cases added, cases the new data no longer supports marked, never deleted.
@Suite(.serialized) struct LivingStoreTests {
    @Test func rerunWithLateFixesAndACorrectedPermitKeepsOfficersWork() throws {
        let out = SampleNight.tempDir()
        let first = try SampleNight.analyze(into: out, chain: false)   // the v1 scenario: a no_permit case alone
        var store = try CaseStore(path: out + "/muckwatch.sqlite")
        let worked = try #require(first.cases.first { $0.violations.contains { $0.type == .illegalDump } })
        try store.setStatus(caseID: worked.id, to: .dispatched, actor: "wang", note: nil)
        let noPermit = try #require(first.cases.first { $0.violations.map(\.type) == [.noPermit] })
        try store.setStatus(caseID: noPermit.id, to: .dispatched, actor: "li", note: "checking the permit office")

        // Late data: the permit office issues the missing permit (the no_permit case loses its
        // support), and a truck's late fixes show a speeding run on an empty night road.
        let trip = try #require(noPermit.trip)
        var permits = SampleNight.json(SampleNight.root + "/traces/permits.json") as! [[String: Any]]
        let date = LocalClock.shanghai.date(of: trip.loadedAt).description
        permits.append(["permit_id": "P-LATE", "vehicles": [noPermit.vehicleID], "source_site": trip.sourceSite!,
                        "disposal_site": trip.disposalSite ?? "D-01", "valid_from": date, "valid_to": date])
        FileManager.default.createFile(atPath: out + "/permits.json", contents: try JSONSerialization.data(withJSONObject: permits))
        var traces = try String(contentsOfFile: SampleNight.root + "/traces/traces.csv", encoding: .utf8)
        let plate = first.plates.plates[0]
        for k in 0..<8 {   // 05:50:00 .. 05:53:30, 80 km/h eastwards, far from every fence
            let t = 1_795_211_400 + Int64(k * 30)
            traces += "\(plate),\(t),\(String(format: "%.6f", 108.20 + Double(k) * 0.0069)),30.60,80.0,90,200,,,\n"
        }
        try traces.write(toFile: out + "/traces.csv", atomically: true, encoding: .utf8)
        var o = SampleNight.options(out: out, traces: [out + "/traces.csv"], chain: false)
        o.permits = out + "/permits.json"
        let second = try Analysis.run(o)
        try Analysis.write(second, to: out)

        store = try CaseStore(path: out + "/muckwatch.sqlite")
        // Unchanged cases: same ids, officers' statuses and audit rows kept.
        let kept = try #require(try store.loadCase(id: worked.id))
        #expect(kept.status == .dispatched && !kept.superseded)
        #expect(kept.events.map(\.action) == ["created", "status"])
        // Every case keeps its id, except the no_permit cases the new permit covers.
        let covered = Set(first.cases.filter { c in
            c.vehicleID == noPermit.vehicleID && c.violations.allSatisfy { $0.type == .noPermit }
                && c.trip?.sourceSite == trip.sourceSite && c.date.description == date
        }.map(\.id))
        #expect(covered.contains(noPermit.id))
        for c in first.cases where !covered.contains(c.id) {
            #expect(second.cases.contains { $0.id == c.id }, "case \(c.id) lost its id")
        }
        for id in covered {
            #expect(!second.cases.contains { $0.id == id })
            #expect(try store.loadCase(id: id)?.superseded == true)
        }
        // The case the new permit removes: marked superseded, status and audit intact.
        let gone = try #require(try store.loadCase(id: noPermit.id))
        #expect(gone.superseded && gone.status == .dispatched)
        #expect(gone.events.map(\.action) == ["created", "status", "superseded"])
        #expect(try store.listCases(CaseFilter(includeSuperseded: true)).contains { $0.caseID == noPermit.id })
        #expect(!(try store.listCases(CaseFilter())).contains { $0.caseID == noPermit.id })
        // The late fixes add a case.
        let new = second.cases.filter { c in !first.cases.contains { $0.id == c.id } }
        // (the truck also went quiet for hours and reappeared far away: a signal loss too)
        #expect(new.count == 1 && new.first?.violations.contains { $0.type == .speeding } == true)
        #expect(try store.loadCase(id: new[0].id)?.status == .open)
    }
}
