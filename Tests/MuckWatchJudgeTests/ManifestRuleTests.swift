import Testing
import MuckWatchCore
import MuckWatchAnalysis
import MuckWatchTestSupport
@testable import MuckWatchJudge

/// The manifest rules (contract section 12) on hand-made tracks: each fires on its fault
/// and stays quiet on the near miss beside it.
@Suite struct ManifestRuleTests {
    static let start = World.t0 + 90 * 60     // 23:30 local, inside the permit's hours
    let w: RuleWorld
    let s = RuleWorld.legalTrip(start: Self.start)
    let trip: Trip

    init() throws {
        w = try RuleWorld()
        trip = w.trips(s)[0]
    }

    @Test func theLegalTripHasOneTripLoadedAtS1AndDumpedAtD1() {
        #expect(w.trips(s).count == 1)
        #expect(trip.sourceSite == "S-1" && trip.disposalSite == "D-1" && trip.dumpedAt != nil)
    }

    @Test func manifestMissingOnlyWhenNoManifestOpenedWithinTheWindow() throws {
        let missing = w.judge(s, manifests: [])
        #expect(missing.of(.manifestMissing).count == 1)
        let v = try #require(missing.of(.manifestMissing).first)
        #expect(v.start == trip.loadedAt && v.end == trip.dumpedAt && v.source == .manifest)
        #expect(missing.cases.count == 1 && missing.cases[0].trip?.loadedAt == trip.loadedAt)
        #expect(missing.cases[0].departments.contains("housing_construction"))
        // Within 45 min either side: matched; 46 min: missing; another site's manifest never matches.
        for (opened, source, fires) in [(trip.loadedAt - 2700, "S-1", false), (trip.loadedAt + 2700, "S-1", false),
                                        (trip.loadedAt - 2760, "S-1", true), (trip.loadedAt, "S-9", true)] {
            let j = w.judge(s, manifests: [RuleWorld.manifest("M-1", opened: opened, closed: trip.dumpedAt, source: source)])
            #expect(j.of(.manifestMissing).count == (fires ? 1 : 0), "opened \(opened - trip.loadedAt) s from loading at \(source)")
            #expect(j.trips[0].manifestID == (fires ? nil : "M-1"))
        }
        // Without the input the rule does not apply at all.
        #expect(w.judge(s).violations.isEmpty)
    }

    @Test func manifestUnclosedOnlyOnceTheDataPassesTheLimit() throws {
        let m = RuleWorld.manifest("M-1", opened: trip.loadedAt)
        let due = trip.loadedAt + 21_600
        #expect(w.judge(s, manifests: [m], dataEnd: due).of(.manifestUnclosed).isEmpty)
        let late = w.judge(s, manifests: [m], dataEnd: due + 1)
        let v = try #require(late.of(.manifestUnclosed).first)
        #expect(late.of(.manifestUnclosed).count == 1)
        #expect(v.start == trip.loadedAt && v.end == trip.loadedAt && v.evidence.manifests == ["M-1"])
        #expect(late.caseOf(.manifestUnclosed, citing: "M-1")?.trip?.loadedAt == trip.loadedAt)
        // Closed, but only after the limit: still unclosed; closed in time: nothing.
        let slow = RuleWorld.manifest("M-1", opened: trip.loadedAt, closed: due + 60)
        #expect(w.judge(s, manifests: [slow], dataEnd: due + 3600).of(.manifestUnclosed).count == 1)
        let closed = RuleWorld.manifest("M-1", opened: trip.loadedAt, closed: trip.dumpedAt)
        #expect(w.judge(s, manifests: [closed], dataEnd: due + 3600).violations.isEmpty)
    }

    @Test func manifestMismatchWhenClosedElsewhereThanTheTripUnloaded() throws {
        let dumped = try #require(trip.dumpedAt)
        let right = w.judge(s, manifests: [RuleWorld.manifest("M-1", opened: trip.loadedAt, closed: dumped + 60)])
        #expect(right.violations.isEmpty, "\(right.violations.map(\.detail))")
        let wrong = w.judge(s, manifests: [RuleWorld.manifest("M-1", opened: trip.loadedAt, closed: dumped + 60, at: "D-2")])
        let v = try #require(wrong.of(.manifestMismatch).first)
        #expect(v.start == dumped + 60 && v.detail.contains("closed at D-2") && v.detail.contains("unloaded at D-1"))
        #expect(wrong.caseOf(.manifestMismatch, citing: "M-1")?.trip != nil)
    }

