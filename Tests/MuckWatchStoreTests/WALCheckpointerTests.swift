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
        #expect(try store.db.scalarInt("PRAGMA wal_autocheckpoint") == 0)
        let checkpointer = try WALCheckpointer(path: store.path, interval: 0.05)
        try store.write(sampleRun())
        Thread.sleep(forTimeInterval: 0.3)
        checkpointer.stop()
        #expect(checkpointer.counts.checkpoints >= 1)
        #expect(checkpointer.counts.failures == 0)
        // Every frame of the log is in the database file: nothing left to copy.
        let frames = try walFrames(dir.storePath)
        #expect(frames.log == frames.copied)
        let reader = try CaseStore(path: dir.storePath, now: { night })
        #expect(try reader.listCases(CaseFilter()).count == 3)
        // Stopping twice (the writer's finish, then its deinit) is harmless.
        checkpointer.stop()
    }

    /// A writer that never pauses: the checkpointer never sees the log's end, so the log
    /// starts over only when the writer checkpoints after a catch-up (`takeCaughtUp`).
    /// With that, the log file stays a fraction of what the writer appended.
    @Test func logStartsOverUnderASteadyWriter() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night })
        try store.deferCheckpoints()
        let checkpointer = try WALCheckpointer(path: store.path, interval: 0.002, restartAfterFrames: 8)
        let run = sampleRun()
        let live = try store.beginLive(clock: .shanghai, fences: [], metadata: [])
        var settled = 0
        for k in 0..<600 {
            var c = run.cases[k % 3]
            c.id += "-\(k)"
            try store.upsertLive(runID: live, cases: [c], trips: [], plates: run.plates, clock: .shanghai)
            if checkpointer.takeCaughtUp() {
                try store.checkpointLog()
                settled += 1
            }
        }
        checkpointer.stop()
        #expect(settled > 0)
        // Each case is at least ten new frames (rows of eight tables and their indexes):
        // never starting over, the log would be over 600 × 10 × 4 KB.
        let wal = try FileManager.default.attributesOfItem(atPath: dir.storePath + "-wal")[.size] as? Int ?? 0
        #expect(wal < 600 * 10 * 4096 / 4, "log file \(wal) bytes")
        #expect(try store.listCases(CaseFilter()).count == 600)
    }
}
