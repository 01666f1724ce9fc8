import Foundation
import MuckWatchCore
import Testing
@testable import MuckWatchStore

/// The live writer's log is copied into the store by the checkpointer, not by commits:
/// with the automatic checkpoint off, the log keeps every frame until the checkpointer
/// runs, and after it has run a reader on another connection sees every write.
@Suite struct WALCheckpointerTests {
    func walFrames(_ path: String) throws -> (log: Int64, copied: Int64) {
        let db = try Database(path: path)
        let s = try db.prepare("PRAGMA wal_checkpoint(PASSIVE)")
        _ = try s.step()
        return (s.int64(1), s.int64(2))
    }

    @Test func logIsCopiedBesideTheWriterAndEverythingStaysReadable() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night })
        try store.deferCheckpoints()
        try store.sizeCacheForFrequentCommits()
        #expect(try store.db.scalarInt("PRAGMA wal_autocheckpoint") == 0)
        #expect(try store.db.scalarInt("PRAGMA cache_size") == -Int64(CaseStore.frequentCommitCacheKiB))
        // No tick during the test: the one checkpoint is the one `stop` runs and waits for
        // (the timer itself is `QueueTimer`'s, tested in MuckWatchCoreTests).
        let checkpointer = try WALCheckpointer(path: store.path, interval: 3600)
        try store.write(sampleRun())
        #expect(checkpointer.counts.checkpoints == 0)
        checkpointer.stop()
        #expect(checkpointer.counts.checkpoints == 1)
        #expect(checkpointer.counts.failures == 0)
        // Every frame of the log is in the database file: nothing left to copy.
        let frames = try walFrames(dir.storePath)
        #expect(frames.log == frames.copied)
        let reader = try CaseStore(path: dir.storePath, now: { night })
        #expect(try reader.listCases(CaseFilter()).count == 3)
        // Stopping twice (the writer's finish, then its deinit) is harmless.
        checkpointer.stop()
    }

    /// Once a checkpoint has copied the whole log (`takeCaughtUp`, true once), a
    /// checkpoint on the writer's connection lets its next transaction start the log
    /// over. (Why the writer must do it under a steady stream of commits, and the log
    /// bounded under one, is measured by the gateway load test: docs/gateway.md.)
    @Test func caughtUpLogStartsOverAtTheWritersNextTransaction() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night })
        try store.deferCheckpoints()
        let checkpointer = try WALCheckpointer(path: store.path, interval: 3600, restartAfterFrames: 8)
        let run = sampleRun()
        let live = try store.beginLive(clock: .shanghai, fences: [])
        func write(_ k: Int) throws {
            var c = run.cases[k % 3]
            c.id += "-\(k)"
            try store.upsertLive(runID: live, cases: [c], trips: [], plates: run.plates, clock: .shanghai)
        }
        for k in 0..<50 { try write(k) }
        #expect(!checkpointer.takeCaughtUp())  // no checkpoint has run
        checkpointer.stop()  // runs one, to the log's end
        #expect(checkpointer.takeCaughtUp())
        #expect(!checkpointer.takeCaughtUp())  // once
        let before = try walFrames(dir.storePath).log
        try store.checkpointLog()
        try write(50)
        let after = try walFrames(dir.storePath).log
        #expect(before > 100)
        #expect(after * 10 < before, "log \(before) → \(after) frames")
        #expect(try store.listCases(CaseFilter()).count == 51)
    }
}
