import Foundation
public import MuckWatchCore

/// A journal's days: `DIR/YYYY-MM-DD/` holds what was received from local noon of that
/// date to local noon of the next, in the contract's zone (`LocalClock`). A night's work
/// wraps midnight (the sample night runs 19:40–05:16) and is named by the date it starts
/// on, so one directory is one night: `analyze --traces DIR/2026-11-20` reads the night
/// of the 20th to the 21st whole, and a gateway restarted at 03:00 replays all of it.
public enum JournalDay {
    /// Where the day is cut, in seconds after local midnight.
    public static let cutSeconds: Int64 = 12 * 3600

    /// The day (local date, as days since 1970-01-01) a receive time belongs to.
    public static func day(ofMs ms: Int64, clock: LocalClock) -> Int64 {
        clock.date(of: TimeParser.floorDiv(ms, 1000) - cutSeconds).days
    }

    /// `YYYY-MM-DD` of a day.
    public static func name(_ day: Int64) -> String { LocalDate(days: day).description }

    /// The day a `YYYY-MM-DD` names, `nil` for any other name.
    public static func day(named name: String) -> Int64? { LocalDate(parsing: name)?.days }

    /// The day directories under `dir`, oldest first.
    public static func days(in dir: String) -> [(day: Int64, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.compactMap { n in day(named: n).map { ($0, dir + "/" + n) } }.sorted { $0.day < $1.day }
    }

    /// The segment files of a day directory, in the order they were written.
    public static func segments(in dayDir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dayDir)) ?? []
        return names.filter { $0.hasSuffix(segmentSuffix) }.sorted().map { dayDir + "/" + $0 }
    }

    public static let segmentSuffix = ".mwj"

    /// Told by content, as `--traces` tells a JT/T 808 capture: a directory whose first
    /// segment starts with the journal's magic is a journal day (its segments), a file that
    /// does is one segment; anything else is `nil`.
    public static func segments(of path: String) -> [String]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        let files = isDirectory.boolValue ? segments(in: path) : [path]
        guard let first = files.first, let h = FileHandle(forReadingAtPath: first) else { return nil }
        defer { try? h.close() }
        return JournalFormat.hasMagic([UInt8](h.readData(ofLength: JournalFormat.magic.count))) ? files : nil
    }

    /// Removes the day directories more than `retainDays` before `today`; returns their paths.
    @discardableResult
    public static func removeExpired(in dir: String, today: Int64, retainDays: Int) -> [String] {
        var removed: [String] = []
        for (d, path) in days(in: dir) where d < today - Int64(retainDays) {
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }
}
