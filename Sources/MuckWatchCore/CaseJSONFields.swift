/// The parts of a case's JSON (contract section 8) that `cases.json` and every other place
/// a case leaves MuckWatch as JSON (the dispatch webhooks, issue #20) write alike.
extension JSONWriter {
    /// Decimal places: coordinates ~0.1 m, distances to the metre, tonnes to 10 kg.
    public static let coordinateDecimals = 6
    public static let kmDecimals = 3
    public static let tonneDecimals = 2

    /// Files end with a newline, like every other text file.
    public mutating func bytesAppendNewline() { appendRaw(0x0A) }

    /// One case's fields as `cases.json` writes them, inside an object the caller opened: the
    /// night's file, the integration API and the dispatch webhooks all write a case with this,
    /// so none of them can drift from the contract.
    /// - Parameter chain: manifests or gate records are in play: their fields are written too.
    public mutating func caseFields(_ c: Case, clock: LocalClock, chain: Bool) {
        field("case_id", c.id)
        field("vehicle_id", c.vehicleID)
        field("company", c.company)
        field("status", c.status.rawValue)
        field("departments", strings: c.departments)
        key("trip")
        if let t = c.trip {
            beginObject()
            tripChain(sourceSite: t.sourceSite, loadedAt: t.loadedAt, disposalSite: t.disposalSite, dumpLon: t.dumpLon,
                      dumpLat: t.dumpLat, dumpedAt: t.dumpedAt, clock: clock)
            field("permit_id", t.permitID)
            field("distance_km", number: t.distanceKm, decimals: Self.kmDecimals)
            field("load_t", number: t.loadT, decimals: Self.tonneDecimals)
            if chain { field("manifest_id", t.manifestID) }
            endObject()
        } else {
            null()
        }
        field("date", c.date.description)
        key("violations")
        beginArray()
        for v in c.violations {
            violation(type: v.type, start: v.start, end: v.end, lon: v.lon, lat: v.lat, source: v.source,
                      detail: v.detail, evidence: v.evidence, clock: clock, chain: chain)
        }
        endArray()
        key("evidence")
        evidence(Evidence.merged(c.violations.map(\.evidence)), clock: clock, chain: chain)
    }

    /// A trip's source → dump chain, the fields `trips.json` and a case's trip both begin with
    /// (the contract orders the fields after them differently).
    public mutating func tripChain(sourceSite: String?, loadedAt: Int64, disposalSite: String?, dumpLon: Double?,
                                   dumpLat: Double?, dumpedAt: Int64?, clock: LocalClock) {
        field("source_site", sourceSite)
        field("loaded_at", clock.format(loadedAt))
        field("disposal_site", disposalSite)
        field("dump_lon", number: dumpLon, decimals: Self.coordinateDecimals)
        field("dump_lat", number: dumpLat, decimals: Self.coordinateDecimals)
        field("dumped_at", dumpedAt.map { clock.format($0) })
    }

    /// One violation object of a case.
    public mutating func violation(type: ViolationType, start: Int64, end: Int64, lon: Double, lat: Double,
                                   source: ViolationSource, detail: String, evidence e: Evidence, clock: LocalClock,
                                   chain: Bool) {
        beginObject()
        field("type", type.rawValue)
        field("start", clock.format(start))
        field("end", clock.format(end))
        field("lon", number: lon, decimals: Self.coordinateDecimals)
        field("lat", number: lat, decimals: Self.coordinateDecimals)
        field("source", source.rawValue)
        field("detail", detail)
        key("evidence")
        evidence(e, clock: clock, chain: chain)
        endObject()
    }

    /// An evidence object.
    /// - Parameter chain: manifests or gate records are in play: their lists are written too.
    public mutating func evidence(_ e: Evidence, clock: LocalClock, chain: Bool) {
        beginObject()
        key("fixes")
        beginArray()
        for r in e.fixRanges {
            beginArray()
            string(clock.format(r.lowerBound))
            string(clock.format(r.upperBound))
            endArray()
        }
        endArray()
        field("sensor_readings", strings: e.sensorReadings)
        field("camera_events", strings: e.cameraEvents)
        field("images", strings: e.images)
        if chain {
            field("manifests", strings: e.manifests)
            field("gate_events", strings: e.gateEvents)
        }
        endObject()
    }
}

extension Evidence {
    /// The case-level evidence: every violation's evidence, fix ranges sorted, duplicates
    /// dropped (first occurrence order kept for the text lists).
    public static func merged(_ list: [Evidence]) -> Evidence {
        var merged = Evidence()
        var seenRanges = Set<ClosedRange<Int64>>()
        var seenText: (sensor: Set<String>, camera: Set<String>, image: Set<String>, manifest: Set<String>,
                       gate: Set<String>) = ([], [], [], [], [])
        for e in list {
            for r in e.fixRanges where seenRanges.insert(r).inserted { merged.fixRanges.append(r) }
            for x in e.sensorReadings where seenText.sensor.insert(x).inserted { merged.sensorReadings.append(x) }
            for x in e.cameraEvents where seenText.camera.insert(x).inserted { merged.cameraEvents.append(x) }
            for x in e.images where seenText.image.insert(x).inserted { merged.images.append(x) }
            for x in e.manifests where seenText.manifest.insert(x).inserted { merged.manifests.append(x) }
            for x in e.gateEvents where seenText.gate.insert(x).inserted { merged.gateEvents.append(x) }
        }
        merged.fixRanges.sort { ($0.lowerBound, $0.upperBound) < ($1.lowerBound, $1.upperBound) }
        return merged
    }
}
