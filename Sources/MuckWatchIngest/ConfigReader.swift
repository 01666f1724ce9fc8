import Foundation
public import MuckWatchCore

/// Reads `--config FILE`: a JSON object overriding any default of contract section 10.
/// Unknown keys are errors, so a typo never silently leaves a default in force.
public enum ConfigReader {
    // Built per use: key paths are not `Sendable`, so a table kept in a static would need
    // `nonisolated(unsafe)`; a config has a dozen keys.
    static var numberKeys: [String: WritableKeyPath<Config, Double>] { [
        "camera_min_confidence": \.cameraMinConfidence, "stop_radius_m": \.stopRadiusM, "load_step_t": \.loadStepT,
        "loaded_min_t": \.loadedMinT, "speed_limit_kmh": \.speedLimitKmh, "overload_ratio": \.overloadRatio,
        "off_route_min_m": \.offRouteMinM, "signal_gap_min_m": \.signalGapMinM, "outlier_speed_kmh": \.outlierSpeedKmh,
        "plate_mismatch_min_m": \.plateMismatchMinM, "moving_min_kmh": \.movingMinKmh,
        "presence_max_m": \.presenceMaxM, "weight_tolerance": \.weightTolerance, "tare_tolerance": \.tareTolerance,
    ] }
    static var secondKeys: [String: WritableKeyPath<Config, Int64>] { [
        "dwell_min_s": \.dwellMinS, "unload_min_s": \.unloadMinS, "speeding_min_s": \.speedingMinS,
        "overload_min_s": \.overloadMinS, "unsealed_min_s": \.unsealedMinS, "signal_gap_s": \.signalGapS,
        "plate_mismatch_max_fix_gap_s": \.plateMismatchMaxFixGapS, "merge_gap_s": \.mergeGapS,
        "manifest_match_s": \.manifestMatchS, "manifest_close_max_s": \.manifestCloseMaxS,
    ] }
    /// Keys of the same file that another reader validates: the dispatch worker's (issue #20,
    /// `DispatchConfigReader` in MuckWatchDispatch). Known here so the analysis accepts the file.
    public static let dispatchKeys = ["dispatch_webhooks", "dispatch_worker", "auto_dispatch"]

    static var validKeys: [String] {
        (Array(numberKeys.keys) + Array(secondKeys.keys) + ["timezone", "departments", "projection_epsg"]
            + dispatchKeys).sorted()
    }

    public static func read(path: String) throws(IngestError) -> Config {
        let data = try JSONInput.read(path)
        guard let o = JSONInput.object(data) as? [String: Any] else {
            throw .invalidConfig(path: path, reason: "not a JSON object")
        }
        return try apply(o, path: path)
    }

    static func apply(_ o: [String: Any], path: String) throws(IngestError) -> Config {
        var c = Config()
        for (key, value) in o.sorted(by: { $0.key < $1.key }) {
            func fail(_ m: String) -> IngestError { .invalidConfig(path: path, reason: "\(key): \(m)") }
            if let kp = numberKeys[key] {
                guard let v = JSONInput.number(value) ?? nil, v >= 0 else { throw fail("must be a non-negative number") }
                c[keyPath: kp] = v
            } else if let kp = secondKeys[key] {
                // Bounded before the conversion: a huge number would trap in Int64(_:).
                guard let v = JSONInput.number(value) ?? nil, v >= 0, v == v.rounded(), v <= 31_536_000 else {
                    throw fail("must be whole seconds, at most a year (31536000)")
                }
                c[keyPath: kp] = Int64(v)
            } else if key == "timezone" {
                guard let name = value as? String, let zone = TimeZone(identifier: name) else {
                    throw fail("unknown time zone (use an IANA name such as Asia/Shanghai)")
                }
                c.timezone = name
                c.clock = LocalClock(offsetSeconds: Int64(zone.secondsFromGMT()))
            } else if key == "projection_epsg" {
                guard let v = JSONInput.number(value) ?? nil, v == v.rounded(), v > 0, v < 1_000_000 else {
                    throw fail("must be an EPSG code (a whole number such as 4545)")
                }
                c.projectionEPSG = Int(v)
            } else if key == "departments" {
                guard let table = value as? [String: Any] else { throw fail("must map violation types to department lists") }
                for (t, ds) in table {
                    guard let type = ViolationType(rawValue: t) else { throw fail("unknown violation type '\(t)'") }
                    guard let list = ds as? [String], !list.isEmpty else { throw fail("\(t) needs a non-empty list of departments") }
                    c.departments[type] = list
                }
            } else if dispatchKeys.contains(key) {
                continue
            } else {
                throw .invalidConfig(path: path, reason: "unknown key '\(key)' (valid keys: \(validKeys.joined(separator: ", ")))")
            }
        }
        return c
    }
}
