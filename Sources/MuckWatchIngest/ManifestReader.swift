public import MuckWatchCore

/// Reads manifests (电子联单, contract section 12): a JSON array or JSON Lines. A bad
/// manifest or a later duplicate of a `manifest_id` is a reject; the rest are used.
public enum ManifestReader {
    public static func read(path: String, rejects: inout [Reject]) throws(IngestError) -> [Manifest] {
        try KeyedRecords.read(path: path, what: "manifests", error: { .invalidManifests(path: $0, reason: $1) },
                              rejects: &rejects, id: \.id, parse: manifest, parseDictionary: manifest, name: "manifest")
    }

    static func manifest(_ f: inout some RecordFields) throws(RecordProblem) -> Manifest {
        let id = try f.required("manifest_id")
        f.id = id
        let vehicle = try f.required("vehicle_id")
        let source = try f.required("source_site")
        let disposal = try f.required("disposal_site")
        guard let opened = try f.time("opened_at") else { throw f.problem("missing opened_at") }
        guard let waste = try f.choice("waste_type", WasteType.self) else {
            throw f.problem("missing waste_type (valid: \(WasteType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let declared = try f.tonnes("declared_t") else { throw f.problem("missing declared_t") }
        let closed = try f.time("closed_at")
        if let closed, closed < opened { throw f.problem("closed_at is before opened_at") }
        return Manifest(id: id, permitID: f.text("permit_id"), vehicleID: vehicle, driverID: f.text("driver_id"),
                        sourceSite: source, disposalSite: disposal, wasteType: waste, declaredT: declared,
                        openedAt: opened, closedAt: closed, closedSite: f.text("closed_site"),
                        receivedT: try f.tonnes("received_t"))
    }
}
