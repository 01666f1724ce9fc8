import MuckWatchCore
import MuckWatchGeo
import MuckWatchAnalysis
import MuckWatchRules
import MuckWatchCases

/// Rules → cases → case tracks for one vehicle's analyzed track: the part of the
/// per-vehicle stage after the analyzer. Batch (`VehicleStage`) and live
/// (`MuckWatchLive.LiveAnalysis`) both judge a track through this one type, so a live
/// feed and a batch run over the same fixes give the same trips, cases and case ids.
public struct VehicleJudge: Sendable {
    public let index: FenceIndex
    public let config: Config
    public let registry: [String: Vehicle]
    /// Permits by the plates they name.
    public let permitsByPlate: [String: [Permit]]
    /// Camera events by plate, time-ordered.
    public let camerasByPlate: [String: [CameraEvent]]

    public init(index: FenceIndex, config: Config, registry: [String: Vehicle], permitsByPlate: [String: [Permit]],
                camerasByPlate: [String: [CameraEvent]]) {
        self.index = index
        self.config = config
        self.registry = registry
        self.permitsByPlate = permitsByPlate
        self.camerasByPlate = camerasByPlate
    }

    /// Indexes the references the way `Analysis.run` does (first registry entry of a plate
    /// wins, cameras ordered by time then id).
    public init(index: FenceIndex, references refs: References) {
        var permits: [String: [Permit]] = [:]
        for p in refs.permits { for v in Set(p.vehicles) { permits[v, default: []].append(p) } }
        self.init(index: index, config: refs.config,
                  registry: Dictionary(refs.vehicles.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                  permitsByPlate: permits,
                  camerasByPlate: References.camerasByPlate(refs.cameras))
    }

    /// The trips (with rated load and case ids filled in) and cases of one vehicle's track.
    /// - Parameter tracks: cut each case's map track (`Case.track`); the live feed skips
    ///   it for the frequent judgements of open trips.
    /// - Parameter from: only violations starting at or after this time make cases; the
    ///   live feed's trimmed tracks (`VehicleAnalyzer.trim`) pass the time their earlier
    ///   violations were settled at (those cases are kept, judged, from before the trim).
    public func judge(_ track: VehicleTrack, plate: String, tracks: Bool = true,
                      from: Int64 = .min) -> (trips: [Trip], cases: [Case]) {
        var track = track
        let vehicle = registry[plate]
        let cams = camerasByPlate[plate] ?? []
        let ctx = RuleContext(config: config, index: index, plate: plate, vehicle: vehicle,
                              permits: permitsByPlate[plate] ?? [], cameras: cams,
                              cameraCheckpoint: cams.map { index.index(ofID: $0.checkpointID) ?? -1 })
        var violations = RuleSet.evaluate(&track, ctx)
        if from != .min { violations.removeAll { $0.start < from } }
        var trips = track.trips
        for k in trips.indices where trips[k].loadT == nil { trips[k].loadT = vehicle?.ratedLoadT }
        var cases = CaseBuilder.cases(plate: plate, company: vehicle?.company, trips: &trips,
                                      violations: violations, config: config)
        if tracks { CaseTracks.attach(&cases, track: track) }
        return (trips, cases)
    }
}
