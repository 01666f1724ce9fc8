/// Counts of one analysis run (contract section 7/11 `summary.json`).
public struct Summary: Sendable, Equatable {
    public var fixesRead = 0
    public var fixesAccepted = 0
    public var fixesRejected = 0
    public var fixesDuplicate = 0
    public var fixesOutlier = 0
    public var vehicles = 0
    public var trips = 0
    public var cases = 0
    public var violationsByType: [ViolationType: Int] = [:]
    public var tonnesBySourceSite: [String: Double] = [:]
    public var tonnesByDisposalSite: [String: Double] = [:]
    /// Other input rows rejected (camera events, permits, vehicles).
    public var otherRejected = 0
    /// Inputs that were used but look wrong (a permit naming an unknown site, camera reads
    /// of plates nobody knows): the run goes on, the user is told.
    public var warnings: [String] = []

    public init() {}
}

/// Everything one `analyze` run produced: what the writers and the store persist.
public struct RunResult: Sendable {
    /// Interned plates; `Trip.vehicle` and `Violation.vehicle` index it.
    public var plates: PlateTable
    public var trips: [Trip]
    public var cases: [Case]
    public var rejects: [Reject]
    public var summary: Summary
    public var clock: LocalClock
    /// Free-form run facts for the store's run table (inputs, options, version, timings).
    public var metadata: [(key: String, value: String)]
    /// The fences the run used (the store keeps them for maps and exports).
    public var fences: [Fence]
    /// Every camera event read, evidence or context.
    public var cameraEvents: [CameraEvent]
    /// The permits and vehicle registry the run used (the store keeps them for case pages).
    public var permits: [Permit]
    public var vehicles: [Vehicle]

    public init(plates: PlateTable, trips: [Trip], cases: [Case], rejects: [Reject], summary: Summary,
                clock: LocalClock, metadata: [(key: String, value: String)], fences: [Fence] = [],
                cameraEvents: [CameraEvent] = [], permits: [Permit] = [], vehicles: [Vehicle] = []) {
        self.plates = plates
        self.trips = trips
        self.cases = cases
        self.rejects = rejects
        self.summary = summary
        self.clock = clock
        self.metadata = metadata
        self.fences = fences
        self.cameraEvents = cameraEvents
        self.permits = permits
        self.vehicles = vehicles
    }
}
