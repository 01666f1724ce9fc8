import Foundation
import MuckWatchCore

/// Why an output file could not be written.
public struct OutputError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Writes the contract's output files (section 7), each atomically: a temporary file
/// in the same folder, then rename(2), so a crash never leaves a half-written file.
public enum OutputWriter {
    public static func writeTrips(_ run: RunResult, to path: String) throws(OutputError) {
        var w = JSONWriter()
        w.beginArray()
        for t in run.trips {
            w.newline()
            trip(t, run, into: &w, withVehicle: true)
        }
        w.newline()
        w.endArray()
        w.newline()
        try atomicWrite(w.text, to: path)
    }

    public static func writeCases(_ run: RunResult, to path: String) throws(OutputError) {
        var w = JSONWriter()
        w.beginArray()
        for c in run.cases {
            w.newline()
            w.beginObject()
            w.field("case_id", c.id)
            w.field("vehicle_id", c.vehicleID)
            w.field("company", c.company)
            w.field("status", c.status.rawValue)
            w.key("departments")
            w.beginArray()
            for d in c.departments { w.string(d) }
            w.endArray()
            w.key("trip")
            if let t = c.trip { trip(t, run, into: &w, withVehicle: false) } else { w.null() }
            w.field("date", c.date.description)
            w.key("violations")
            w.beginArray()
            var all = Evidence()
            for v in c.violations {
                w.beginObject()
                w.field("type", v.type.rawValue)
                w.field("start", run.clock.format(v.start))
                w.field("end", run.clock.format(v.end))
                w.field("lon", v.lon)
                w.field("lat", v.lat)
                w.field("source", v.source.rawValue)
                w.field("detail", v.detail)
                w.key("evidence")
                evidence(v.evidence, run, into: &w)
                w.endObject()
                all.fixRanges += v.evidence.fixRanges
                all.sensorReadings += v.evidence.sensorReadings
                all.cameraEvents += v.evidence.cameraEvents
                all.images += v.evidence.images
            }
            w.endArray()
            w.key("evidence")
            evidence(all, run, into: &w)
            w.endObject()
        }
        w.newline()
        w.endArray()
        w.newline()
        try atomicWrite(w.text, to: path)
    }

    public static func writeRejects(_ run: RunResult, to path: String) throws(OutputError) {
        var text = "file,line,reason\n"
        for r in run.rejects { text += csv(r.file) + "," + String(r.line) + "," + csv(r.reason) + "\n" }
        try atomicWrite(text, to: path)
    }

    public static func writeSummary(_ run: RunResult, to path: String) throws(OutputError) {
        let s = run.summary
        var w = JSONWriter()
        w.beginObject()
        w.field("fixes_read", s.fixesRead)
        w.field("fixes_accepted", s.fixesAccepted)
        w.field("fixes_rejected", s.fixesRejected)
        w.field("fixes_duplicate", s.fixesDuplicate)
        w.field("fixes_outlier", s.fixesOutlier)
        w.field("other_rows_rejected", s.otherRejected)
        w.field("vehicles", s.vehicles)
        w.field("trips", s.trips)
        w.field("cases", s.cases)
        w.key("violations_by_type")
        w.beginObject()
        for t in ViolationType.allCases { w.field(t.rawValue, s.violationsByType[t] ?? 0) }
        w.endObject()
        for (key, table) in [("tonnes_by_source_site", s.tonnesBySourceSite), ("tonnes_by_disposal_site", s.tonnesByDisposalSite)] {
            w.key(key)
            w.beginObject()
            for k in table.keys.sorted() { w.field(k, table[k], decimals: 2) }
            w.endObject()
        }
        w.endObject()
        w.newline()
        try atomicWrite(w.text, to: path)
    }

    // MARK: pieces

    static func trip(_ t: Trip, _ run: RunResult, into w: inout JSONWriter, withVehicle: Bool) {
        w.beginObject()
        if withVehicle { w.field("vehicle_id", run.plates[t.vehicle]) }
        w.field("source_site", t.sourceSite)
        w.field("loaded_at", run.clock.format(t.loadedAt))
        w.field("disposal_site", t.disposalSite)
        w.field("dump_lon", t.dumpedAt == nil ? nil : t.dumpLon)
        w.field("dump_lat", t.dumpedAt == nil ? nil : t.dumpLat)
        w.field("dumped_at", t.dumpedAt.map(run.clock.format))
        w.field("distance_km", t.distanceKm, decimals: 3)
        w.field("load_t", t.loadT, decimals: 2)
        w.field("permit_id", t.permitID)
        if withVehicle { w.field("case_id", t.caseID) }
        w.endObject()
    }

    static func evidence(_ e: Evidence, _ run: RunResult, into w: inout JSONWriter) {
        w.beginObject()
        w.key("fixes")
        w.beginArray()
        for r in e.fixRanges {
            w.beginArray()
            w.string(run.clock.format(r.lowerBound))
            w.string(run.clock.format(r.upperBound))
            w.endArray()
        }
        w.endArray()
        for (k, list) in [("sensor_readings", e.sensorReadings), ("camera_events", e.cameraEvents), ("images", e.images)] {
            w.key(k)
            w.beginArray()
            for s in list { w.string(s) }
            w.endArray()
        }
        w.endObject()
    }

    static func csv(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Temp file beside the target, then rename: readers see the old file or the new one.
    public static func atomicWrite(_ text: String, to path: String) throws(OutputError) {
        let tmp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) else {
            throw OutputError(path: path, reason: "cannot create \(tmp) (folder missing or not writable?)")
        }
        guard rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw OutputError(path: path, reason: "cannot move the finished file into place: \(why)")
        }
    }
}
