import Testing
import MuckWatchCore
import MuckWatchGeo
import MuckWatchTestSupport
@testable import MuckWatchAnalysis

@Suite struct VehicleAnalyzerTests {
    @Test func sensorlessTripFromSourceDwellToDisposalDwell() throws {
        let w = try World()
        var s = Script()
        s.drive(toLon: 108.399, toLat: 30.805)
        s.drive(toLon: 108.400, toLat: 30.800)
        s.stay(8 * 60)
        let leave = s.t - s.step
        s.drive(toLon: 108.440, toLat: 30.800)
        let arrive = s.t - s.step      // the last driving fix is already at the site
        s.stay(5 * 60)
        s.drive(toLon: 108.42, toLat: 30.81)
        let a = w.analyze(s.fixes)
        let trips = a.track.trips
        #expect(trips.count == 1)
        let t = try #require(trips.first)
        #expect(t.sourceSite == "S-1")
        #expect(t.disposalSite == "D-1")
        #expect(t.loadedAt == leave)
        #expect(t.dumpedAt == arrive)
        #expect(t.unloadEvidence == .disposalDwell)
        #expect(t.distanceKm > 3.5 && t.distanceKm < 4.2)
    }

    @Test func sensorlessLoadThatNeverReachesADisposalSiteEndsAtLongestOffSiteStop() throws {
        let w = try World()
        var s = Script()
        s.stay(8 * 60)                            // loading at S-1
        s.drive(toLon: 108.415, toLat: 30.800)
        s.stay(4 * 60)                            // a short stop
        s.drive(toLon: 108.420, toLat: 30.806)
        let dumpStart = s.t - s.step
        s.stay(9 * 60)                            // the dump
        s.drive(toLon: 108.400, toLat: 30.800)
        s.stay(8 * 60)                            // loading again
        s.drive(toLon: 108.440, toLat: 30.800)
        s.stay(5 * 60)
        let a = w.analyze(s.fixes)
        #expect(a.track.trips.count == 2)
        let first = a.track.trips[0]
        #expect(first.disposalSite == nil)
        #expect(first.unloadEvidence == .inferredDwell)
        #expect(first.dumpedAt == dumpStart)
        #expect(abs(first.dumpLon - 108.420) < 0.0005 && abs(first.dumpLat - 30.806) < 0.0005)
        #expect(a.track.trips[1].disposalSite == "D-1")
    }

    @Test func liftRaisedOutsideSitesIsAnUnloadingThereAndAFuelStopIsNot() throws {
        let w = try World()
        var s = Script(lift: true)
        s.stay(8 * 60)
        s.drive(toLon: 108.415, toLat: 30.800)
        s.stay(12 * 60)                           // fuel stop, tipper down
        s.drive(toLon: 108.425, toLat: 30.800)
        s.lift = 1
        let raised = s.t
        s.stay(2 * 60)
        s.lift = 0
        s.drive(toLon: 108.440, toLat: 30.800)
        s.stay(5 * 60)                            // disposal visit, empty: no second unloading
        let a = w.analyze(s.fixes)
        #expect(a.track.trips.count == 1)
        let t = try #require(a.track.trips.first)
        #expect(t.disposalSite == nil)
        #expect(t.unloadEvidence == .lift)
        #expect(t.dumpedAt == raised)
        #expect(abs(t.dumpLon - 108.425) < 0.0003)
    }

    @Test func loadCellRiseAndFallMakeTheTrip() throws {
        let w = try World()
        var s = Script(lift: true, lid: true, loadCell: true)
        s.stay(8 * 60, load: 28)
        s.drive(toLon: 108.440, toLat: 30.800)
        s.lift = 1
        s.stay(2 * 60, load: 0.4)
        s.lift = 0
        s.stay(60)
        s.drive(toLon: 108.42, toLat: 30.81)
        let a = w.analyze(s.fixes)
        #expect(a.track.trips.count == 1)
        let t = try #require(a.track.trips.first)
        #expect(t.sourceSite == "S-1")
        #expect(t.disposalSite == "D-1")
        #expect(t.loadT.map { $0 > 27 } == true)
        #expect(a.track.loadSteps.map(\.direction) == [.rise, .fall])
    }

    @Test func parkedInASiteWithAnEmptyLoadCellIsNotALoading() throws {
        let w = try World()
        var s = Script(loadCell: true)
        s.stay(60 * 60)
        s.drive(toLon: 108.44, toLat: 30.80)
        s.stay(10 * 60)
        let a = w.analyze(s.fixes)
        #expect(a.track.trips.isEmpty)
    }

    @Test func outliersAndDuplicatesAreDroppedAndCounted() throws {
        let w = try World()
        var s = Script()
        s.drive(toLon: 108.46, toLat: 30.80)       // ~19 fixes
        var fixes = s.fixes
        fixes.insert(fixes[5], at: 6)                          // exact duplicate
        fixes[10].lon += 0.05                                  // a 5 km jump for one fix
        let a = w.analyze(fixes)
        #expect(a.duplicates == 1)
        #expect(a.outliers == 1)
        #expect(a.track.count == s.fixes.count - 1)
        #expect(!a.track.fixes.contains { $0.time == fixes[10].time })
    }

