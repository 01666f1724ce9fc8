import Foundation
public import MuckWatchCore

/// What became of one submitted batch of entries.
public enum JournalCommit: Sendable {
    /// Durable on disk: the entries that were written (the batch without the fixes
    /// already journaled, `RecentFixes`), in submission order.
    case committed([JournalEntry])
    /// Not written: nothing of the batch may be acknowledged.
    case failed(JournalFailure)
}

/// How the journal is doing (the gateway's metrics, `/readyz`, health line).
public struct JournalStatus: Sendable, Equatable {
    public var records = 0
    public var bytes = 0
    public var commits = 0
    /// Fixes sent again and not journaled twice.
    public var repeats = 0
    public var failedCommits = 0
    /// Set while writing fails (the gateway acknowledges nothing); cleared by the next commit.
    public var failure: JournalFailure?
    public var syncSeconds = 0.0
    public var longestSyncSeconds = 0.0
    public init() {}
}

/// The fix journal's writer: batches submitted from any thread are written by one thread
/// of its own in group commits — everything submitted while the last commit was being
/// synced is encoded, written with one `pwrite` and made durable with one `fdatasync` —
/// and only then is each batch's completion called, on that thread. At most one commit
/// starts per `commitInterval`, so syncs stay bounded however many loops submit.
///
/// When a write or sync fails the segment is truncated back to its last commit, the
/// batches are completed `.failed`, and until `retryEvery` has passed every batch fails
/// at once without touching the disk; the next attempt starts a new segment file (after
/// a failed `fdatasync` the old file's page cache cannot be trusted).
public final class JournalWriter: Sendable {
    public struct Options: Sendable {
        /// Days are cut at local noon in this zone (`JournalDay`).
        public var clock = LocalClock.shanghai
        /// The shortest time from one commit's start to the next's.
        public var commitInterval: Double = 0.005
        public var retryEvery: Double = 1
        /// Day directories older than this many days are removed (0: never).
        public var retainDays = 180
        /// A segment is closed and a new one started past this size.
        public var segmentBytes = 64 << 20
        public init() {}
    }

    private struct Submission {
        var entries: [JournalEntry]
        var completion: @Sendable (JournalCommit) -> Void
    }

    private struct Shared {
        var pending: [Submission] = []
        var closing = false
        var status = JournalStatus()
    }

    private let shared = Locked(Shared())
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    public let directory: String

    /// Starts the writer thread. Nothing is opened until the first commit.
    /// - Parameters:
    ///   - plates: plate of each vehicle index the entries' fixes carry.
    ///   - recent: the fixes already journaled (a replay of the open day), so resends are recognised.
    ///   - now: the wall clock in Unix milliseconds (which day a commit is in, segment names).
    public init(directory: String, plates: [String], options: Options = Options(), recent: RecentFixes = RecentFixes(),
                now: @escaping @Sendable () -> Int64 = JournalWriter.wallClockMs) {
        self.directory = directory
        let state = UncheckedBox(WriterState(directory: directory, plates: plates.map { Array($0.utf8) },
                                             options: options, recent: recent, now: now))
        let shared = shared, wake = wake, done = done
        let thread = Thread {
            state.value.run(shared: shared, wake: wake)
            done.signal()
        }
        thread.name = "muckwatch.journal"
        thread.qualityOfService = .userInitiated
        thread.start()
    }

    public static func wallClockMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Queues `entries` for the next commit; `completion` runs on the writer thread once
    /// it is durable or has failed. After `close` every batch fails.
    public func submit(_ entries: [JournalEntry], completion: @escaping @Sendable (JournalCommit) -> Void) {
        let accepted = shared.withLock { s -> Bool in
            guard !s.closing else { return false }
            s.pending.append(Submission(entries: entries, completion: completion))
            return true
        }
        if accepted {
            wake.signal()
        } else {
            completion(.failed(JournalFailure(operation: "submit after close", errno: ECANCELED, path: directory)))
        }
    }

    public var status: JournalStatus { shared.withLock { $0.status } }

    /// Commits what was submitted, then stops the thread and closes the segment.
    public func close() {
        let first = shared.withLock { s -> Bool in
            defer { s.closing = true }
            return !s.closing
        }
        guard first else { return }
        wake.signal()
        done.wait()
    }

    /// The writer thread's own state (only that thread touches it).
    private struct WriterState {
        let directory: String
        let plates: [[UInt8]]
        let options: Options
        var recent: RecentFixes
        let now: @Sendable () -> Int64
        var segment: SegmentFile?
        var segmentDay = Int64.min
        /// A segment whose failed write is not yet rolled back (retried before anything else).
        var broken: SegmentFile?
        var failure: JournalFailure?
        var lastAttempt = 0.0
        var buffer: [UInt8] = []
        var undo: [RecentFixes.Undo] = []
        var names = 0
        var lastRetention = Int64.min

