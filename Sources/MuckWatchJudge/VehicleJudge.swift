public import MuckWatchCore
public import MuckWatchGeo
public import MuckWatchAnalysis

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
    /// Camera reads, grouped by plate and time-ordered.
    public let cameras: CameraReads
    /// The fence index of each of `cameras.checkpointIDs` (`-1`: not a fence), looked up
    /// once, not per read of every judged vehicle.
    let cameraFences: [Int32]
    /// Manifests and gate records, grouped by vehicle (with their tags' owners).
    public let chain: ChainRecords

    public init(index: FenceIndex, config: Config, registry: [String: Vehicle], permitsByPlate: [String: [Permit]],
                cameras: CameraReads, chain: ChainRecords = ChainRecords()) {
        self.index = index
        self.config = config
        self.registry = registry
        self.permitsByPlate = permitsByPlate
        self.cameras = cameras
        self.chain = chain
        cameraFences = cameras.perCheckpoint { index.index(ofID: $0) ?? -1 }
    }

    /// Indexes the references the way `Analysis.run` does (first registry entry of a plate
    /// wins, cameras ordered by time then id).
    public init(index: FenceIndex, references refs: References) {
        self.init(index: index, config: refs.config,
                  registry: Dictionary(refs.vehicles.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
                  permitsByPlate: Self.permitsByPlate(refs.permits), cameras: refs.cameras, chain: refs.chain)
    }

    /// Permits by the plates they name, each permit once per plate, in file order.
    public static func permitsByPlate(_ permits: [Permit]) -> [String: [Permit]] {
        var out: [String: [Permit]] = [:]
        for p in permits { for v in Set(p.vehicles) { out[v, default: []].append(p) } }
        return out
    }

    /// The trips (with rated load and case ids filled in) and cases of one vehicle's track.
    /// - Parameter tracks: cut each case's map track (`Case.track`); the live feed skips
    ///   it for the frequent judgements of open trips.
    /// - Parameter from: only violations starting at or after this time make cases; the
    ///   live feed's trimmed tracks (`VehicleAnalyzer.trim`) pass the time their earlier
    ///   violations were settled at (those cases are kept, judged, from before the trim).
    /// - Parameter dataEnd: how far the data reaches (the run's last fix, the live clock);
    ///   a manifest's closing limit counts only once passed.
    public func judge(_ track: VehicleTrack, plate: String, tracks: Bool = true,
                      from: Int64 = .min, dataEnd: Int64 = .min) -> (trips: [Trip], cases: [Case]) {
        var track = track
        let vehicle = registry[plate]
        let reads = cameras.records(plate: plate)
        let ctx = RuleContext(config: config, index: index, plate: plate, vehicle: vehicle,
                              permits: permitsByPlate[plate] ?? [], cameras: cameras.events(plate: plate),
                              cameraCheckpoint: reads.map { cameraFences[Int($0.checkpoint)] }, chain: chain,
                              dataEnd: dataEnd)
        var violations = RuleSet.evaluate(&track, ctx)
        if from != .min { violations.removeAll { $0.start < from } }
        var trips = track.trips
        for k in trips.indices where trips[k].loadT == nil { trips[k].loadT = vehicle?.ratedLoadT }
        if !chain.isEmpty { ReceivedTonnes.fill(&trips, ctx) }
        var cases = CaseBuilder.cases(plate: plate, company: vehicle?.company, trips: &trips,
                                      violations: violations, config: config)
        if tracks { CaseTracks.attach(&cases, track: track) }
        return (trips, cases)
    }
}
