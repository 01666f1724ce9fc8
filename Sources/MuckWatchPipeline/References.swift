import MuckWatchCore
import MuckWatchIngest

/// Everything a run reads besides the traces: config, fences, registry, permits, cameras.
/// Public so the live gateway loads its references exactly as a batch run does.
public struct References: Sendable {
    public var config = Config()
    public var fences: [Fence] = []
    public var vehicles: [Vehicle] = []
    public var permits: [Permit] = []
    public var cameras: [CameraEvent] = []
    /// Bad permit, vehicle and camera rows.
    public var rejects: [Reject] = []

    public init() {}

    /// Reads the reference files named in `o` (its traces and output folder are not used).
    public static func load(_ o: AnalysisOptions) throws(AnalysisError) -> References {
        var r = References()
        do {
            if let path = o.config { r.config = try ConfigReader.read(path: path) }
            r.fences = try FenceReader.read(path: o.fences)
            if let p = o.vehicles { r.vehicles = try VehicleReader.read(path: p, rejects: &r.rejects) }
            if let p = o.permits { r.permits = try PermitReader.read(path: p, rejects: &r.rejects) }
            if let p = o.cameras { r.cameras = try CameraReader.read(path: p, rejects: &r.rejects) }
        } catch {
            throw .input(error.description)
        }
        if o.fenceCoords == .gcj02 { r.fences = r.fences.map(DatumShift.gcj02ToWGS84) }
        return r
    }
}
