import Testing
import MuckWatchCore
@testable import MuckWatchJudge

@Suite struct CaseBuilderTests {
    let t0: Int64 = 1_795_183_200  // 2026-11-20T22:00:00+08:00

    func trip(_ loadedAt: Int64) -> Trip {
        Trip(vehicle: 0, sourceSite: "S-1", loadedAt: loadedAt, loadStart: loadedAt - 480, disposalSite: nil,
             dumpLon: 108.42, dumpLat: 30.8, dumpedAt: loadedAt + 1200, dumpEnd: loadedAt + 1300,
             unloadEvidence: .lift, distanceKm: 5, loadT: 25, permitID: nil, fixRange: 0..<10)
    }

    func violation(_ type: ViolationType, at t: Int64, trip: Int?) -> Violation {
        Violation(vehicle: 0, type: type, start: t, end: t + 60, lon: 108.42, lat: 30.8, source: .gps, detail: "x",
                  tripIndex: trip)
    }

    @Test func groupsByTripThenByLocalDay() {
        var trips = [trip(t0), trip(t0 + 7200)]
        let vs = [violation(.noPermit, at: t0 - 400, trip: 0), violation(.illegalDump, at: t0 + 1200, trip: 0),
                  violation(.speeding, at: t0 + 3000, trip: nil),
                  violation(.signalLoss, at: t0 + 3 * 3600, trip: nil)]   // 01:00 next local day
        let cases = CaseBuilder.cases(plate: "渝F12345", company: "万州", trips: &trips, violations: vs, config: Config())
        #expect(cases.count == 3)
        let tripCase = cases[0]
        #expect(tripCase.trip?.loadedAt == t0)
        #expect(tripCase.violations.map(\.type) == [.noPermit, .illegalDump])
        #expect(tripCase.departments == ["city_management", "housing_construction"])
        #expect(trips[0].caseID == tripCase.id)
        #expect(trips[1].caseID == nil)
        #expect(cases[1].trip == nil && cases[1].date.description == "2026-11-20")
        #expect(cases[1].departments == ["traffic_police"])
        #expect(cases[2].date.description == "2026-11-21")
        #expect(cases[2].departments == ["transport"])
        #expect(Set(cases.map(\.id)).count == 3)
    }

    @Test func idsAreStableAndReadable() {
        var a = [trip(t0)], b = [trip(t0)]
        let vs = [violation(.illegalDump, at: t0 + 1200, trip: 0)]
        let x = CaseBuilder.cases(plate: "渝F12345", company: nil, trips: &a, violations: vs, config: Config())
        let y = CaseBuilder.cases(plate: "渝F12345", company: nil, trips: &b, violations: vs, config: Config())
        #expect(x.map(\.id) == y.map(\.id))
        #expect(x[0].id.hasPrefix("C-20261120-"))
        #expect(x[0].id.count == "C-20261120-".count + 8)
        let other = CaseBuilder.cases(plate: "渝F12346", company: nil, trips: &b, violations: vs, config: Config())
        #expect(other[0].id != x[0].id)
    }

    @Test func configuredDepartmentsWin() {
        var config = Config()
        config.departments[.speeding] = ["highway_patrol"]
        var none: [Trip] = []
        let c = CaseBuilder.cases(plate: "P", company: nil, trips: &none,
                                  violations: [violation(.speeding, at: t0, trip: nil)], config: config)
        #expect(c.first?.departments == ["highway_patrol"])
    }
}
