public import MuckWatchCore

extension StoredCase {
    /// The case as one element of `cases.json` (contract section 8: same keys, order and
    /// precision, written by `JSONWriter.caseFields` like the night's file), for what sends a
    /// stored case out (the dispatch webhooks and the integration API, issue #20). `extra` adds
    /// fields after the contract's, inside the object.
    /// - Parameters:
    ///   - manifestID: the manifest the case's trip matched (`trip.manifest_id`).
    ///   - chain: manifest and gate fields are written (a stored case does not know whether its run had them).
    public func writeJSON(into w: inout JSONWriter, clock: LocalClock, manifestID: String? = nil, chain: Bool = true,
                          extra: (inout JSONWriter) -> Void = { _ in }) {
        w.beginObject()
        w.caseFields(asCase(manifestID: manifestID), clock: clock, chain: chain)
        extra(&w)
        w.endObject()
    }

    /// The pipeline's `Case` with the fields `cases.json` reads; the rest (indices into a run's
    /// arrays) are left empty.
    public func asCase(manifestID: String?) -> Case {
        let trip = self.trip.map { t in
            var trip = Trip(vehicle: 0, sourceSite: t.sourceSite, loadedAt: t.loadedAt, loadStart: t.loadedAt,
                            disposalSite: t.disposalSite, dumpLon: t.dumpLon ?? .nan, dumpLat: t.dumpLat ?? .nan,
                            dumpedAt: t.dumpedAt, dumpEnd: nil, unloadEvidence: .none, distanceKm: t.distanceKm,
                            loadT: t.loadT, permitID: t.permitID, fixRange: 0..<0, caseID: caseID)
            trip.manifestID = manifestID
            return trip
        }
        let violations = self.violations.map { v in
            Violation(vehicle: 0, type: v.type, start: v.start, end: v.end, lon: v.lon, lat: v.lat, source: v.source,
                      detail: v.detail, evidence: v.evidence)
        }
        return Case(id: caseID, vehicleID: vehicleID, company: company, status: status, departments: departments,
                    trip: trip, date: date, violations: violations)
    }
}
