public import MuckWatchCore

/// The inputs of one `muckwatch analyze` run (contract section 7).
public struct AnalysisOptions: Sendable {
    public var fences: String
    public var traces: [String]
    public var cameras: String?
    public var permits: String?
    public var vehicles: String?
    /// Manifests and gate records (contract section 12).
    public var manifests: String?
    public var gateEvents: String?
    public var fenceCoords: Datum = .wgs84
    public var traceCoords: Datum = .wgs84
    public var config: String?
    public var out: String
    /// The case store (`--db`): a SQLite file or a `postgres://` URL; `nil` = `muckwatch.sqlite` in `out`.
    /// The partitions of a night share one.
    public var store: String?
    /// The case store this run writes and reads its inbox from.
    public var storePath: String { store ?? Analysis.defaultStore(in: out) }
    /// Worker threads for the per-vehicle stages; 0 = one per core.
    public var threads = 0
    /// Vehicle buckets analyzed one after another (memory ∝ two buckets: the one in hand
    /// and the next, prepared beside it); `nil` = one per ~32 MB of input.
    public var buckets: Int?
    /// The most fixes held in memory (72 bytes each) while the night is read: a night
    /// within it (about a 1M-fix night) is never written to disk; beyond it, buckets spill
    /// to temporary files, so memory stays bounded whatever the size of the night. At 10M
    /// fixes a 3M budget held 144 MB more for no measurable speed (most spills either way).
    public var spillAfterFixes = 1_000_000
    /// Judge only the vehicles of this slice of the night (`--partition K/N`, issue #23):
    /// N such runs into one store equal one run over everything.
    public var partition: PlatePartition?
    /// The whole night's first and last fix time, given when `traces` hold only this
    /// partition's rows (the Spark driver's split): the rows are then taken as they are,
    /// and manifests' closing limits, the run record and the store's superseding use this
    /// span, as the unpartitioned run would. Without it, the traces are the whole night's
    /// and the rows of other partitions are skipped as they are read.
    public var nightSpan: ClosedRange<Int64>?
    /// Size of the pieces traces are read and parsed in (one per core at a time; with the
    /// pieces read ahead and those waiting to be bucketed, about ten pieces are in flight).
    public var readChunkBytes = 8 << 20

    /// The reference files among these inputs (what a live gateway names too).
    public var referenceFiles: ReferenceFiles {
        ReferenceFiles(fences: fences, cameras: cameras, permits: permits, vehicles: vehicles, config: config,
                       manifests: manifests, gateEvents: gateEvents, fenceCoords: fenceCoords)
    }

    public init(fences: String, traces: [String], out: String) {
        self.fences = fences
        self.traces = traces
        self.out = out
    }

    /// A run over `traces` judged against `references` (the files a gateway names too).
    public init(references r: ReferenceFiles, traces: [String], out: String) {
        self.init(fences: r.fences, traces: traces, out: out)
        cameras = r.cameras
        permits = r.permits
        vehicles = r.vehicles
        config = r.config
        manifests = r.manifests
        gateEvents = r.gateEvents
        fenceCoords = r.fenceCoords
    }
}
