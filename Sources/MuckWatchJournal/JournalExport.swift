public import Foundation
public import MuckWatchCore

/// A journal day as contract CSV (docs/formats.md section 1), for other tools: one row per
/// record in journal order, times in the journal's zone, empty cells for absent sensors.
public enum JournalExport {
    public static let header = "vehicle_id,time,lon,lat,speed_kmh,heading,lift,lid,load_t\n"

    /// Writes the day at `dayDir` to `out`; returns what reading found.
    public static func csv(day dayDir: String, clock: LocalClock, to out: FileHandle) throws(JournalReadError)
        -> JournalReader.Summary {
        var reader = JournalReader()
        var text = header
        try reader.read(day: dayDir) { e, bytes, plate in
            text += row(e.fix, plate: String(decoding: bytes[plate], as: UTF8.self), clock: clock)
            if text.utf8.count > 1 << 20 {
                out.write(Data(text.utf8))
                text = ""
            }
        }
        out.write(Data(text.utf8))
        return reader.summary
    }

    static func row(_ f: Fix, plate: String, clock: LocalClock) -> String {
        func number(_ v: Float) -> String { v.isNaN ? "" : String(Double(v)) }
        func sensor(_ v: Int8) -> String { v < 0 ? "" : String(v) }
        let quoted = plate.contains(",") || plate.contains("\"") ? "\"" + plate.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : plate
        return "\(quoted),\(clock.format(f.time)),\(f.lon),\(f.lat),\(number(f.speedKmh)),\(number(f.heading)),"
            + "\(sensor(f.lift)),\(sensor(f.lid)),\(number(f.loadT))\n"
    }
}
