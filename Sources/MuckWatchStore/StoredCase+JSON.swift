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
            w.field("source_site", t.sourceSite)
            w.field("loaded_at", clock.format(t.loadedAt))
            w.field("disposal_site", t.disposalSite)
            w.field("dump_lon", number: t.dumpLon, decimals: JSONWriter.coordinateDecimals)
            w.field("dump_lat", number: t.dumpLat, decimals: JSONWriter.coordinateDecimals)
            w.field("dumped_at", t.dumpedAt.map { clock.format($0) })
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
            w.beginObject()
            w.field("type", v.type.rawValue)
            w.field("start", clock.format(v.start))
            w.field("end", clock.format(v.end))
            w.field("lon", number: v.lon, decimals: JSONWriter.coordinateDecimals)
            w.field("lat", number: v.lat, decimals: JSONWriter.coordinateDecimals)
            w.field("source", v.source.rawValue)
            w.field("detail", v.detail)
            w.key("evidence")
            w.evidence(v.evidence, clock: clock, chain: true)
            w.endObject()
        }
        w.endArray()
        w.key("evidence")
        w.evidence(Evidence.merged(violations.map(\.evidence)), clock: clock, chain: true)
        extra(&w)
        w.endObject()
    }
}
