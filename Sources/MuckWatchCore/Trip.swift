/// One load carried from a loading to the next unloading (contract section 9).
public struct Trip: Sendable, Equatable {
    public var vehicle: Int32
    /// Construction-site fence id where the load was taken; `nil` when the loading was
    /// seen only by the load cell outside any site.
    public var sourceSite: String?
    /// When the loading ended (left the source dwell, or the load-cell rise completed).
    public var loadedAt: Int64
    /// When the loading began (for evidence and permit-hour checks).
    public var loadStart: Int64
    /// Disposal-site fence id where it unloaded, `nil` for a dump outside every site.
    public var disposalSite: String?
    /// Where the unloading happened (WGS84).
    public var dumpLon: Double
    public var dumpLat: Double
    /// When the unloading began; `nil` while the trip is still open at the end of data.
    public var dumpedAt: Int64?
    /// When the unloading ended.
    public var dumpEnd: Int64?
    /// How the unloading was recognised.
    public var unloadEvidence: UnloadEvidence
    public var distanceKm: Double
    /// Measured (load cell) or rated tonnes; `nil` when neither is known.
    public var loadT: Double?
    public var permitID: String?
    /// Index range of the trip's fixes in the vehicle's analyzed track (loading end ... unloading start).
    public var fixRange: Range<Int>
    /// Set by the case stage.
    public var caseID: String?
    /// The manifest this trip matched (contract section 12); set by the judge.
    public var manifestID: String?
    /// Tonnes the disposal site received (contract section 12's order of preference:
    /// the disposal gate's `in` weighing, the manifest's `received_t`, `load_t`); set by the
    /// judge when manifests or gate events were given.
    public var receivedT: Double?

    /// The truck drove off with the load: unloaded since, or has fixes after the loading.
    /// A "loading" dwell the data ends in (a truck parked at a site for the night) never
    /// left the gate, so no manifest is due for it.
    public var leftSource: Bool { dumpedAt != nil || fixRange.count > 1 }

    /// Loaded at a construction site, left it, and matched no manifest: a
    /// `manifest_missing`, and one of the statistics' `trips_without_manifest` (when
    /// manifests were given at all).
    public var lacksManifest: Bool { sourceSite != nil && manifestID == nil && leftSource }

    public init(vehicle: Int32, sourceSite: String?, loadedAt: Int64, loadStart: Int64, disposalSite: String?,
                dumpLon: Double, dumpLat: Double, dumpedAt: Int64?, dumpEnd: Int64?, unloadEvidence: UnloadEvidence,
                distanceKm: Double, loadT: Double?, permitID: String?, fixRange: Range<Int>, caseID: String? = nil) {
        self.vehicle = vehicle
        self.sourceSite = sourceSite
        self.loadedAt = loadedAt
        self.loadStart = loadStart
        self.disposalSite = disposalSite
        self.dumpLon = dumpLon
        self.dumpLat = dumpLat
        self.dumpedAt = dumpedAt
        self.dumpEnd = dumpEnd
        self.unloadEvidence = unloadEvidence
        self.distanceKm = distanceKm
        self.loadT = loadT
        self.permitID = permitID
        self.fixRange = fixRange
        self.caseID = caseID
    }
}

/// How an unloading was recognised; decides the `source` of an illegal dump.
public enum UnloadEvidence: String, Sendable, Equatable {
    /// Tipper raised at least `unload_min_s`.
    case lift
    /// Load cell fell by at least `load_step_t`.
    case loadCell
    /// A dwell inside a disposal site (no sensor said otherwise).
    case disposalDwell
    /// Sensorless truck reached a new loading without a disposal visit: the longest off-site dwell.
    case inferredDwell
    /// Data ended while loaded.
    case none
}
