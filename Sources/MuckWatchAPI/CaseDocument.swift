import MuckWatchBatch
import MuckWatchCore
import MuckWatchStore

/// A stored case as `cases.json` writes it: the store's record is turned back into the
/// pipeline's `Case` and written by `OutputWriter.writeCaseFields`, the batch output's own
/// encoder, so the API's case and the night's file cannot drift apart.
enum CaseDocument {
    /// - Parameters:
    ///   - manifestID: the manifest the case's trip matched (`cases.json`'s `trip.manifest_id`).
    ///   - chain: the store has manifests or gate records, so their fields are written (as a run with them writes).
    static func bytes(_ stored: StoredCase, manifestID: String?, chain: Bool, clock: LocalClock) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        OutputWriter.writeCaseFields(pipelineCase(stored, manifestID: manifestID), clock: clock, chain: chain, into: &w)
        w.endObject()
        return w.bytes
    }

    /// The fields `cases.json` reads of a case; the rest (indices into a run's arrays) are left empty.
    static func pipelineCase(_ s: StoredCase, manifestID: String?) -> Case {
        let trip = s.trip.map { t in
            var trip = Trip(vehicle: 0, sourceSite: t.sourceSite, loadedAt: t.loadedAt, loadStart: t.loadedAt,
                            disposalSite: t.disposalSite, dumpLon: t.dumpLon ?? .nan, dumpLat: t.dumpLat ?? .nan,
                            dumpedAt: t.dumpedAt, dumpEnd: nil, unloadEvidence: .none, distanceKm: t.distanceKm,
                            loadT: t.loadT, permitID: t.permitID, fixRange: 0..<0, caseID: s.caseID)
            trip.manifestID = manifestID
            return trip
        }
        let violations = s.violations.map { v in
            Violation(vehicle: 0, type: v.type, start: v.start, end: v.end, lon: v.lon, lat: v.lat, source: v.source,
                      detail: v.detail, evidence: v.evidence)
        }
        return Case(id: s.caseID, vehicleID: s.vehicleID, company: s.company, status: s.status, departments: s.departments,
                     trip: trip, date: s.date, violations: violations)
    }
}
