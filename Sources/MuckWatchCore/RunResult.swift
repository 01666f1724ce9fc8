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
    /// The manifest statistics (contract section 12); `nil` unless manifests or gate
    /// events were given, so a v1 run's summary stays as it was.
    public var chain: ChainSummary?
    /// The slice of the night these counts are of (`--partition`); `nil` for the whole night.
    public var partition: PlatePartition?

    public init() {}
}

/// What the manifests and gates say a night moved (contract section 12's statistics).
public struct ChainSummary: Sendable, Equatable {
    public var manifestsOpened = 0
    public var manifestsClosed = 0
    public var tripsWithoutManifest = 0
    /// Tonnes received by the trips that unloaded at each kind of disposal site.
    public var tonnesByFacility: [Facility: Double] = [:]
    /// `declared_t` of the manifests opened, by waste type.
    public var tonnesByWasteType: [WasteType: Double] = [:]

    public init() {}

    /// closed / opened; 0 when none were opened.
    public var closureRate: Double { manifestsOpened > 0 ? Double(manifestsClosed) / Double(manifestsOpened) : 0 }
    /// (recycling + sorting) / all tonnes received; 0 when nothing was received.
    public var recyclingRate: Double {
        let all = tonnesByFacility.values.reduce(0, +)
        return all > 0 ? ((tonnesByFacility[.recycling] ?? 0) + (tonnesByFacility[.sorting] ?? 0)) / all : 0
    }
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
    /// What the run was given and how long its stages took (the store's run metadata).
    public var record: RunRecord
    /// The fences the run used (the store keeps them for maps and exports).
    public var fences: [Fence]
    /// Every camera event read, evidence or context.
    public var cameraEvents: [CameraEvent]
    /// The permits and vehicle registry the run used (the store keeps them for case pages).
    public var permits: [Permit]
    public var vehicles: [Vehicle]
    /// Every manifest with its state, trip and case (contract section 12).
    public var manifests: [ManifestEntry]
    /// The gate passes an officer sees with the cases (evidence and context), with the
    /// vehicle each belongs to.
    public var gateEvents: [(vehicle: String, event: GateEvent)]

    public init(plates: PlateTable, trips: [Trip], cases: [Case], rejects: [Reject], summary: Summary,
                clock: LocalClock, record: RunRecord = RunRecord(), fences: [Fence] = [],
                cameraEvents: [CameraEvent] = [], permits: [Permit] = [], vehicles: [Vehicle] = [],
                manifests: [ManifestEntry] = [], gateEvents: [(vehicle: String, event: GateEvent)] = []) {
        self.manifests = manifests
        self.gateEvents = gateEvents
        self.plates = plates
        self.trips = trips
        self.cases = cases
        self.rejects = rejects
        self.summary = summary
        self.clock = clock
        self.record = record
        self.fences = fences
        self.cameraEvents = cameraEvents
        self.permits = permits
        self.vehicles = vehicles
    }
}

/// What one run was given and how it went, as the store keeps it beside the run's row:
/// enough to tell later which inputs and settings produced a store's cases.
public struct RunRecord: Sendable, Equatable {
    public enum Mode: String, Sendable {
        /// `muckwatch analyze`: one night's files.
        case batch
        /// A live gateway session, fed fix by fix.
        case live
    }

    public var mode: Mode
    /// Unix seconds; the store's clock when `nil`.
    public var startedAt: Int64?
    /// The batch run's inputs (`nil` for a live session).
    public var inputs: RunInputs?
    /// The projection the run measured in (`EPSG:` code).
    public var projectionEPSG: Int?
    /// The configured time zone, as written in the config.
    public var timezone: String?
    /// Vehicle buckets analyzed one after another.
    public var buckets: Int?
    /// First and last fix time of the traces (Unix seconds); `nil` without fixes.
    public var dataSpan: ClosedRange<Int64>?
    /// Seconds per stage, in the order the stages ran; the store keeps them to the
    /// millisecond, by stage name (a record read back lists them by name).
    public var stageTimings: [StageTiming]
    /// The slice of the night the run judged (`--partition`); `nil` for all of it.
    public var partition: PlatePartition?

    public init(mode: Mode = .batch, startedAt: Int64? = nil, inputs: RunInputs? = nil, projectionEPSG: Int? = nil,
                timezone: String? = nil, buckets: Int? = nil, dataSpan: ClosedRange<Int64>? = nil,
                stageTimings: [StageTiming] = []) {
        self.mode = mode
        self.startedAt = startedAt
        self.inputs = inputs
        self.projectionEPSG = projectionEPSG
        self.timezone = timezone
        self.buckets = buckets
        self.dataSpan = dataSpan
        self.stageTimings = stageTimings
    }
}

/// The files a batch run read and the datum of their coordinates.
public struct RunInputs: Sendable, Equatable {
    /// Everything besides the traces (fences, registry, permits, cameras, config).
    public var references: ReferenceFiles
    public var traces: [String]
    public var traceDatum: Datum

    public init(references: ReferenceFiles, traces: [String], traceDatum: Datum = .wgs84) {
        self.references = references
        self.traces = traces
        self.traceDatum = traceDatum
    }
}

/// Time one stage of a run took.
public struct StageTiming: Sendable, Equatable {
    public var stage: String
    public var seconds: Double

    public init(_ stage: String, seconds: Double) {
        self.stage = stage
        self.seconds = seconds
    }
}
