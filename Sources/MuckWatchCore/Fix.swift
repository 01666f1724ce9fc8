/// One GPS fix as it flows through the pipeline.
///
/// A plain value type kept in contiguous arrays: the hot path (parse → project →
/// fence lookup → analyzer) never allocates per fix. Optional readings use
/// sentinels instead of `Optional` so the struct stays small and trivially copyable:
/// `Float.nan` for absent numbers, `-1` for an absent switch sensor.
public struct Fix: Sendable, Equatable, BitwiseCopyable {
    /// Index into the run's `PlateTable` (interned plate), never a string on the hot path.
    public var vehicle: Int32
    /// Index of the input file this fix came from (into the run's file list).
    public var file: Int32
    /// 1-based physical line (or record number) in that file, for evidence and rejects.
    public var line: Int32
    /// Unix seconds.
    public var time: Int64
    /// WGS84 degrees (after any GCJ-02 correction).
    public var lon: Double
    public var lat: Double
    /// Projected metres (CGCS2000 Gauss–Krüger); filled by the projection stage.
    public var x: Double
    public var y: Double
    /// Reported ground speed in km/h, `.nan` when absent.
    public var speedKmh: Float
    /// Degrees clockwise from north, `.nan` when absent.
    public var heading: Float
    /// Load cell in tonnes, `.nan` when absent.
    public var loadT: Float
    /// Tipper body: 1 raised, 0 lowered, -1 no sensor.
    public var lift: Int8
    /// Cover: 1 closed, 0 open, -1 no sensor.
    public var lid: Int8
    /// JT/T 808 status bit "positioned" was clear (kept, but flagged).
    public var unpositioned: Bool

    public init(vehicle: Int32, file: Int32 = 0, line: Int32 = 0, time: Int64, lon: Double, lat: Double,
                speedKmh: Float = .nan, heading: Float = .nan, loadT: Float = .nan,
                lift: Int8 = -1, lid: Int8 = -1, unpositioned: Bool = false) {
        self.vehicle = vehicle
        self.file = file
        self.line = line
        self.time = time
        self.lon = lon
        self.lat = lat
        self.x = 0
        self.y = 0
        self.speedKmh = speedKmh
        self.heading = heading
        self.loadT = loadT
        self.lift = lift
        self.lid = lid
        self.unpositioned = unpositioned
    }

    public var hasSpeed: Bool { !speedKmh.isNaN }
    public var hasLoad: Bool { !loadT.isNaN }
    public var hasLift: Bool { lift >= 0 }
    public var hasLid: Bool { lid >= 0 }
}

extension Fix {
    /// Same vehicle and same instant: the later copy is a duplicate.
    @inlinable
    public func sameInstant(as other: Fix) -> Bool { vehicle == other.vehicle && time == other.time }

    /// The order one vehicle's fixes are analysed in: by time, ties by file and line, so the
    /// first copy of a duplicate is the one kept (the same answer whatever order the input had).
    @inlinable
    public static func analysisOrder(_ a: Fix, _ b: Fix) -> Bool {
        (a.time, a.file, a.line) < (b.time, b.file, b.line)
    }

    /// Planar distance in metres between two projected fixes.
    @inlinable
    public func distance(to other: Fix) -> Double {
        let dx = x - other.x, dy = y - other.y
        return (dx * dx + dy * dy).squareRoot()
    }
}
