import Testing
import MuckWatchCore
import MuckWatchAnalysis
import MuckWatchTestSupport
@testable import MuckWatchJudge

/// Each rule on small hand-made tracks: one case that fires, one near miss that must not.
@Suite struct RuleTests {
    let late = World.t0 + 30 * 60   // 22:30 local, inside permit hours, inside Z-1's ban

    @Test func legalTripRaisesNothing() throws {
        let w = try RuleWorld()
        let (track, v) = w.violations(RuleWorld.legalTrip(start: late + 3600, lift: true, lid: true, loadCell: true))
        #expect(track.trips.count == 1)
        #expect(track.trips.first?.permitID == "P-1")
        #expect(v.isEmpty, "\(v.map(\.detail))")
    }

    @Test func noPermitFiresForMissingExpiredOrOtherSitePermits() throws {
        let w = try RuleWorld()
        let s = RuleWorld.legalTrip(start: late + 3600)
        #expect(w.violations(s, permits: []).1.of(.noPermit).count == 1)
        #expect(w.violations(s, permits: [RuleWorld.permit(to: "2026-11-19")]).1.of(.noPermit).count == 1)
        let other = Permit(id: "P-9", vehicles: [RuleWorld.plate], sourceSite: "S-7", disposalSite: "D-1", route: nil,
                           validFrom: LocalDate(parsing: "2026-11-01")!, validTo: LocalDate(parsing: "2026-11-30")!,
                           hours: nil)
        let (track, v) = w.violations(s, permits: [other])
        #expect(v.of(.noPermit).count == 1)
        #expect(track.trips.first?.permitID == nil)
        // Permit-relative rules do not apply without a permit.
        #expect(v.of(.offRoute).isEmpty && v.of(.outsideHours).isEmpty && v.of(.unapprovedDisposal).isEmpty)
    }

    @Test func unapprovedDisposalButNotUnderASecondValidPermit() throws {
        let w = try RuleWorld()
        let s = RuleWorld.legalTrip(start: late + 3600)
        #expect(w.violations(s, permits: [RuleWorld.permit(disposal: "D-2", route: nil)]).1.of(.unapprovedDisposal).count == 1)
        let both = [RuleWorld.permit(disposal: "D-2", route: nil), RuleWorld.permit(id: "P-2")]
        let (track, v) = w.violations(s, permits: both)
        #expect(v.of(.unapprovedDisposal).isEmpty)
        #expect(track.trips.first?.permitID == "P-2")
    }

    @Test func illegalDumpByLiftButNotAFuelStop() throws {
        let w = try RuleWorld()
        var s = Script(lift: true)
        s.t = late + 3600
        s.stay(8 * 60)
        s.drive(toLon: 108.410, toLat: 30.800)
        s.stay(12 * 60)                       // fuel stop, tipper down
        s.drive(toLon: 108.425, toLat: 30.8003)
        s.lift = 1
        s.stay(150)
        s.lift = 0
        s.drive(toLon: 108.445, toLat: 30.810)
        let v = w.violations(s).1
        let dumps = v.of(.illegalDump)
        #expect(dumps.count == 1)
        #expect(dumps.first?.source == .sensor)
        #expect(dumps.first.map { abs($0.lon - 108.425) < 0.0005 } == true)
    }

    @Test func offRouteNeedsDistanceOutsideTheCorridor() throws {
        let w = try RuleWorld()
        var s = Script()
        s.t = late + 3600
        s.stay(8 * 60)
        s.drive(toLon: 108.410, toLat: 30.800)
        s.drive(toLon: 108.412, toLat: 30.812)   // 1.3 km off the road
        s.drive(toLon: 108.420, toLat: 30.800)
        s.drive(toLon: 108.440, toLat: 30.800)
        s.stay(5 * 60)
        #expect(w.violations(s).1.of(.offRoute).count == 1)

        var wobble = Script()
        wobble.t = late + 3600
        wobble.stay(8 * 60)
        wobble.drive(toLon: 108.410, toLat: 30.800)
        wobble.drive(toLon: 108.412, toLat: 30.8003)   // 33 m sideways, inside 50 m
        wobble.drive(toLon: 108.440, toLat: 30.800)
        wobble.stay(5 * 60)
        #expect(w.violations(wobble).1.of(.offRoute).isEmpty)
    }

    @Test func outsideHoursOnlyWithPermitHours() throws {
        let w = try RuleWorld()
        let early = RuleWorld.legalTrip(start: World.t0 - 3600)          // 21:00: before 22:00
        let v = w.violations(early).1.of(.outsideHours)
        #expect(v.count == 1)
        #expect(w.violations(early, permits: [RuleWorld.permit(hours: nil)]).1.of(.outsideHours).isEmpty)
        #expect(w.violations(RuleWorld.legalTrip(start: late + 3600)).1.of(.outsideHours).isEmpty)
    }

