import MuckWatchCore
import MuckWatchJournal
import MuckWatchStore

/// The gateway journal's raw fixes behind a case's violations (`serve --journal`, issue #24):
/// the stored track is simplified for maps, the journal holds every fix the terminal sent.
enum JournalEvidence: Sendable {
    /// `serve` was not given a journal.
    case notConfigured
    /// One answer per violation, in the case's order.
    case windows([Window])

    struct Window: Sendable {
        /// The violation's window widened by `marginS` each side, Unix seconds.
        var from: Int64
        var to: Int64
        /// What the journal holds, or why it could not be read.
        var answer: Result<FixWindow, JournalReadError>
    }

    /// Seconds shown before and after a violation's window.
    static let marginS: Int64 = 60
    /// Rows read per violation: a page stays fast however long the window.
    static let rowLimit = 500

    /// Looks each violation's window up in the journal (the indexes it builds stay cached in `reader`).
    static func load(_ c: StoredCase, from reader: JournalWindowReader?) -> JournalEvidence {
        guard let reader else { return .notConfigured }
        return .windows(c.violations.map { v in
            let from = v.start - marginS, to = v.end + marginS
            return Window(from: from, to: to, answer: Result { () throws(JournalReadError) -> FixWindow in
                try reader.window(plate: c.vehicleID, from: from, to: to, limit: rowLimit)
            })
        })
    }

    /// Every fix read, for the map's dots.
    var fixes: [JournalEntry] {
        guard case .windows(let windows) = self else { return [] }
        return windows.flatMap { (try? $0.answer.get())?.fixes ?? [] }
    }
}
