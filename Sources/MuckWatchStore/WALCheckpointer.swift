import Dispatch
import Foundation

/// Copies a live store's write-ahead log into the database file on its own connection and
/// thread, so the live writer never does it inside a commit.
///
/// Why: with SQLite's automatic checkpoint, the commit that pushes the log past 1,000 pages
/// copies the log and syncs the file to disk before it returns, and every alert waiting on
/// that commit waits too: periodic stalls of tens to hundreds of milliseconds in the
/// gateway's alert latency at 100k fixes/s. The live writer turns the automatic checkpoint
/// off (`CaseStore.deferCheckpoints`) and this one runs a PASSIVE checkpoint every
/// `interval`: it copies what no reader still needs, never waits for the writer or for
/// readers (the review app), and the log is reused once a checkpoint has caught up.
public final class WALCheckpointer: @unchecked Sendable {
    private let db: Database
    private let queue = DispatchQueue(label: "muckwatch.store.checkpoint", qos: .utility)
    private let timer: any DispatchSourceTimer
    private let lock = NSLock()
    private var stopped = false
    private var _checkpoints = 0
    private var _failures = 0

    public init(path: String, interval: Double = 1) throws(StoreError) {
        db = try Database(path: path)
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.checkpoint() }
        timer.resume()
    }

    deinit { timer.cancel() }

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
        let ok = (try? db.execute("PRAGMA wal_checkpoint(PASSIVE)", doing: "checkpointing the log")) != nil
        lock.withLock { if ok { _checkpoints += 1 } else { _failures += 1 } }
    }
}
