import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Copies a live store's write-ahead log into the database file on its own connection and
/// thread, so the live writer never does it inside a commit.
///
/// Why: with SQLite's automatic checkpoint, the commit that pushes the log past 1,000 pages
/// copies the log and syncs the file to disk before it returns, and every alert waiting on
/// that commit waits too: periodic stalls of tens to hundreds of milliseconds in the
/// gateway's alert latency at 100k fixes/s. The live writer turns the automatic checkpoint
/// off (`CaseStore.deferCheckpoints`) and this one runs a PASSIVE checkpoint every
/// `interval`: it copies what no reader still needs and never waits for the writer or
/// for readers (the review app). The writer lets the log start over (`takeCaughtUp`).
public final class WALCheckpointer: @unchecked Sendable {
    private let db: Database
    private let queue = DispatchQueue(label: "muckwatch.store.checkpoint", qos: .utility)
    private let timer: any DispatchSourceTimer
    private let lock = NSLock()
    private var stopped = false
    private var _checkpoints = 0
    private var _failures = 0
    private var _caughtUp = false
    /// The log may grow to this many frames before the writer is asked to let it start
    /// over (`takeCaughtUp`): each time costs the writer a short checkpoint of its own.
    private let restartAfterFrames: Int64
    private let path: String
    /// Descriptors of the database file and its log, opened on first use, for `syncFiles`.
    private var files: (db: Int32, log: Int32) = (-1, -1)

    /// - Parameters:
    ///   - interval: seconds between checkpoints.
    ///   - restartAfterFrames: see `takeCaughtUp` (default 65,536 frames, 256 MB of 4 KB pages).
    public init(path: String, interval: Double = 0.25, restartAfterFrames: Int64 = 65536) throws(StoreError) {
        self.restartAfterFrames = restartAfterFrames
        self.path = path
        db = try Database(path: path)
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.checkpoint() }
        timer.resume()
    }

    deinit {
        timer.cancel()
        if files.db >= 0 { close(files.db) }
        if files.log >= 0 { close(files.log) }
    }

    /// Checkpoints run, and failed (a failure is retried on the next tick).
    public var counts: (checkpoints: Int, failures: Int) { lock.withLock { (_checkpoints, _failures) } }

    /// Stops the timer and runs one last checkpoint (waits for it).
    public func stop() {
        timer.cancel()
        queue.sync {
            guard !stopped else { return }
            checkpoint()
            stopped = true
        }
    }

    private func checkpoint() {
        guard !stopped else { return }
        var ok = false, caughtUp = false
        do {
            // (Busy: the writer's own checkpoint runs; this one is skipped, not failed.)
            let s = try ResultColumns<CheckpointColumns>(db, "PRAGMA wal_checkpoint(PASSIVE)")
            if try s.step() {
                let log = s.int64(.log)
                caughtUp = s.int64(.busy) == 0 && log >= restartAfterFrames && log == s.int64(.checkpointed)
            }
            ok = true
        } catch {}
        if caughtUp { syncFiles() }
        lock.withLock {
            if ok { _checkpoints += 1 } else { _failures += 1 }
            if caughtUp { _caughtUp = true }
        }
    }

    /// Flushes the database file and the log to disk from this thread, before the writer
    /// is told to checkpoint (`takeCaughtUp`).
    ///
    /// Why: a PASSIVE checkpoint that copied its whole snapshot of the log while the writer
    /// appended does not sync the database file (SQLite syncs it only when the copy reaches
    /// the log's current end), so the pages it copied were still unwritten when the writer
    /// checkpointed the few frames left: that checkpoint's two syncs flushed them all, 60–110
    /// ms with every alert waiting (measured with `perf trace` at 100k fixes/s). Flushed
    /// here, the writer's syncs cover only what it copies and appended since. A descriptor
    /// that cannot be opened is skipped: the writer's own sync still makes it durable.
    private func syncFiles() {
        if files.db < 0 { files.db = open(path, O_RDONLY | O_CLOEXEC) }
        if files.log < 0 { files.log = open(path + "-wal", O_RDONLY | O_CLOEXEC) }
        if files.db >= 0 { _ = fdatasync(files.db) }
        if files.log >= 0 { _ = fdatasync(files.log) }
    }

    /// True (once) when a checkpoint has copied the whole log as it stood when it began.
    ///
    /// SQLite starts the log over only at a write that begins after the whole log was
    /// copied. A writer that commits while this checkpoint runs (the live gateway at
    /// 100k fixes/s: always) adds frames past its end, so the log never starts over and
    /// grows without end (630 MB after 36 s). The writer asks this between its
    /// transactions and, when true, checkpoints on its own connection
    /// (`CaseStore.checkpointLog`): only the frames committed since are left to copy,
    /// and its next transaction starts the log over.
    public func takeCaughtUp() -> Bool {
        lock.withLock {
            defer { _caughtUp = false }
            return _caughtUp
        }
    }
}

/// The one row of `PRAGMA wal_checkpoint`: busy flag, frames in the log, frames copied
/// into the database.
enum CheckpointColumns: String, ColumnSet {
    case busy, log, checkpointed
}
