import MuckWatchCore
public import MuckWatchStore

/// Cases as a GeoJSON FeatureCollection that QGIS opens: per case its track (loaded and
/// empty stretches as separate lines), dump point, violation points and camera reads,
/// plus the sites, corridors and checkpoints they refer to.
public enum CaseGeoJSON {
    public static func export(_ store: CaseStore, caseIDs: [String]) throws(StoreError) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("type", "FeatureCollection")
        w.key("features")
        w.beginArray()
        let fences = try store.fences()
        var referenced = Set<String>()
        var checkpoints = Set<String>()
        for id in caseIDs {
            guard let c = try store.loadCase(id: id) else { continue }
            let track = try store.track(caseID: id)
            // Loaded and empty stretches.
            var run: [TrackPoint] = []
            func flush() {
                guard run.count > 1 else { return }
                feature(&w, geometry: line(run)) { w in
                    w.field("case_id", c.caseID)
                    w.field("feature", "track")
                    w.key("loaded")
                    w.bool(run[0].loaded)
                    w.field("vehicle_id", c.vehicleID)
                }
            }
            for p in track {
                if let last = run.last, last.loaded != p.loaded {
                    let joint = p
                    flush()
                    run = [last, joint]
                    continue
                }
                run.append(p)
            }
            flush()
            if let trip = c.trip {
                if let s = trip.sourceSite { referenced.insert(s) }
                if let d = trip.disposalSite { referenced.insert(d) }
                if let lon = trip.dumpLon, let lat = trip.dumpLat, trip.dumpedAt != nil {
                    feature(&w, geometry: point(lon, lat)) { w in
                        w.field("case_id", c.caseID)
                        w.field("feature", "dump")
                        w.field("disposal_site", trip.disposalSite)
                        w.field("dumped_at", trip.dumpedAt.map(store.clock.format))
                    }
                }
            }
            var eventIDs: [String] = []
            for v in c.violations {
                eventIDs += v.evidence.cameraEvents
                guard v.lon.isFinite, v.lat.isFinite else { continue }
                feature(&w, geometry: point(v.lon, v.lat)) { w in
                    w.field("case_id", c.caseID)
                    w.field("feature", "violation")
                    w.field("type", v.type.rawValue)
                    w.field("source", v.source.rawValue)
                    w.field("start", store.clock.format(v.start))
                    w.field("end", store.clock.format(v.end))
                    w.field("detail", v.detail)
                }
            }
            for e in try store.cameraEvents(ids: eventIDs) {
                checkpoints.insert(e.checkpointID)
                guard let cp = fences.first(where: { $0.id == e.checkpointID }) else { continue }
                feature(&w, rawGeometry: cp.geometryJSON) { w in
                    w.field("case_id", c.caseID)
                    w.field("feature", "camera")
                    w.field("event_id", e.id)
                    w.field("type", e.type.rawValue)
                    w.field("time", store.clock.format(e.time))
                    w.field("image", e.image)
                }
            }
        }
        for f in fences where referenced.contains(f.id) || checkpoints.contains(f.id) || f.kind == .route {
            feature(&w, rawGeometry: f.geometryJSON) { w in
                w.field("feature", "fence")
                w.field("id", f.id)
                w.field("name", f.name)
                w.field("kind", f.kind.rawValue)
                if let c = f.corridorM { w.field("corridor_m", number: c) }
            }
        }
        w.endArray()
        w.endObject()
        return w.text + "\n"
    }

    private static func feature(_ w: inout JSONWriter, geometry: String? = nil, rawGeometry: String? = nil,
                                properties: (inout JSONWriter) -> Void) {
        w.beginObject()
        w.field("type", "Feature")
        w.key("geometry")
        w.raw(geometry ?? rawGeometry ?? "null")
        w.key("properties")
        w.beginObject()
        properties(&w)
        w.endObject()
        w.endObject()
    }

    private static func point(_ lon: Double, _ lat: Double) -> String {
        #"{"type":"Point","coordinates":["# + JSONWriter.format(lon, decimals: 6) + "," + JSONWriter.format(lat, decimals: 6) + "]}"
    }

    private static func line(_ pts: [TrackPoint]) -> String {
        #"{"type":"LineString","coordinates":["# + pts.map {
            "[" + JSONWriter.format($0.lon, decimals: 6) + "," + JSONWriter.format($0.lat, decimals: 6) + "]"
        }.joined(separator: ",") + "]}"
    }
}
