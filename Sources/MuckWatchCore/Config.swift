/// Thresholds and tables of contract section 10. Every field has the contract's default;
/// `--config FILE` overrides any subset (see `ConfigReader` in MuckWatchIngest).
public struct Config: Sendable, Equatable {
    public var timezone = "Asia/Shanghai"
    /// Resolved from `timezone` when the config is read.
    public var clock = LocalClock.shanghai
    public var cameraMinConfidence = 0.6
    public var stopRadiusM = 50.0
    public var dwellMinS: Int64 = 180
    public var unloadMinS: Int64 = 30
    public var loadStepT = 5.0
    public var loadedMinT = 3.0
    public var speedLimitKmh = 60.0
    public var speedingMinS: Int64 = 30
    public var overloadRatio = 1.05
    /// Load cell over rated × ratio for this long while moving.
    public var overloadMinS: Int64 = 60
    public var unsealedMinS: Int64 = 60
    public var offRouteMinM = 200.0
    public var signalGapS: Int64 = 300
    public var signalGapMinM = 1000.0
    public var outlierSpeedKmh = 150.0
    public var plateMismatchMinM = 2000.0
    /// Fixes farther than this from the camera time are not interpolated.
    public var plateMismatchMaxFixGapS: Int64 = 120
    /// A reported speed at or above this is "moving".
    public var movingMinKmh = 5.0
    /// Interruptions shorter than this do not split a violation.
    public var mergeGapS: Int64 = 120
    // Contract section 12: manifests and gate records.
    /// A trip matches a manifest opened at most this far from its `loaded_at`.
    public var manifestMatchS: Int64 = 2700
    /// A manifest still open this long after it was opened is unclosed.
    public var manifestCloseMaxS: Int64 = 21600
    /// A gate pass or a manifest closing with the truck's GPS farther than this outside the site.
    public var presenceMaxM = 500.0
    /// Received tonnes may differ from the load that left by this fraction of it.
    public var weightTolerance = 0.10
    /// A tare may differ from the median of the truck's other tares by this fraction of it.
    public var tareTolerance = 0.05
    /// EPSG code of the projected CRS; `nil` = the CGCS2000 3° Gauss–Krüger zone of the data.
    public var projectionEPSG: Int?
    public var departments: [ViolationType: [String]] = Department.defaultTable

    public init() {}

    public func departments(for types: some Sequence<ViolationType>) -> [String] {
        var set = Set<String>()
        for t in types { for d in departments[t] ?? [] { set.insert(d) } }
        return set.sorted()
    }
}
