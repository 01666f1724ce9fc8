public import MuckWatchCore

/// One vehicle's cleaned, analyzed fixes in time order, with the fences each fix is in.
///
/// Membership is recorded once per fix (Traccar's lesson: membership first, events
/// derived) and stored compactly: `memberStart[i] ..< memberStart[i + 1]` indexes
/// `members`, fence indices into the run's `FenceIndex`. Rules read these arrays and
/// never query geometry again for containment.
public struct VehicleTrack: Sendable {
    public var vehicle: Int32
    public var fixes: [Fix] = []
    /// The construction or disposal site containing each fix, `-1` for none.
    public var site: [Int32] = []
    /// CSR offsets into `members`; has `fixes.count + 1` entries.
    public var memberStart: [Int32] = [0]
    public var members: [Int32] = []
    /// Dwells found so far (closed ones).
    public var dwells: [Dwell] = []
    /// Tipper-raised runs (any length; the trip builder applies `unload_min_s`).
    public var liftRuns: [SensorRun] = []
    /// Lid-open runs.
    public var lidOpenRuns: [SensorRun] = []
    /// Load-cell steps (rises and falls of at least `load_step_t`).
    public var loadSteps: [LoadStep] = []
    public var trips: [Trip] = []
    /// Which sensors this truck has ever reported.
    public var hasLift = false
    public var hasLid = false
    public var hasLoadCell = false

    public init(vehicle: Int32) { self.vehicle = vehicle }

    public var count: Int { fixes.count }

    /// Fence indices containing fix `i`.
    @inlinable
    public func fences(at i: Int) -> ArraySlice<Int32> {
        members[Int(memberStart[i])..<Int(memberStart[i + 1])]
    }

    @inlinable
    public func isInside(fence: Int32, at i: Int) -> Bool {
        var k = Int(memberStart[i])
        let e = Int(memberStart[i + 1])
        while k < e {
            if members[k] == fence { return true }
            k += 1
        }
        return false
    }

    /// First fix index with `time >= t` (binary search).
    public func firstIndex(atOrAfter t: Int64) -> Int {
        fixes.partitionPoint { $0.time < t }
    }

    /// Drops fixes `0 ..< n` and everything found in them (live trimming; a batch run never
    /// calls it): membership rows, and the dwells, sensor runs, load steps and trips that
    /// begin before fix `n`. Indices of what is kept are shifted down by `n`. Fresh arrays,
    /// not `removeFirst`, so the old buffers are freed rather than kept at their peak size.
    mutating func dropFixes(before n: Int) {
        guard n > 0 else { return }
        fixes = Array(fixes[n...])
        site = Array(site[n...])
        let m = memberStart[n]
        members = Array(members[Int(m)...])
        memberStart = memberStart[n...].map { $0 - m }
        dwells = dwells.filter { $0.first >= n }.map { var d = $0; d.first -= n; d.last -= n; return d }
        liftRuns = liftRuns.filter { $0.first >= n }.map { var r = $0; r.first -= n; r.last -= n; return r }
        lidOpenRuns = lidOpenRuns.filter { $0.first >= n }.map { var r = $0; r.first -= n; r.last -= n; return r }
        loadSteps = loadSteps.filter { $0.first >= n }.map { var r = $0; r.first -= n; r.last -= n; return r }
        trips = trips.filter { $0.fixRange.lowerBound >= n }.map {
            var t = $0
            t.fixRange = (t.fixRange.lowerBound - n)..<(t.fixRange.upperBound - n)
            return t
        }
    }

    /// Planar path length in metres over fixes `range`.
    public func pathLength(_ range: Range<Int>) -> Double {
        guard range.count > 1 else { return 0 }
        var d = 0.0
        for i in (range.lowerBound + 1)..<range.upperBound { d += fixes[i].distance(to: fixes[i - 1]) }
        return d
    }
}

/// Staying within `stop_radius_m` of the centroid for at least `dwell_min_s`.
public struct Dwell: Sendable, Equatable {
    /// Fix indices in the track.
    public var first: Int
    public var last: Int
    public var start: Int64
    public var end: Int64
    /// Centroid (projected metres and WGS84).
    public var x: Double
    public var y: Double
    public var lon: Double
    public var lat: Double
    /// The site most of the dwell's fixes are in, `-1` for none.
    public var site: Int32

    public var duration: Int64 { end - start }
}

/// A run of consecutive fixes with a switch sensor in one state (tipper raised, lid open).
public struct SensorRun: Sendable, Equatable {
    public var first: Int
    public var last: Int
    /// Times of the first and last fix in the state.
    public var start: Int64
    public var end: Int64
    /// Estimated time the sensor stayed in the state, including half of the reporting
    /// intervals on either side (a 60 s raise sampled every 30 s shows as 2 fixes 30 s apart).
    public var held: Int64
}

/// A load-cell change of at least `load_step_t`.
public struct LoadStep: Sendable, Equatable {
    public enum Direction: Sendable { case rise, fall }
    public var direction: Direction
    /// Fix index where the change began and where it completed.
    public var first: Int
    public var last: Int
    public var start: Int64
    public var end: Int64
    public var fromT: Double
    public var toT: Double
}
