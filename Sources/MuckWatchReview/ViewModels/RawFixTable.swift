import Foundation
import MuckWatchCore
import MuckWatchJournal

/// A violation's raw fixes from the journal (template `case-raw-fixes`): every fix the
/// terminal sent in the violation's window, with the message that carried it and when it
/// arrived, and whether the simplified map track kept it. Or why there are none to show.
struct RawFixTable {
    struct Row {
        var time, received, message: String
        /// Sent late, in a blind-area upload (0x0704).
        var late: Bool
        var position, speed, heading, load, lift, lid: String
        var onMap: Bool
    }

    /// What the table holds ("151 raw fixes …; the map track kept 12"), when it holds any.
    /// (Named apart from the page's keys: a `nil` one is looked up in the enclosing contexts.)
    var rawSummary: String?
    /// Why there is no table or why it is cut short, in words.
    var rawNote: String?
    var rawRows: [Row]
    var hasRawRows = false

    /// What a violation shows when `serve` has no `--journal`.
    static let notConfigured = RawFixTable(rawNote: "No fix journal is configured (muckwatch serve --journal DIR): "
        + "the map shows the simplified track only.", rawRows: [])

    init(rawSummary: String? = nil, rawNote: String?, rawRows: [Row]) {
        self.rawSummary = rawSummary
        self.rawNote = rawNote
        self.rawRows = rawRows
        hasRawRows = !rawRows.isEmpty
    }

    init(_ w: JournalEvidence.Window, trackTimes: Set<Int64>, clock: LocalClock) {
        let span = Labels.time(w.from, clock) + " – " + Labels.clockTime(w.to, clock)
        rawRows = []
        switch w.answer {
        case .failure(let error):
            rawNote = "The journal could not be read: \(error). The map shows the simplified track only."
        case .success(let found):
            switch found.coverage {
            case .dayNotKept(let day, let kept):
                rawNote = kept.map { "The journal does not hold the night of \(day) (it keeps \($0.lowerBound) to \($0.upperBound)): "
                    + "removed after the retention, or the gateway was not journaling then." }
                    ?? "The journal folder holds no nights yet."
            case .searched:
                rawRows = found.fixes.map { Row($0, trackTimes: trackTimes, clock: clock) }
                hasRawRows = !rawRows.isEmpty
                let kept = rawRows.filter(\.onMap).count
                rawSummary = found.total == 0 ? "No raw fix of this vehicle in the journal for \(span) (nights \(found.days.joined(separator: ", ")) searched)."
                    : "\(found.total) raw fix\(found.total == 1 ? "" : "es") \(span) (the violation ± \(JournalEvidence.marginS) s); "
                    + "the simplified map track kept \(kept)\(found.total > rawRows.count ? " of the first \(rawRows.count)" : "")."
                var notes: [String] = []
                if found.total > rawRows.count { notes.append("Showing the first \(rawRows.count) of \(found.total) fixes.") }
                if !found.damage.isEmpty {
                    notes.append("\(found.damage.count) damaged place\(found.damage.count == 1 ? "" : "s") in the journal skipped "
                        + "(\(found.damage.map(\.kind.rawValue).joined(separator: ", "))); `muckwatch journal verify` lists them.")
                }
                rawNote = notes.isEmpty ? nil : notes.joined(separator: " ")
            }
        }
    }
}

extension RawFixTable.Row {
    init(_ e: JournalEntry, trackTimes: Set<Int64>, clock: LocalClock) {
        let f = e.fix
        func reading(_ v: Float, _ format: String) -> String { v.isNaN ? "" : String(format: format, Double(v)) }
        func sensor(_ v: Int8) -> String { v < 0 ? "" : String(v) }
        let received = e.receivedMs / 1000
        self.init(time: Labels.clockTime(f.time, clock),
                  // The date only when it differs: a blind-area upload can arrive the next day.
                  received: clock.date(of: received) == clock.date(of: f.time) ? Labels.clockTime(received, clock)
                      : Labels.time(received, clock),
                  message: String(format: "0x%04X", e.messageID), late: e.messageID == 0x0704,
                  position: f.unpositioned ? "not positioned" : String(format: "%.6f, %.6f", f.lon, f.lat),
                  speed: reading(f.speedKmh, "%.1f"), heading: reading(f.heading, "%.0f"), load: reading(f.loadT, "%.1f"),
                  lift: sensor(f.lift), lid: sensor(f.lid), onMap: trackTimes.contains(f.time))
    }
}
