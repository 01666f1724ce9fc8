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
}
