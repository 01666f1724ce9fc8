import Testing
import MuckWatchCore
import MuckWatchLive

/// How the gateway's store queue splits pending writes: an alert's cases taken out at
/// once, refreshes in chunks whose trips never precede the case they name.
@Suite struct LiveWritesTests {
    func aCase(_ id: String, detail: String = "") -> Case {
        Case(id: id, vehicleID: "渝F12345", company: nil, departments: ["city_management"], trip: nil,
             date: LocalDate(year: 2026, month: 11, day: 20),
             violations: [Violation(vehicle: 0, type: .speeding, start: 100, end: 200, lon: 108.4, lat: 30.8,
                                    source: .gps, detail: detail)])
    }

    func aTrip(_ loadStart: Int64, case id: String?) -> Trip {
        Trip(vehicle: 0, sourceSite: "S-01", loadedAt: loadStart + 60, loadStart: loadStart, disposalSite: "D-01",
             dumpLon: 108.5, dumpLat: 30.9, dumpedAt: loadStart + 1800, dumpEnd: loadStart + 1900,
             unloadEvidence: .lift, distanceKm: 9, loadT: 20, permitID: nil, fixRange: 0..<10, caseID: id)
    }

    @Test func takeRemovesTheNamedCasesAndTheirRetractions() {
        var w = LiveWrites()
        w.merge(writes(cases: [aCase("C-1"), aCase("C-2")], retracting: ["C-3"]))
        let named = w.take(cases: ["C-1", "C-3", "C-9"])
        #expect(named.cases.keys.sorted() == ["C-1"])
        #expect(named.retracting == ["C-3"])
        #expect(w.cases.keys.sorted() == ["C-2"])
        #expect(w.retracting.isEmpty)
    }

    @Test func laterContentWinsOverTakenContent() {
        var refreshing = writes(cases: [aCase("C-1", detail: "old")])
        let newer = writes(cases: [aCase("C-1", detail: "new")])
        var named = refreshing.take(cases: ["C-1"])
        var pending = newer
        named.merge(pending.take(cases: ["C-1"]))
        #expect(named.cases["C-1"]?.violations.first?.detail == "new")
        #expect(refreshing.isEmpty && pending.isEmpty)
    }

    @Test func chunksKeepTripsBehindTheirCases() {
        var w = writes(cases: ["C-1", "C-2", "C-3"].map { aCase($0) },
                       trips: [aTrip(1000, case: "C-1"), aTrip(2000, case: nil), aTrip(3000, case: "C-3"),
                               aTrip(4000, case: "C-1")],
                       retracting: ["C-7"])
        // Chunks come in no particular order of cases: whichever two go first, a trip never
        // leaves before its case, and trips keep their order.
        let first = w.takeChunk(cases: 2)
        #expect(first.cases.count == 2)
        #expect(first.retracting == ["C-7"])
        let second = w.takeChunk(cases: 2)
        #expect(second.cases.count == 1)
        #expect(w.isEmpty)
        #expect(Set(first.cases.keys).union(second.cases.keys) == ["C-1", "C-2", "C-3"])
        #expect((first.trips + second.trips).map(\.loadStart) == [1000, 2000, 3000, 4000])
        for t in first.trips { #expect(t.caseID.map { first.cases[$0] != nil } ?? true) }
        // The trip of C-3 waits for C-3 (and the ones after it stay behind it).
        let firstHeld = first.trips.count
        let expectedFirst = first.cases["C-1"] == nil ? 0 : (first.cases["C-3"] == nil ? 2 : 4)
        #expect(firstHeld == expectedFirst)
    }

    func writes(cases: [Case], trips: [Trip] = [], retracting: Set<String> = []) -> LiveWrites {
        var w = LiveWrites()
        for c in cases { w.cases[c.id] = c }
        w.trips = trips
        w.retracting = retracting
        return w
    }
}
