import Testing
import MuckWatchCore
import MuckWatchAnalysis
import MuckWatchTestSupport
@testable import MuckWatchJudge

/// The gate rules (contract section 12): each fires on its fault and stays quiet on the
/// near miss beside it; a pass finds its vehicle by plate, else by registered tag.
@Suite struct GateRuleTests {
    static let start = World.t0 + 90 * 60
    /// Metres per degree of longitude at 30.8°N (the test city's road).
    static let metresPerLon = 95_700.0
    let w: RuleWorld

    init() throws { w = try RuleWorld() }

    /// Loads at S-1, then passes single fixes 450 m and 550 m east of S-1's east edge
    /// (108.401) on the way to D-1.
    static func pastTheGate() -> (script: Script, at450: Int64, at550: Int64) {
        var s = Script()
        s.t = start
        s.stay(8 * 60)
        s.drive(toLon: 108.401 + 450 / metresPerLon, toLat: 30.800)
        let at450 = s.t - s.step
        s.drive(toLon: 108.401 + 550 / metresPerLon, toLat: 30.800)
        let at550 = s.t - s.step
        s.drive(toLon: 108.440, toLat: 30.800, kmh: 25)
        s.stay(6 * 60)
        s.drive(toLon: 108.445, toLat: 30.810)
        return (s, at450, at550)
    }

    @Test func presenceMismatchBeyond500MetresOnly() throws {
        let (s, at450, at550) = Self.pastTheGate()
        let j = w.judge(s, gates: [RuleWorld.gate("G-450", at: at450), RuleWorld.gate("G-550", at: at550)])
        let v = j.of(.presenceMismatch)
        #expect(v.map(\.evidence.gateEvents) == [["G-550"]], "\(v.map(\.detail))")
        #expect(v.first?.detail.contains("m outside it") == true && v.first?.source == .gate)
        #expect(v.first.map { $0.start == at550 && $0.end == at550 } == true)
        #expect(j.cases.first { $0.violations.contains { $0.type == .presenceMismatch } }?.departments.contains("traffic_police") == true)
        // Interpolated between the two fixes: 10 s after the 450 m fix is about 483 m, and 20 s after about 517 m.
        #expect(w.judge(s, gates: [RuleWorld.gate("G-483", at: at450 + 10)]).of(.presenceMismatch).isEmpty)
        #expect(w.judge(s, gates: [RuleWorld.gate("G-517", at: at450 + 20)]).of(.presenceMismatch).count == 1)
    }

    @Test func presenceIsNotJudgedAcrossAGPSGap() throws {
        var s = Script()
        s.t = Self.start
        s.stay(8 * 60)
        s.drive(toLon: 108.420, toLat: 30.800)          // 1.8 km from S-1
        let beforeGap = s.t - s.step
        s.t += 600
        s.drive(toLon: 108.440, toLat: 30.800, kmh: 25)
        s.stay(6 * 60)
        let fires = w.judge(s, gates: [RuleWorld.gate("G-1", at: beforeGap)])
        #expect(fires.of(.presenceMismatch).count == 1)
        let gap = w.judge(s, gates: [RuleWorld.gate("G-1", at: beforeGap + 300)])
        #expect(gap.of(.presenceMismatch).isEmpty)
        let noTrack = w.judge(s, gates: [RuleWorld.gate("G-1", at: Self.start - 3600)])
        #expect(noTrack.of(.presenceMismatch).isEmpty)
    }

    @Test func tareAnomalyAgainstTheMedianOfTheOthers() throws {
        let s = RuleWorld.legalTrip(start: Self.start)
        func tares(_ values: [Double]) -> [String] {
            let gates = values.enumerated().map { k, tare in
                RuleWorld.gate("G-\(k)", at: Self.start + Int64(k) * 60, gross: tare + 20, tare: tare)
            }
            return w.judge(s, gates: gates).of(.tareAnomaly).flatMap(\.evidence.gateEvents)
        }
        #expect(tares([15.0, 15.1, 15.2, 17.0]) == ["G-3"])
        #expect(tares([15.0, 15.2, 15.8]).isEmpty)          // 0.7 t off a median of 15.1: 4.6 %
        #expect(tares([15.0, 15.2, 15.9]) == ["G-2"])       // 0.8 t: 5.3 %
        #expect(tares([15.0, 17.0]).isEmpty)                // one other reading is no median
        #expect(tares([15.0, 15.2]).isEmpty)
        let one = w.judge(s, gates: [15.0, 15.1, 17.0].enumerated().map { k, t in
            RuleWorld.gate("G-\(k)", at: Self.start + Int64(k) * 60, tare: t)
        })
        #expect(one.of(.tareAnomaly).first?.source == .gate)
        #expect(one.cases.first { $0.violations.contains { $0.type == .tareAnomaly } }?.departments.contains("market_regulation") == true)
    }

