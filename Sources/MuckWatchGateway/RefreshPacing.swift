/// How long the store writer holds refreshes before writing them, and how many cases it
/// writes per refresh transaction, both from how long its last writes took.
///
/// Why: refreshes (content of cases already alerted, closed trips) are a large part of the
/// live store's work, and every alert that arrives while one is written waits for it. At
/// ordinary rates they are written a second after they were judged, in transactions of up
/// to 64 cases. When they grow to take more than `share` of the store queue's time, they
/// are held longer (up to `maxDelay`): a case re-judged several times meanwhile is written
/// once, so the store's work shrinks instead of the alerts' wait growing. And each
/// transaction is sized to take about `chunkSeconds`, so an alert never waits long behind
/// one, however large the cases are.
struct RefreshPacing {
    /// Shortest and longest hold, seconds.
    let minDelay: Double
    let maxDelay: Double
    /// Most of the store queue's time that writing refreshes should take.
    let share: Double
    /// Aim for one refresh transaction, seconds.
    let chunkSeconds: Double
    /// Fewest and most cases per refresh transaction.
    let minChunk: Int
    let maxChunk: Int

    /// Current hold before the next refresh is written, seconds.
    private(set) var delay: Double
    /// Cases in the next refresh transaction.
    private(set) var chunk: Int
    /// Seconds spent writing the refreshes of the cycle under way.
    private var cycleSeconds = 0.0
    /// Smoothed seconds per case of the last refresh transactions (nil before the first).
    private var secondsPerCase: Double?

    init(minDelay: Double, maxDelay: Double, share: Double = 0.25, chunkSeconds: Double = 0.004,
         minChunk: Int = 4, maxChunk: Int) {
        self.minDelay = minDelay
        self.maxDelay = max(minDelay, maxDelay)
        self.share = min(1, max(0.01, share))
        self.chunkSeconds = chunkSeconds
        self.maxChunk = max(1, maxChunk)
        self.minChunk = min(max(1, minChunk), self.maxChunk)
        delay = minDelay
        chunk = self.maxChunk
    }

    /// One refresh transaction of `cases` cases took `seconds`.
    mutating func wrote(cases: Int, seconds: Double) {
        cycleSeconds += seconds
        guard cases > 0 else { return }
        let observed = seconds / Double(cases)
        let s = secondsPerCase.map { 0.5 * $0 + 0.5 * observed } ?? observed
        secondsPerCase = s
        chunk = s > 0 ? min(maxChunk, max(minChunk, Int(chunkSeconds / s))) : maxChunk
    }

    /// A hold ended while the previous cycle's transactions were still being written: the
    /// store is behind, hold twice as long (the cycle's end sets it from its time again).
    mutating func overran() {
        delay = min(maxDelay, delay * 2)
    }

    /// The last transaction of a refresh cycle was written: the next hold is what keeps
    /// writing one cycle's refreshes under `share` of the time.
    mutating func cycleEnded() {
        delay = min(maxDelay, max(minDelay, cycleSeconds / share))
        cycleSeconds = 0
    }
}
