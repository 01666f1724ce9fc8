public import MuckWatchCore
public import MuckWatchGeo
public import MuckWatchIngest

/// Everything a run judges against besides the traces: config, fences, registry, permits,
/// cameras. Batch and live load it the same way, so both judge the same facts.
public struct References: Sendable {
    public var config = Config()
    public var fences: [Fence] = []
    public var vehicles: [Vehicle] = []
    public var permits: [Permit] = []
    /// Camera reads, grouped by plate and time-ordered (`CameraReads`).
    public var cameras = CameraReads()
    /// Manifests and gate records, grouped by vehicle (`ChainRecords`).
    public var chain = ChainRecords()
    /// Bad permit, vehicle and camera rows.
    public var rejects: [Reject] = []

    public init() {}

    /// Reads the reference files in order (config, fences, vehicles, permits, cameras); the
    /// first unusable file stops the load.
    public static func load(_ files: ReferenceFiles) throws(AnalysisError) -> References {
        var r = References()
        do {
            if let path = files.config { r.config = try ConfigReader.read(path: path) }
            r.fences = try FenceReader.read(path: files.fences)
            if let p = files.vehicles { r.vehicles = try VehicleReader.read(path: p, rejects: &r.rejects) }
            if let p = files.permits { r.permits = try PermitReader.read(path: p, rejects: &r.rejects) }
            if let p = files.cameras { r.cameras = try CameraReader.read(path: p, rejects: &r.rejects) }
            r.chain = try Self.readChain(files, tagOwners: r.tagOwners, rejects: &r.rejects)
        } catch {
            throw .input(error.description)
        }
        r.shiftFences(from: files.fenceCoords)
        return r
    }

    /// Reads the manifests and gate records `files` names, grouped by vehicle.
    public static func readChain(_ files: ReferenceFiles, tagOwners: [String: String],
                                 rejects: inout [Reject]) throws(IngestError) -> ChainRecords {
        let manifests = try files.manifests.map { p throws(IngestError) in try ManifestReader.read(path: p, rejects: &rejects) }
        let gates = try files.gateEvents.map { p throws(IngestError) in try GateEventReader.read(path: p, rejects: &rejects) }
        return ChainRecords(manifests: manifests, gateEvents: gates, tagOwners: tagOwners)
    }

    /// The registry's tags → plates (the first plate registered with a tag keeps it).
    public var tagOwners: [String: String] {
        var out: [String: String] = [:]
        for v in vehicles { if let t = v.rfid, out[t] == nil { out[t] = v.id } }
        return out
    }

    /// Fences drawn in GCJ-02 are moved back to WGS84 before anything projects them.
    public mutating func shiftFences(from datum: Datum) {
        if datum == .gcj02 { fences = fences.map(DatumShift.gcj02ToWGS84) }
    }

    /// The projected CRS a run uses: the config's, else the Gauss–Krüger zone of the fences.
    public var projectionEPSG: Int {
        config.projectionEPSG ?? Projector.gaussKrugerZoneEPSG(longitude: Projector.centralLongitude([], fences))
    }

    /// Projects and indexes the fences in `epsg`.
    public func fenceIndex(epsg: Int) throws(AnalysisError) -> FenceIndex {
        do {
            return try FenceIndex(fences: fences, projector: try Projector(epsg: epsg))
        } catch {
            throw .geometry("fences: \(error)")
        }
    }
}