    @Test func rfidMismatchWhenPlateAndTagDisagreeWithTheRegistry() throws {
        let s = RuleWorld.legalTrip(start: Self.start)
        let t = Self.start + 60
        let gates = [RuleWorld.gate("G-own", at: t, rfid: RuleWorld.tag),
                     RuleWorld.gate("G-other", at: t + 60, rfid: RuleWorld.otherTag),      // another truck's tag
                     RuleWorld.gate("G-stray", at: t + 120, rfid: "E28011606000FFFF"),      // a tag nobody registered
                     RuleWorld.gate("G-plate", at: t + 180),                                // no tag read
                     RuleWorld.gate("G-tag", at: t + 240, plate: nil, rfid: RuleWorld.tag)] // no plate read
        let j = w.judge(s, gates: gates)
        #expect(j.of(.rfidMismatch).map(\.evidence.gateEvents) == [["G-other"], ["G-stray"]])
        #expect(j.of(.rfidMismatch).first?.detail.contains("tag of \(RuleWorld.otherPlate)") == true)
        #expect(j.of(.rfidMismatch).last?.detail.contains("its registered tag is \(RuleWorld.tag)") == true)
        // A truck registered without a tag: an unknown tag says nothing.
        let untagged = [Vehicle(id: RuleWorld.plate, company: "万州渣土", ratedLoadT: 25, terminalID: nil)]
        #expect(w.judge(s, gates: [gates[2]], registry: untagged).of(.rfidMismatch).isEmpty)
    }

    @Test func aTagOnlyReadBelongsToTheTagsRegisteredPlate() throws {
        let (s, _, at550) = Self.pastTheGate()
        let tagOnly = RuleWorld.gate("G-tag", at: at550, plate: nil, rfid: RuleWorld.tag)
        let j = w.judge(s, gates: [tagOnly])
        #expect(j.of(.presenceMismatch).map(\.evidence.gateEvents) == [["G-tag"]])
        let chain = ChainRecords(manifests: nil, gateEvents: [tagOnly], tagOwners: [RuleWorld.tag: RuleWorld.plate])
        #expect(chain.gateEvents(plate: RuleWorld.plate).map(\.id) == ["G-tag"] && chain.unowned == 0)
        #expect(chain.gateOwners == [RuleWorld.plate])
    }

    @Test func aTagNobodyRegisteredWithoutAPlateBelongsToNoOne() throws {
        let (s, _, at550) = Self.pastTheGate()
        let stray = RuleWorld.gate("G-stray", at: at550, plate: nil, rfid: "E28011606000FFFF")
        let chain = ChainRecords(manifests: nil, gateEvents: [stray], tagOwners: [RuleWorld.tag: RuleWorld.plate])
        #expect(chain.gateEvents.isEmpty && chain.unowned == 1 && chain.plates.isEmpty)
        #expect(w.judge(s, gates: [stray]).violations.isEmpty)
        // A plate read wins over the tag: another truck's tag under this plate is this plate's pass.
        let cloned = RuleWorld.gate("G-clone", at: at550, plate: RuleWorld.plate, rfid: RuleWorld.otherTag)
        let both = ChainRecords(manifests: nil, gateEvents: [cloned], tagOwners: [RuleWorld.otherTag: RuleWorld.otherPlate])
        #expect(both.gateEvents(plate: RuleWorld.plate).map(\.id) == ["G-clone"] && both.gateEvents(plate: RuleWorld.otherPlate).isEmpty)
    }
}
