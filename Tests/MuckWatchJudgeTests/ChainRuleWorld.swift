import MuckWatchCore
import MuckWatchAnalysis
import MuckWatchGeo
import MuckWatchTestSupport
@testable import MuckWatchJudge

/// The rule world with manifests and gate records: the truck carries tag `tag`, a second
/// registered truck `otherPlate` carries `otherTag`.
extension RuleWorld {
    static let tag = "E2801160600002040C7A5B3F"
    static let otherPlate = "渝F99999"
    static let otherTag = "E2801160600002040C7A0000"
    static let registry = [Vehicle(id: plate, company: "万州渣土", ratedLoadT: 25, terminalID: nil, rfid: tag),
                           Vehicle(id: otherPlate, company: "万州渣土", ratedLoadT: 25, terminalID: nil, rfid: otherTag)]

    /// What `VehicleJudge` makes of the script next to these records, as a batch run does;
    /// `dataEnd` defaults to the script's last fix.
    func judge(_ s: Script, manifests: [Manifest]? = nil, gates: [GateEvent]? = nil,
               registry: [Vehicle] = RuleWorld.registry, dataEnd: Int64? = nil) -> ChainJudgement {
        let track = world.analyze(s.fixes, config: config).track
        var refs = References()
        refs.config = config
        refs.fences = world.fences
        refs.vehicles = registry
        refs.permits = [RuleWorld.permit()]
        refs.chain = ChainRecords(manifests: manifests, gateEvents: gates, tagOwners: refs.tagOwners)
        let judge = VehicleJudge(index: world.index, references: refs)
        let (trips, cases) = judge.judge(track, plate: RuleWorld.plate, dataEnd: dataEnd ?? s.fixes.last?.time ?? .min)
        return ChainJudgement(trips: trips, cases: cases)
    }

    /// The trips the script makes, to place records relative to their times.
    func trips(_ s: Script) -> [Trip] { world.analyze(s.fixes, config: config).track.trips }

    static func manifest(_ id: String, opened: Int64, closed: Int64? = nil, at site: String? = "D-1",
                         declared: Double = 24, received: Double? = nil, source: String = "S-1",
                         vehicle: String = plate) -> Manifest {
        Manifest(id: id, vehicleID: vehicle, sourceSite: source, disposalSite: "D-1", wasteType: .excavatedSoil,
                 declaredT: declared, openedAt: opened, closedAt: closed, closedSite: closed == nil ? nil : site,
                 receivedT: closed == nil ? nil : (received ?? declared))
    }

    static func gate(_ id: String, at t: Int64, site: String = "S-1", _ direction: GateDirection = .out,
                     plate: String? = plate, rfid: String? = nil, gross: Double? = nil, tare: Double? = nil,
                     manifest: String? = nil) -> GateEvent {
        GateEvent(id: id, site: site, time: t, direction: direction, plate: plate, rfid: rfid, grossT: gross, tareT: tare,
                  manifestID: manifest, image: "gates/\(id).jpg")
    }
}

/// A judged vehicle: its trips and cases, and every violation of its cases.
struct ChainJudgement {
    var trips: [Trip]
    var cases: [Case]
    var violations: [Violation] { cases.flatMap(\.violations) }

    func of(_ type: ViolationType) -> [Violation] { violations.of(type) }

    /// The case holding the one violation of `type` that cites `record`.
    func caseOf(_ type: ViolationType, citing record: String) -> Case? {
        cases.first { c in c.violations.contains { $0.type == type && ($0.evidence.manifests + $0.evidence.gateEvents).contains(record) } }
    }
}
