public import MuckWatchCore
public import MuckWatchStore

/// The case list as an officer reads it in a terminal, or as JSON for scripts.
public enum CaseTable {
    public static func text(_ rows: [CaseSummaryRow], counts: [Case.Status: Int]) -> String {
        let header = ["CASE", "DATE", "VEHICLE", "COMPANY", "STATUS", "VIOLATIONS", "SOURCE→DUMP", "DEPARTMENTS"]
        var table = [header]
        for r in rows {
            table.append([r.caseID, r.date.description, r.vehicleID, r.company ?? "-",
                          r.status.rawValue + (r.superseded ? " (superseded)" : ""),
                          r.violationTypes.map(\.rawValue).joined(separator: ","),
                          (r.sourceSite ?? "-") + "→" + (r.disposalSite ?? (r.sourceSite == nil ? "-" : "dump")),
                          r.departments.joined(separator: ",")])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in table { for (i, c) in row.enumerated() { widths[i] = max(widths[i], displayWidth(c)) } }
        var out = ""
        for row in table {
            var line = ""
            for (i, c) in row.enumerated() {
                line += c
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - displayWidth(c) + 2) }
            }
            out += line + "\n"
        }
        let statusLine = Case.Status.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        out += "\(rows.count) case\(rows.count == 1 ? "" : "s") listed; in the store: \(statusLine)\n"
        return out
    }

    public static func json(_ rows: [CaseSummaryRow]) -> String {
        var w = JSONWriter()
        w.beginArray()
        for r in rows {
            w.beginObject()
            w.field("case_id", r.caseID)
            w.field("date", r.date.description)
            w.field("vehicle_id", r.vehicleID)
            w.field("company", r.company)
            w.field("status", r.status.rawValue)
            w.key("violation_types")
            w.beginArray()
            for t in r.violationTypes { w.string(t.rawValue) }
            w.endArray()
            w.key("departments")
            w.beginArray()
            for d in r.departments { w.string(d) }
            w.endArray()
            w.field("source_site", r.sourceSite)
            w.field("disposal_site", r.disposalSite)
            w.key("superseded")
            w.bool(r.superseded)
            w.endObject()
        }
        w.endArray()
        return w.text + "\n"
    }

    /// Terminal columns: CJK characters take two.
    static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 && ($1.value <= 0x115F || (0x2E80...0xFFDC).contains($1.value)) ? 2 : 1) }
    }
}
