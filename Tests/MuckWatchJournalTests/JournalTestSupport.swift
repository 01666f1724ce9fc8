import Foundation
import MuckWatchCore
@testable import MuckWatchJournal

/// A temporary journal directory and entries to write into it.
struct JournalDir {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "muckwatch-journal-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// 2026-11-20T21:00+08:00 plus `k` seconds: inside the night of the 20th.
    static let night: Int64 = 1_795_179_600

    static func entry(_ k: Int, vehicle: Int32 = 0) -> JournalEntry {
        let f = Fix(vehicle: vehicle, time: night + Int64(k), lon: [108.4, 108.25, 108.5][k % 3], lat: 30.8,
                    speedKmh: Float(k % 60), heading: 90, loadT: k % 3 == 0 ? .nan : 12.5, lift: 0, lid: k % 2 == 0 ? 1 : -1)
        return JournalEntry(fix: f, phoneHigh: 0, phoneLow: 0x0132_9238_1646 + UInt64(vehicle), messageID: 0x0200,
                            serial: UInt16(k & 0xFFFF), receivedMs: (night + Int64(k)) * 1000 + 250)
    }

    /// Writes `entries` in one commit and waits for it.
    static func commit(_ writer: JournalWriter, _ entries: [JournalEntry]) -> JournalCommit {
        let done = DispatchSemaphore(value: 0)
        let result = Locked<JournalCommit?>(nil)
        writer.submit(entries) { r in
            result.withLock { $0 = r }
            done.signal()
        }
        done.wait()
        return result.withLock { $0! }
    }

    func read() throws -> (entries: [JournalEntry], summary: JournalReader.Summary) {
        var plates = PlateTable()
        var entries: [JournalEntry] = []
        var summary = JournalReader.Summary()
        for (_, day) in JournalDay.days(in: path) {
            let s = try JournalReader.fixes(day: day, plates: &plates, entries: &entries)
            summary.records += s.records
            summary.segments += s.segments
            summary.damage += s.damage
        }
        return (entries, summary)
    }
}