    @Test func dwellsNeedTheMinimumSpan() throws {
        let w = try World()
        var s = Script()
        s.drive(toLon: 108.41, toLat: 30.80)
        s.stay(150)                                            // a red light: too short
        s.drive(toLon: 108.42, toLat: 30.80)
        s.stay(240)
        s.drive(toLon: 108.43, toLat: 30.80)
        let a = w.analyze(s.fixes)
        #expect(a.track.dwells.count == 1)
        #expect(a.track.dwells.first.map { $0.duration >= 180 } == true)
        #expect(a.track.dwells.first?.site == -1)
    }

    /// A fix 60 m short of the stop (the truck rolling in) must not cut a 4.5 min stop
    /// into two pieces shorter than `dwell_min_s`.
    @Test func anApproachFixDoesNotSplitTheStop() throws {
        let w = try World()
        var s = Script()
        s.drive(toLon: 108.4394, toLat: 30.800)             // 60 m short of the stop
        let stopStart = s.t
        s.lon = 108.440
        s.stay(270)
        s.drive(toLon: 108.46, toLat: 30.80)
        let a = w.analyze(s.fixes)
        #expect(a.track.dwells.count == 1)
        let d = try #require(a.track.dwells.first)
        #expect(abs(d.start - stopStart) <= 30)          // the approach fix may be within the radius
        #expect(d.end >= stopStart + 210)
        #expect(a.track.dwells.first?.site == 1)
    }

    /// Sparse reports (a fix every 2 minutes): a 4-minute stop is two fixes 120 s apart,
    /// still a dwell, so the sensorless trip still ends in the disposal site.
    @Test func sparseReportsStillFindTheStops() throws {
        let w = try World()
        var s = Script(step: 120)
        s.stay(8 * 60)
        s.drive(toLon: 108.440, toLat: 30.800, kmh: 40)
        s.stay(240)
        s.drive(toLon: 108.46, toLat: 30.81, kmh: 40)
        let a = w.analyze(s.fixes)
        #expect(a.track.trips.count == 1)
        #expect(a.track.trips.first?.disposalSite == "D-1")
    }

    /// One raised-tipper fix: an unloading when fixes are a minute apart and the truck
    /// stands still; a flicker when they are 30 s apart.
    @Test func aSingleRaisedFixCountsOnlyWhenReportsAreSparse() throws {
        let w = try World()
        func trip(step: Int64) -> VehicleAnalyzer {
            var s = Script(step: step, lift: true)
            s.stay(8 * 60)
            s.drive(toLon: 108.425, toLat: 30.800, kmh: 30)
            s.stay(step * 2)
            s.lift = 1
            s.stay(step)                 // exactly one raised fix
            s.lift = 0
            s.stay(step * 2)
            s.drive(toLon: 108.44, toLat: 30.81, kmh: 30)
            return w.analyze(s.fixes)
        }
        #expect(trip(step: 60).track.trips.first?.unloadEvidence == .lift)
        #expect(trip(step: 30).track.trips.first?.unloadEvidence != .lift)
    }

    /// A truck loaded at S-1 stops for minutes in another construction site S-2 on its way
    /// (its gate, traffic through it), its load cell still full: one trip S-1 → D-1, not a
    /// load dumped on the way and a second loading at S-2.
    @Test func aLoadedTruckStoppingInAnotherSiteIsNotLoadedThere() throws {
        let w = try World(extra: [World.square("S-2", .constructionSite, lon: 108.420, lat: 30.800)])
        var s = Script(loadCell: true)
        s.stay(8 * 60, load: 28)
        s.drive(toLon: 108.420, toLat: 30.800)
        s.stay(8 * 60)                            // in S-2, still loaded
        s.drive(toLon: 108.440, toLat: 30.800)
        s.stay(3 * 60, load: 0.4)
        s.stay(2 * 60)
        s.drive(toLon: 108.46, toLat: 30.81)
        let a = w.analyze(s.fixes)
        #expect(a.track.trips.count == 1)
        let t = try #require(a.track.trips.first)
        #expect(t.sourceSite == "S-1")
        #expect(t.disposalSite == "D-1")
        #expect(t.unloadEvidence == .loadCell)
    }

    /// A load cell that creeps on the road keeps the rise open after the truck left S-1,
    /// while it drives slowly across S-2: the load came on where the reading passed halfway,
    /// in S-1, not in the last site of the rise.
    @Test func aCreepingLoadCellRiseBelongsToTheSiteWhereItPassedHalfway() throws {
        let w = try World(extra: [World.square("S-2", .constructionSite, lon: 108.420, lat: 30.800)])
        var s = Script(loadCell: true)
        s.stay(8 * 60, load: 20)
        var lon = 108.400
        while lon < 108.4395 {                    // one fix every ~96 m, the reading up 0.2 t at each
            lon += 0.001
            s.load += 0.2
            s.drive(toLon: lon, toLat: 30.800, kmh: 10)
        }
        #expect(s.fixes.contains { f in abs(f.lon - 108.420) < 0.0009 && f.loadT > 23 })   // crossed S-2 still rising
        s.stay(3 * 60)
        s.stay(3 * 60, load: 0.4)
        s.stay(2 * 60)
        s.drive(toLon: 108.46, toLat: 30.81)
        let a = w.analyze(s.fixes)
        #expect(a.track.loadSteps.map(\.direction) == [.rise, .fall])
        #expect(a.track.trips.count == 1)
        let t = try #require(a.track.trips.first)
        #expect(t.sourceSite == "S-1")
        #expect(t.disposalSite == "D-1")
    }
}
