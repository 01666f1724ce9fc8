import Foundation
public import MuckWatchCore
public import MuckWatchJournal

/// Restart recovery (issue #24): the journal's open day is read back and fed to the
/// analysis before any terminal is accepted, so every vehicle's analyzer — its open trip
/// above all — is where it was when the gateway stopped or was killed, and the fixes
/// already journaled are remembered (`RecentFixes`) so a terminal sending them again is
/// acknowledged without a second record.
public enum JournalRecovery {
    public struct Result: Sendable {
        public var recent: RecentFixes
        public var records = 0
        /// Records of plates the registry no longer holds: not replayed.
        public var unknownPlates = 0
        public var damage: [JournalDamage] = []
        public var readSeconds = 0.0
        public var replaySeconds = 0.0
        public var day: String
    }

    /// Replays the day `nowMs` falls in (`JournalDay`) from `directory` into `engine`.
    /// - Parameter plates: the engine's plate table (the vehicle index every shard uses).
    public static func replay(directory: String, into engine: LiveEngine, plates: PlateTable, clock: LocalClock,
                              nowMs: Int64 = JournalWriter.wallClockMs()) throws(JournalReadError) -> Result {
        let day = JournalDay.day(ofMs: nowMs, clock: clock)
        var result = Result(recent: RecentFixes(), day: JournalDay.name(day))
        let t0 = Date()
        var read = PlateTable()
        var entries: [JournalEntry] = []
        let summary = try JournalReader.fixes(day: directory + "/" + result.day, plates: &read, entries: &entries)
        result.damage = summary.damage
        let vehicleOf = read.plates.map { plates.lookup($0) ?? -1 }
        var fixes: [Fix] = []
        fixes.reserveCapacity(entries.count)
        for e in entries {
            var f = e.fix
            f.vehicle = vehicleOf[Int(f.vehicle)]
            f.file = 0
            f.line = 0
            guard f.vehicle >= 0 else { result.unknownPlates += 1; continue }
            _ = result.recent.isRepeat(f)
            fixes.append(f)
        }
        result.records = entries.count
        let t1 = Date()
        result.readSeconds = t1.timeIntervalSince(t0)
        engine.replay(fixes)
        result.replaySeconds = Date().timeIntervalSince(t1)
        return result
    }
}
