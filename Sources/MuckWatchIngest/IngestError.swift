/// Why an input could not be read at all (a bad *row* is a `Reject`, not an error).
public enum IngestError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(path: String)
    case unreadable(path: String, reason: String)
    /// A fence file that is not a GeoJSON FeatureCollection/Feature, or a feature the contract forbids.
    case invalidFences(path: String, reason: String)
    case invalidPermits(path: String, reason: String)
    case invalidVehicles(path: String, reason: String)
    case invalidConfig(path: String, reason: String)
    case invalidManifests(path: String, reason: String)
    case invalidGateEvents(path: String, reason: String)
    case unsupportedFormat(path: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let p): return "\(p): no such file or directory"
        case .unreadable(let p, let r): return "\(p): cannot read: \(r)"
        case .invalidFences(let p, let r): return "\(p): not usable as geofences: \(r)"
        case .invalidPermits(let p, let r): return "\(p): not usable as permits: \(r)"
        case .invalidVehicles(let p, let r): return "\(p): not usable as a vehicle registry: \(r)"
        case .invalidConfig(let p, let r): return "\(p): not a usable config: \(r)"
        case .invalidManifests(let p, let r): return "\(p): not usable as manifests: \(r)"
        case .invalidGateEvents(let p, let r): return "\(p): not usable as gate events: \(r)"
        case .unsupportedFormat(let p, let r): return "\(p): \(r)"
        }
    }
}

extension IngestError {
    /// A JT/T 808 capture among the traces when no registry maps its terminals to plates.
    public static func captureWithoutTerminals(path: String) -> IngestError {
        .unsupportedFormat(path: path, reason: "a JT/T 808 capture needs --vehicles with terminal_id to name its trucks")
    }
}
