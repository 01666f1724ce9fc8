public import MuckWatchCore

extension StoredCase {
    /// The case as one element of `cases.json` (contract section 8: same keys, order and
    /// precision), for what sends a stored case out (the dispatch webhooks, issue #20).
    /// Manifest and gate lists are always written: a stored case does not know whether its
    /// run had them. `extra` adds fields after the contract's, inside the object.
    public func writeJSON(into w: inout JSONWriter, clock: LocalClock, extra: (inout JSONWriter) -> Void = { _ in }) {
        w.beginObject()
        w.field("case_id", caseID)
        w.field("vehicle_id", vehicleID)
        w.field("company", company)
        w.field("status", status.rawValue)
        w.field("departments", strings: departments)
        w.key("trip")
        if let t = trip {
            w.beginObject()
            w.tripChain(sourceSite: t.sourceSite, loadedAt: t.loadedAt, disposalSite: t.disposalSite, dumpLon: t.dumpLon,
                        dumpLat: t.dumpLat, dumpedAt: t.dumpedAt, clock: clock)
            w.field("permit_id", t.permitID)
            w.field("distance_km", number: t.distanceKm, decimals: JSONWriter.kmDecimals)
            w.field("load_t", number: t.loadT, decimals: JSONWriter.tonneDecimals)
            w.endObject()
        } else {
            w.null()
        }
        w.field("date", date.description)
        w.key("violations")
        w.beginArray()
        for v in violations {
            w.violation(type: v.type, start: v.start, end: v.end, lon: v.lon, lat: v.lat, source: v.source,
                        detail: v.detail, evidence: v.evidence, clock: clock, chain: true)
        }
        w.endArray()
        w.key("evidence")
        w.evidence(Evidence.merged(violations.map(\.evidence)), clock: clock, chain: true)
        extra(&w)
        w.endObject()
    }
}
