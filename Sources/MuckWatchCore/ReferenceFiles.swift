/// Where a run's reference data lives: everything it reads besides the traces. Batch
/// (`AnalysisOptions`) and live (`muckwatch gateway`) name the same files.
public struct ReferenceFiles: Sendable, Equatable {
    public var fences: String
    public var cameras: String?
    public var permits: String?
    public var vehicles: String?
    public var config: String?
    /// Manifests and gate records (contract section 12).
    public var manifests: String?
    public var gateEvents: String?
    /// The datum the fences were drawn in; GCJ-02 fences are shifted to WGS84 once loaded.
    public var fenceCoords: Datum = .wgs84

    public init(fences: String, cameras: String? = nil, permits: String? = nil, vehicles: String? = nil,
                config: String? = nil, manifests: String? = nil, gateEvents: String? = nil,
                fenceCoords: Datum = .wgs84) {
        self.manifests = manifests
        self.gateEvents = gateEvents
        self.fences = fences
        self.cameras = cameras
        self.permits = permits
        self.vehicles = vehicles
        self.config = config
        self.fenceCoords = fenceCoords
    }
}
