public import MuckWatchCore
public import MuckWatchGeo
import MuckWatchAnalysis

/// Everything a rule may read besides the vehicle's analyzed track. Rules are pure:
/// they never read files, touch SQL or query geometry for containment (the track
/// carries membership); they only measure distances where the contract says so.
public struct RuleContext {
    public let config: Config
    public let index: FenceIndex
    public let plate: String
    /// Registry entry, when the vehicle is registered.
    public let vehicle: Vehicle?
    /// Permits naming this vehicle.
    public let permits: [Permit]
    /// This plate's camera events, time-ordered (every confidence: weak ones are context).
    public let cameras: [CameraEvent]
    /// Fence index of each camera's checkpoint id, `-1` when unknown.
    public let cameraCheckpoint: [Int32]
    /// The run's manifests and gate records (every vehicle's: a manifest's source-gate
    /// weighing may have been read under another plate).
    public let chain: ChainRecords
    /// This vehicle's manifests by `opened_at`, and its gate events by time.
    public let manifests: ArraySlice<Manifest>
    public let gateEvents: ArraySlice<GateEvent>
    /// The registered owner of each of `gateEvents`' tags, at the same indexes (the chain's,
    /// looked up with the registry it was grouped by).
    public let gateTagOwners: ArraySlice<String?>
    /// How far the traces reach (the run's last fix; the live feed's clock): a manifest's
    /// closing limit is judged only once the data has passed it.
    public let dataEnd: Int64

    public init(config: Config, index: FenceIndex, plate: String, vehicle: Vehicle?, permits: [Permit],
                cameras: [CameraEvent], cameraCheckpoint: [Int32], chain: ChainRecords = ChainRecords(),
                dataEnd: Int64 = .min) {
        self.config = config
        self.index = index
        self.plate = plate
        self.vehicle = vehicle
        self.permits = permits
        self.cameras = cameras
        self.cameraCheckpoint = cameraCheckpoint
        self.chain = chain
        manifests = chain.manifests(plate: plate)
        gateEvents = chain.gateEvents(plate: plate)
        gateTagOwners = chain.gateTagOwners(plate: plate)
        self.dataEnd = dataEnd
    }

    var clock: LocalClock { config.clock }

    func fence(_ i: Int32) -> Fence { index.fences[Int(i)] }

    /// A site's centre (WGS84), where a record is placed when the track has no fix.
    func centre(ofSite id: String) -> LonLat? {
        guard let i = index.index(ofID: id), case .polygons(let polys) = fence(i).geometry,
              let ring = polys.first?.first, !ring.isEmpty else { return nil }
        let n = Double(ring.count)
        return LonLat(lon: ring.reduce(0) { $0 + $1.lon } / n, lat: ring.reduce(0) { $0 + $1.lat } / n)
    }

    /// Camera events strong enough to be evidence.
    func strongCameras(_ type: CameraEventType) -> [Int] {
        cameras.indices.filter { cameras[$0].type == type && cameras[$0].confidence >= config.cameraMinConfidence }
    }
}
