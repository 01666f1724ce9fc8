import Dispatch
import Foundation
import MuckWatchCore
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
public final class WALCheckpointer: Sendable {
    /// What the checkpoint queue owns.
    private struct Connection {
        let db: Database
        var stopped = false
        /// Descriptors of the database file and its log, opened on first use, for `syncFiles`.
        let files = LogFiles()
    }
    private struct Tally {
        var checkpoints = 0
        var failures = 0
        var caughtUp = false
    }
    private let connection: QueueConfined<Connection>
    private let timer: QueueTimer
    private let tally = Locked(Tally())
    /// The log may grow to this many frames before the writer is asked to let it start
    /// over (`takeCaughtUp`): each time costs the writer a short checkpoint of its own.
    private let restartAfterFrames: Int64
    private let path: String

    /// - Parameters:
    ///   - interval: seconds between checkpoints.
    ///   - restartAfterFrames: see `takeCaughtUp` (default 65,536 frames, 256 MB of 4 KB pages).
    public init(path: String, interval: Double = 0.25, restartAfterFrames: Int64 = 65536) throws(StoreError) {
        self.restartAfterFrames = restartAfterFrames
        self.path = path
        connection = QueueConfined(Connection(db: try Database(path: path)), label: "muckwatch.store.checkpoint",
                                   qos: .utility)
        timer = QueueTimer(queue: connection.queue, every: .nanoseconds(Int(interval * 1e9)))
        timer.start { [weak self] in
            guard let self else { return }
            connection.onQueue { checkpoint(&$0) }
        }
    }

    /// Checkpoints run, and failed (a failure is retried on the next tick).
    public var counts: (checkpoints: Int, failures: Int) { tally.withLock { ($0.checkpoints, $0.failures) } }

    /// Stops the timer and runs one last checkpoint (waits for it).
    public func stop() {
        timer.cancel()
        connection.sync { c in
            guard !c.stopped else { return }
            checkpoint(&c)
            c.stopped = true
        }
    }

    private func checkpoint(_ c: inout Connection) {
        guard !c.stopped else { return }
        var ok = false, caughtUp = false
        do {
            // (Busy: the writer's own checkpoint runs; this one is skipped, not failed.)
            let s = try ResultColumns<CheckpointColumns>(c.db, "PRAGMA wal_checkpoint(PASSIVE)")
            if try s.step() {
                let log = s.int64(.log)
                caughtUp = s.int64(.busy) == 0 && log >= restartAfterFrames && log == s.int64(.checkpointed)
            }
            ok = true
        } catch {}
        if caughtUp { syncFiles(c.files) }
        tally.withLock {
            if ok { $0.checkpoints += 1 } else { $0.failures += 1 }
            if caughtUp { $0.caughtUp = true }
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
    private func syncFiles(_ files: LogFiles) {
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
        tally.withLock { t in
            defer { t.caughtUp = false }
            return t.caughtUp
        }
    }
}

/// The one row of `PRAGMA wal_checkpoint`: busy flag, frames in the log, frames copied
/// into the database.
enum CheckpointColumns: String, ColumnSet {
    case busy, log, checkpointed
}

/// The descriptors `WALCheckpointer.syncFiles` flushes (touched on the checkpoint queue
/// only), closed when the checkpointer goes.
private final class LogFiles {
    var db: Int32 = -1
    var log: Int32 = -1
    deinit {
        if db >= 0 { close(db) }
        if log >= 0 { close(log) }
    }
}