        init(directory: String, plates: [[UInt8]], options: Options, recent: RecentFixes,
             now: @escaping @Sendable () -> Int64) {
            self.directory = directory
            self.plates = plates
            self.options = options
            self.recent = recent
            self.now = now
        }

        mutating func run(shared: Locked<Shared>, wake: DispatchSemaphore) {
            while true {
                let (batch, closing) = shared.withLock { s -> ([Submission], Bool) in
                    defer { s.pending = [] }
                    return (s.pending, s.closing)
                }
                if batch.isEmpty {
                    if closing { break }
                    _ = wake.wait(timeout: .now() + .seconds(1))
                    continue
                }
                let started = Date()
                commit(batch, shared: shared)
                let rest = options.commitInterval - Date().timeIntervalSince(started)
                // Pacing, not synchronisation: what arrives meanwhile joins the next commit.
                if rest > 0, !closing { usleep(UInt32(rest * 1e6)) }
            }
            segment?.close()
        }

        mutating func commit(_ batch: [Submission], shared: Locked<Shared>) {
            let t = Date().timeIntervalSince1970
            if failure != nil, t - lastAttempt < options.retryEvery {
                let f = failure!
                shared.withLock { $0.status.failedCommits += batch.count }
                for b in batch { b.completion(.failed(f)) }
                return
            }
            lastAttempt = t
            var kept: [[JournalEntry]] = []
            kept.reserveCapacity(batch.count)
            var records = 0, bytes = 0, repeats = 0
            let started = Date()
            do throws(JournalFailure) {
                try recover()
                undo.removeAll(keepingCapacity: true)
                for b in batch {
                    var entries = b.entries
                    var w = 0
                    for (i, e) in b.entries.enumerated() {
                        let day = JournalDay.day(ofMs: e.receivedMs, clock: options.clock)
                        if day != segmentDay || segment == nil {
                            try flush()
                            try open(day: day)
                        }
                        if recent.isRepeat(e.fix, undo: &undo) {
                            repeats += 1
                            continue
                        }
                        let v = Int(e.fix.vehicle)
                        JournalFormat.append(e, plate: v >= 0 && v < plates.count ? plates[v] : [], to: &buffer)
                        // Copied only once a repeat has left a gap.
                        if w != i { entries[w] = e }
                        w += 1
                    }
                    if w < entries.count { entries.removeSubrange(w...) }
                    records += w
                    kept.append(entries)
                }
                bytes = buffer.count
                try flush()
                if let s = segment, s.committed >= options.segmentBytes { s.close(); segment = nil }
            } catch {
                recent.undo(undo)
                undo.removeAll(keepingCapacity: true)
                buffer.removeAll(keepingCapacity: true)
                if let s = segment {
                    broken = s
                    segment = nil
                }
                try? recover()
                failure = error
                let f = error
                shared.withLock {
                    $0.status.failure = f
                    $0.status.failedCommits += batch.count
                }
                for b in batch { b.completion(.failed(error)) }
                return
            }
            failure = nil
            let sync = Date().timeIntervalSince(started)
            shared.withLock {
                $0.status.failure = nil
                $0.status.records += records
                $0.status.bytes += bytes
                $0.status.commits += 1
                $0.status.repeats += repeats
                $0.status.syncSeconds += sync
                $0.status.longestSyncSeconds = max($0.status.longestSyncSeconds, sync)
            }
            for (b, entries) in zip(batch, kept) { b.completion(.committed(entries)) }
            retention()
        }

        /// Writes and syncs what is encoded; those fixes are durable from here on.
        mutating func flush() throws(JournalFailure) {
            guard !buffer.isEmpty, let s = segment else { return }
            try s.write(buffer)
            try s.sync()
            buffer.removeAll(keepingCapacity: true)
            undo.removeAll(keepingCapacity: true)
        }

        /// Rolls a failed segment back to its last commit and drops it.
        mutating func recover() throws(JournalFailure) {
            guard let b = broken else { return }
            try b.rollBack()
            b.close()
            broken = nil
        }

        mutating func open(day: Int64) throws(JournalFailure) {
            segment?.close()
            segment = nil
            let dayDir = directory + "/" + JournalDay.name(day)
            try SegmentFile.makeDirectory(directory)
            try SegmentFile.makeDirectory(dayDir)
            names += 1
            let name = String(format: "%016lld-%04d", now(), names % 10000) + JournalDay.segmentSuffix
            segment = try SegmentFile(creating: dayDir + "/" + name, header: JournalFormat.header(clock: options.clock))
            segmentDay = day
        }

        /// Removes expired days, at most once per day.
        mutating func retention() {
            guard options.retainDays > 0, segmentDay != lastRetention else { return }
            lastRetention = segmentDay
            JournalDay.removeExpired(in: directory, today: segmentDay, retainDays: options.retainDays)
        }
    }
}
