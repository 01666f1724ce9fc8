/// One broken rule, with the window and evidence an officer needs (contract section 8/11).
public struct Violation: Sendable, Equatable {
    public var vehicle: Int32
    public var type: ViolationType
    /// First and last fix (or camera event) breaking the rule, Unix seconds.
    public var start: Int64
    public var end: Int64
    /// Representative position (WGS84).
    public var lon: Double
    public var lat: Double
    public var source: ViolationSource
    /// One human sentence with the numbers behind the decision.
    public var detail: String
    public var evidence: Evidence
    /// Index into the vehicle's trips, `nil` when on an empty leg.
    public var tripIndex: Int?

    public init(vehicle: Int32, type: ViolationType, start: Int64, end: Int64, lon: Double, lat: Double,
                source: ViolationSource, detail: String, evidence: Evidence = Evidence(), tripIndex: Int? = nil) {
        self.vehicle = vehicle
        self.type = type
        self.start = start
        self.end = end
        self.lon = lon
        self.lat = lat
        self.source = source
        self.detail = detail
        self.evidence = evidence
        self.tripIndex = tripIndex
    }
}

/// What supports a violation: fix time ranges, sensor readings and camera reads.
public struct Evidence: Sendable, Equatable {
    /// `[first_time, last_time]` ranges of the supporting fixes.
    public var fixRanges: [ClosedRange<Int64>]
    /// Sensor readings quoted in words (`"lift=1 22:41:05–22:44:10"`).
    public var sensorReadings: [String]
    public var cameraEvents: [String]
    /// Camera and gate images.
    public var images: [String]
    /// Manifest ids (contract section 12).
    public var manifests: [String]
    /// Gate event ids (contract section 12).
    public var gateEvents: [String]

    public init(fixRanges: [ClosedRange<Int64>] = [], sensorReadings: [String] = [],
                cameraEvents: [String] = [], images: [String] = [], manifests: [String] = [],
                gateEvents: [String] = []) {
        self.fixRanges = fixRanges
        self.sensorReadings = sensorReadings
        self.cameraEvents = cameraEvents
        self.images = images
        self.manifests = manifests
        self.gateEvents = gateEvents
    }
}

/// A case: the violations of one vehicle on one trip (or one local day outside trips).
public struct Case: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case open, dispatched, resolved, dismissed, closed
    }

    public var id: String
    public var vehicleID: String
    public var company: String?
    public var status: Status
    public var departments: [String]
    /// The trip the violations belong to; `nil` for a day case.
    public var trip: Trip?
    /// Local date the case belongs to.
    public var date: LocalDate
    public var violations: [Violation]
    /// The fixes an officer needs to see: the trip from loading to unloading, or the
    /// stretches around a day case's violations (thinned for maps).
    public var track: [TrackPoint]

    public init(id: String, vehicleID: String, company: String?, status: Status = .open, departments: [String],
                trip: Trip?, date: LocalDate, violations: [Violation], track: [TrackPoint] = []) {
        self.id = id
        self.vehicleID = vehicleID
        self.company = company
        self.status = status
        self.departments = departments
        self.trip = trip
        self.date = date
        self.violations = violations
        self.track = track
    }
}

/// One point of a case's track, for maps and exports (a thinned copy of the fixes).
public struct TrackPoint: Sendable, Equatable {
    public var time: Int64
    public var lon: Double
    public var lat: Double
    public var speedKmh: Float
    /// On the trip's loaded drive.
    public var loaded: Bool

    public init(time: Int64, lon: Double, lat: Double, speedKmh: Float, loaded: Bool) {
        self.time = time
        self.lon = lon
        self.lat = lat
        self.speedKmh = speedKmh
        self.loaded = loaded
    }
}