    @Test func manifestMismatchWhenTheLoadWasDumpedOutsideEverySite() throws {
        var s = Script(lift: true)
        s.t = Self.start
        s.stay(8 * 60)
        s.drive(toLon: 108.425, toLat: 30.8003)
        s.lift = 1
        s.stay(150)
        s.lift = 0
        s.drive(toLon: 108.445, toLat: 30.810)
        let trip = try #require(w.trips(s).first)
        let dumped = try #require(trip.dumpedAt)
        #expect(trip.disposalSite == nil)
        // The paperwork says D-1 received it; the truck was never there.
        let j = w.judge(s, manifests: [RuleWorld.manifest("M-1", opened: trip.loadedAt, closed: dumped + 900)])
        let v = try #require(j.of(.manifestMismatch).first)
        #expect(v.detail.contains("load dumped outside every site") && v.evidence.fixRanges.first?.lowerBound == dumped)
        #expect(j.of(.illegalDump).count == 1 && j.caseOf(.manifestMismatch, citing: "M-1")?.trip?.loadedAt == trip.loadedAt)
    }

    /// A truck with no GPS at all: its unclosed manifest is still judged once the run's data
    /// passes the limit, placed at the source site and filed in its day case.
    @Test func anUnclosedManifestOfATruckWithoutGPS() throws {
        let opened = Self.start - 30_000
        let j = w.judge(Script(), manifests: [RuleWorld.manifest("M-1", opened: opened)], dataEnd: opened + 21_601)
        let v = try #require(j.of(.manifestUnclosed).first)
        #expect(j.trips.isEmpty && j.cases.count == 1 && j.cases[0].trip == nil)
        #expect(abs(v.lon - 108.400) < 0.001 && abs(v.lat - 30.800) < 0.001)
        #expect(w.judge(Script(), manifests: [RuleWorld.manifest("M-1", opened: opened)], dataEnd: opened + 21_600).cases.isEmpty)
    }

    @Test func manifestMismatchWhenClosedWhileTheTruckWasAway() throws {
        // Closed at D-1 while the truck was still loading at S-1, 3.7 km away.
        let j = w.judge(s, manifests: [RuleWorld.manifest("M-1", opened: trip.loadedAt - 300, closed: trip.loadedAt - 60)])
        let v = try #require(j.of(.manifestMismatch).first)
        #expect(v.detail.contains("m outside it"))
        #expect(!v.evidence.fixRanges.isEmpty)
        // Closed at D-1 before the first fix: the GPS says nothing, so not judged.
        let before = w.judge(s, manifests: [RuleWorld.manifest("M-1", opened: Self.start - 3000, closed: Self.start - 1200)])
        #expect(before.of(.manifestMismatch).isEmpty)
    }

    @Test func weightDiscrepancyAgainstTheDeclaredLoad() throws {
        let dumped = try #require(trip.dumpedAt)
        func fires(received: Double) -> Bool {
            let m = RuleWorld.manifest("M-1", opened: trip.loadedAt, closed: dumped, declared: 28, received: received)
            return !w.judge(s, manifests: [m]).of(.weightDiscrepancy).isEmpty
        }
        #expect(!fires(received: 28 * 0.91) && !fires(received: 28 * 1.09))
        #expect(fires(received: 28 * 0.89) && fires(received: 28 * 1.11))
    }

    @Test func weightDiscrepancyAgainstTheSourceGatesWeighing() throws {
        let dumped = try #require(trip.dumpedAt)
        // Weighed out at 20 t net with the manifest though 28 t were declared: 19.5 received is fine, 28 is not.
        let out = RuleWorld.gate("G-1", at: trip.loadedAt, gross: 35, tare: 15, manifest: "M-1")
        let ok = w.judge(s, manifests: [RuleWorld.manifest("M-1", opened: trip.loadedAt, closed: dumped, declared: 28, received: 19.5)],
                         gates: [out])
        #expect(ok.of(.weightDiscrepancy).isEmpty)
        let off = w.judge(s, manifests: [RuleWorld.manifest("M-1", opened: trip.loadedAt, closed: dumped, declared: 28, received: 28)],
                          gates: [out])
        let v = try #require(off.of(.weightDiscrepancy).first)
        #expect(v.detail.contains("weighed out at S-1 by G-1") && v.evidence.gateEvents == ["G-1"] && v.evidence.images == ["gates/G-1.jpg"])
        #expect(off.cases.first?.departments.contains("city_management") == true)
    }
}
