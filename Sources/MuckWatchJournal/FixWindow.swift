/// The raw fixes of one vehicle between two fix times, as the gateway journaled them
/// (`JournalWindowReader`): what the case page shows beside the simplified map track.
public struct FixWindow: Sendable {
    /// Whether the journal could answer for the window at all.
    public enum Coverage: Sendable, Equatable {
        /// The night the window starts in is in the journal: `fixes` is what it holds.
        case searched
        /// The night is not (or no longer) in the journal: removed after the retention, or
        /// the gateway was not journaling then. `kept` names the nights that are there.
        case dayNotKept(day: String, kept: ClosedRange<String>?)
    }

    public var coverage: Coverage
    /// The fixes in fix-time order (equal times by receive time), at most the lookup's limit.
    public var fixes: [JournalEntry] = []
    /// How many fixes the window holds in all (more than `fixes.count` when cut at the limit).
    public var total = 0
    /// The day directories searched (`YYYY-MM-DD`), and how many of their segments.
    public var days: [String] = []
    public var segments = 0
    /// Damage met in those segments (a torn tail, a bad record), skipped as every reader skips it.
    public var damage: [JournalDamage] = []

    public init(coverage: Coverage) { self.coverage = coverage }
}