    @Test func restrictedZoneOnlyInBannedHours() throws {
        let w = try RuleWorld()
        let during = w.violations(RuleWorld.legalTrip(start: World.t0 + 10 * 60, kmh: 25)).1.of(.restrictedZone)
        #expect(during.count == 1)
        #expect(during.first?.tripIndex == 0)
        #expect(w.violations(RuleWorld.legalTrip(start: late + 3600, kmh: 25)).1.of(.restrictedZone).isEmpty)
    }

    @Test func speedingIsSustainedAndZoneLimitsComeFirst() throws {
        let w = try RuleWorld()
        // 45 km/h: under 60, but over Z-1's 30 km/h limit (which holds at all hours).
        let zone = w.violations(RuleWorld.legalTrip(start: late + 3600, kmh: 45)).1.of(.speeding)
        #expect(zone.count == 1)
        #expect(zone.first?.detail.contains("30 km/h") == true)
        var spike = RuleWorld.legalTrip(start: late + 3600, kmh: 25)
        spike.fixes[20].speedKmh = 138
        #expect(w.violations(spike).1.of(.speeding).isEmpty)
    }

    @Test func overloadFromLoadCellAndCamera() throws {
        let w = try RuleWorld()
        let heavy = w.violations(RuleWorld.legalTrip(start: late + 3600, loadCell: true, load: 29)).1
        #expect(heavy.of(.overload).count == 1)
        #expect(heavy.of(.overload).first?.source == .sensor)
        #expect(w.violations(RuleWorld.legalTrip(start: late + 3600, loadCell: true, load: 26)).1.of(.overload).isEmpty)
        let cam = CameraEvent(id: "E-1", checkpointID: "KK-1", time: late + 3600 + 12 * 60, plate: RuleWorld.plate,
                              type: .overload, confidence: 0.9, image: "snap/E-1.jpg")
        let v = w.violations(RuleWorld.legalTrip(start: late + 3600), cameras: [cam]).1.of(.overload)
        #expect(v.count == 1)
        #expect(v.first?.source == .camera)
        #expect(v.first?.evidence.images == ["snap/E-1.jpg"])
    }

    @Test func unsealedNeedsAnOpenCoverWhileMovingLoaded() throws {
        let w = try RuleWorld()
        var open = RuleWorld.legalTrip(start: late + 3600, lid: true)
        for i in 18..<26 { open.fixes[i].lid = 0 }
        #expect(w.violations(open).1.of(.unsealed).count == 1)
        var flicker = RuleWorld.legalTrip(start: late + 3600, lid: true)
        flicker.fixes[3].lid = 0                       // one fix, parked at the source
        flicker.fixes[20].lid = 0                      // one fix while driving: under 60 s
        #expect(w.violations(flicker).1.of(.unsealed).isEmpty)
    }

    @Test func spillNeedsAConfidentCamera() throws {
        let w = try RuleWorld()
        func cam(_ c: Double) -> CameraEvent {
            CameraEvent(id: "E-2", checkpointID: "KK-1", time: late + 3600 + 12 * 60, plate: RuleWorld.plate,
                        type: .spill, confidence: c, image: nil)
        }
        #expect(w.violations(RuleWorld.legalTrip(start: late + 3600), cameras: [cam(0.9)]).1.of(.spill).count == 1)
        #expect(w.violations(RuleWorld.legalTrip(start: late + 3600), cameras: [cam(0.4)]).1.isEmpty)
    }

    @Test func signalLossWhileMovingButNotWhileParked() throws {
        let w = try RuleWorld()
        var moving = RuleWorld.legalTrip(start: late + 3600)
        let cut = moving.fixes.firstIndex { $0.lon > 108.41 }!
        moving.fixes.removeSubrange(cut..<(cut + 14))      // 7 min, ~4 km
        #expect(w.violations(moving).1.of(.signalLoss).count == 1)
        var parked = Script()
        parked.t = late
        parked.stay(30 * 60)
        parked.fixes.removeSubrange(10..<50)                 // 20 min quiet, not moving
        parked.drive(toLon: 108.41, toLat: 30.81)
        #expect(w.violations(parked).1.of(.signalLoss).isEmpty)
    }

    @Test func plateMismatchWhenTheTruckWasElsewhere() throws {
        let w = try RuleWorld()
        let s = RuleWorld.legalTrip(start: late + 3600)
        let atSource = late + 3600 + 4 * 60                  // the truck sits at S-1, 2.9 km from KK-1
        let clone = CameraEvent(id: "E-3", checkpointID: "KK-1", time: atSource, plate: RuleWorld.plate, type: .pass,
                                confidence: 0.9, image: nil)
        #expect(w.violations(s, cameras: [clone]).1.of(.plateMismatch).count == 1)
        let t = s.fixes.first { $0.lon >= 108.4299 }!.time       // the truck itself passing KK-1
        let real = CameraEvent(id: "E-4", checkpointID: "KK-1", time: t, plate: RuleWorld.plate, type: .pass,
                               confidence: 0.9, image: nil)
        #expect(w.violations(s, cameras: [real]).1.of(.plateMismatch).isEmpty)
    }
}
