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

    public init(config: Config, index: FenceIndex, plate: String, vehicle: Vehicle?, permits: [Permit],
                cameras: [CameraEvent], cameraCheckpoint: [Int32]) {
        self.config = config
        self.index = index
        self.plate = plate
        self.vehicle = vehicle
        self.permits = permits
        self.cameras = cameras
        self.cameraCheckpoint = cameraCheckpoint
    }

    var clock: LocalClock { config.clock }

    func fence(_ i: Int32) -> Fence { index.fences[Int(i)] }

    /// Camera events strong enough to be evidence.
    func strongCameras(_ type: CameraEventType) -> [Int] {
        cameras.indices.filter { cameras[$0].type == type && cameras[$0].confidence >= config.cameraMinConfidence }
    }
}
