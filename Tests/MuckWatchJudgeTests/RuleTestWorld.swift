import MuckWatchCore
import MuckWatchGeo
import MuckWatchAnalysis
import MuckWatchTestSupport
@testable import MuckWatchJudge

/// The analyzer test city plus a route corridor R-1 along the road, a second disposal
/// site D-2, a restricted zone Z-1 (banned 22:00-23:00, 30 km/h) around 108.420 and a
/// checkpoint KK-1 at 108.430.
struct RuleWorld {
    let world: World
    var config = Config()

    init() throws {
        let road = [LonLat(lon: 108.400, lat: 30.800), LonLat(lon: 108.440, lat: 30.800)]
        world = try World(extra: [
            Fence(id: "R-1", name: "R-1", kind: .route, geometry: .lines([road]), corridorM: 50),
            World.square("D-2", .disposalSite, lon: 108.400, lat: 30.830),
            Fence(id: "Z-1", name: "school", kind: .restrictedZone,
                  geometry: World.square("Z-1", .restrictedZone, lon: 108.420, lat: 30.800, half: 0.006).geometry,
                  hours: [HourWindow(parsing: "22:00-23:00")!], speedLimitKmh: 30),
            Fence(id: "KK-1", name: "KK-1", kind: .checkpoint, geometry: .point(LonLat(lon: 108.430, lat: 30.800))),
        ])
    }

    static let plate = "渝F12345"
    static let vehicle = Vehicle(id: plate, company: "万州渣土", ratedLoadT: 25, terminalID: nil)

    static func permit(disposal: String = "D-1", route: String? = "R-1", hours: String? = "22:00-06:00",
                       from: String = "2026-11-01", to: String = "2026-11-30", id: String = "P-1") -> Permit {
        Permit(id: id, vehicles: [plate], sourceSite: "S-1", disposalSite: disposal, route: route,
               validFrom: LocalDate(parsing: from)!, validTo: LocalDate(parsing: to)!,
               hours: hours.map { [HourWindow(parsing: $0)!] })
    }

    /// Analyzes the script and runs every rule.
    func violations(_ s: Script, permits: [Permit] = [permit()], cameras: [CameraEvent] = [],
                    vehicle: Vehicle? = vehicle) -> (VehicleTrack, [Violation]) {
        let a = world.analyze(s.fixes, config: config)
        var track = a.track
        let ctx = RuleContext(config: config, index: world.index, plate: RuleWorld.plate, vehicle: vehicle,
                              permits: permits, cameras: cameras,
                              cameraCheckpoint: cameras.map { world.index.index(ofID: $0.checkpointID) ?? -1 })
        let v = RuleSet.evaluate(&track, ctx)
        return (track, v)
    }

    /// A plain legal trip: load at S-1 for 8 min, drive the road to D-1, unload, leave.
    static func legalTrip(start: Int64 = World.t0, lift: Bool = false, lid: Bool = false, loadCell: Bool = false,
                          load: Float = 24, kmh: Double = 25) -> Script {
        var s = Script(lift: lift, lid: lid, loadCell: loadCell)
        s.t = start
        s.stay(8 * 60, load: loadCell ? load : nil)
        s.drive(toLon: 108.440, toLat: 30.800, kmh: kmh)
        if lift { s.lift = 1 }
        s.stay(3 * 60, load: loadCell ? 0.3 : nil)
        if lift { s.lift = 0 }
        s.stay(3 * 60)
        s.drive(toLon: 108.445, toLat: 30.810)
        return s
    }
}

extension Array where Element == Violation {
    func of(_ type: ViolationType) -> [Violation] { filter { $0.type == type } }
    var types: Set<ViolationType> { Set(map(\.type)) }
}
