import Testing
import MuckWatchCore
import MuckWatchAnalysis
import MuckWatchTestSupport
@testable import MuckWatchJudge

/// Which trip a manifest matches and which case a manifest or gate violation joins
/// (contract section 12), on the edge cases the contract names.
@Suite struct ChainMatchingTests {
    static let start = World.t0 + 90 * 60
    let w: RuleWorld

    init() throws { w = try RuleWorld() }

    /// Two loads from S-1 to D-1 about 27 min apart.
    static func twoTrips() -> Script {
        var s = Script()
        s.t = start
        for k in 0..<2 {
            s.stay(8 * 60)
            s.drive(toLon: 108.440, toLat: 30.800)
            s.stay(6 * 60)
            s.drive(toLon: k == 0 ? 108.400 : 108.445, toLat: k == 0 ? 30.800 : 30.810)
        }
        return s
    }

    @Test func twoTripsFromOneSiteCloseTogetherEachGetTheirOwnManifest() throws {
        let s = Self.twoTrips()
        let trips = w.trips(s)
        try #require(trips.count == 2 && trips.allSatisfy { $0.sourceSite == "S-1" })
        let (l1, l2) = (trips[0].loadedAt, trips[1].loadedAt)
        // B was opened for the second load, but lies nearer the first load than A does:
        // taking the first trip's nearest manifest would leave the second without one.
        let a = RuleWorld.manifest("M-A", opened: l1 - 1200, closed: trips[0].dumpedAt)
        let b = RuleWorld.manifest("M-B", opened: l2 - 600, closed: trips[1].dumpedAt)
        try #require(abs(b.openedAt - l1) < abs(a.openedAt - l1) && abs(b.openedAt - l1) <= 2700)
        let j = w.judge(s, manifests: [b, a])
        #expect(j.trips.map(\.manifestID) == ["M-A", "M-B"])
        #expect(j.of(.manifestMissing).isEmpty && j.of(.manifestMismatch).isEmpty, "\(j.violations.map(\.detail))")
        // One manifest for two loads: the nearer load has it, the other has none.
        let one = w.judge(s, manifests: [RuleWorld.manifest("M-B", opened: l2 - 60, closed: trips[1].dumpedAt)])
        #expect(one.trips.map(\.manifestID) == [nil, "M-B"])
        #expect(one.of(.manifestMissing).map(\.start) == [l1])
    }

    @Test func aManifestOpenedBeforeTheDataStartsStillMatches() throws {
        let s = RuleWorld.legalTrip(start: Self.start)
        let trip = try #require(w.trips(s).first)
        let opened = Self.start - 1500
        try #require(opened < s.fixes[0].time && trip.loadedAt - opened <= 2700)
        let j = w.judge(s, manifests: [RuleWorld.manifest("M-0", opened: opened, closed: trip.dumpedAt)])
        #expect(j.trips.map(\.manifestID) == ["M-0"])
        #expect(j.violations.isEmpty, "\(j.violations.map(\.detail))")
    }

    /// The window is `manifest_match_s` (2,700 s) either side of loading, both ends in; the
    /// vehicle's other manifests of the night, before and after it, and one from another
    /// site inside it never match.
    @Test func onlyManifestsOpenedWithinTheWindowOfTheSameSiteMatch() throws {
        let s = RuleWorld.legalTrip(start: Self.start)
        let trip = try #require(w.trips(s).first)
        let l = trip.loadedAt
        let others = [RuleWorld.manifest("M-early", opened: l - 20_000), RuleWorld.manifest("M-late", opened: l + 20_000),
                      RuleWorld.manifest("M-site", opened: l + 10, source: "S-2")]
        for (opened, matches) in [(l - 2700, true), (l + 2700, true), (l - 2701, false), (l + 2701, false)] {
            let j = w.judge(s, manifests: others + [RuleWorld.manifest("M-1", opened: opened, closed: trip.dumpedAt)])
            #expect(j.trips.map(\.manifestID) == [matches ? "M-1" : nil], "opened \(opened - l) s from loading")
        }
    }

    @Test func anotherVehiclesManifestNeverMatches() throws {
        let s = RuleWorld.legalTrip(start: Self.start)
        let trip = try #require(w.trips(s).first)
        let j = w.judge(s, manifests: [RuleWorld.manifest("M-9", opened: trip.loadedAt, closed: trip.dumpedAt,
                                                          vehicle: RuleWorld.otherPlate)])
        #expect(j.trips.map(\.manifestID) == [nil] && j.of(.manifestMissing).count == 1)
    }

    /// rfid_mismatch needs no GPS, so its passes can be put anywhere in time.
    func caseOfStrayTag(at t: Int64, _ s: Script) -> Case? {
        let j = w.judge(s, gates: [RuleWorld.gate("G-1", at: t, rfid: "E28011606000FFFF")])
        return j.caseOf(.rfidMismatch, citing: "G-1")
    }

    @Test func aViolationJoinsTheTripWithin30MinutesElseTheDayCase() throws {
        let s = RuleWorld.legalTrip(start: Self.start)
        let trip = try #require(w.trips(s).first)
        let dumped = try #require(trip.dumpedAt)
        for (t, joinsTrip) in [(trip.loadedAt + 60, true), (dumped + 1800, true), (dumped + 1801, false),
                               (trip.loadedAt - 1800, true), (trip.loadedAt - 1801, false)] {
            let c = try #require(caseOfStrayTag(at: t, s))
            #expect((c.trip?.loadedAt == trip.loadedAt) == joinsTrip, "pass at \(t - trip.loadedAt) s from loading")
        }
        // The day case is the same case for every out-of-trip violation of that day.
        let late = w.judge(s, gates: [RuleWorld.gate("G-1", at: dumped + 2400, rfid: "E28011606000FFFF"),
                                      RuleWorld.gate("G-2", at: dumped + 3600, rfid: "E28011606000FFFF")])
        #expect(late.cases.filter { $0.trip == nil }.map { $0.violations.count } == [2])
    }

    @Test func betweenTwoTripsTheNearerOneTakesIt() throws {
        let s = Self.twoTrips()
        let trips = w.trips(s)
        try #require(trips.count == 2)
        let gapStart = try #require(trips[0].dumpedAt), gapEnd = trips[1].loadedAt
        #expect(caseOfStrayTag(at: gapStart + 60, s)?.trip?.loadedAt == trips[0].loadedAt)
        #expect(caseOfStrayTag(at: gapEnd - 60, s)?.trip?.loadedAt == trips[1].loadedAt)
    }

    @Test func anOpenTripRunsToItsLastFix() throws {
        var s = Script()
        s.t = Self.start
        s.stay(8 * 60)
        s.drive(toLon: 108.430, toLat: 30.800)            // the data ends on the road, still loaded
        let trip = try #require(w.trips(s).first)
        #expect(trip.dumpedAt == nil)
        let last = s.fixes.last!.time
        #expect(caseOfStrayTag(at: last + 1800, s)?.trip != nil)
        #expect(caseOfStrayTag(at: last + 1801, s)?.trip == nil)
    }
}
