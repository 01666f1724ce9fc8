import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// `FirstRunJournal`: a SQLite store's first run is written in place with a rollback
/// journal, not through the write-ahead log; it holds the same rows, leaves the store in
/// WAL mode whether it commits or rolls back, and a store someone else has open, or one
/// that already holds a run, is written through the log as before.
@Suite struct FirstRunJournalTests {
    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test func aFirstRunIsWrittenInPlaceWithTheRowsOfOneThroughTheLog() throws {
        let inPlace = try TempDir(), throughLog = try TempDir()
        defer { inPlace.cleanup(); throughLog.cleanup() }
        let run = RunWriteTests.run()

        let w = try RunWriteTests.writeInSteps(run, into: try CaseStore(path: inPlace.storePath, now: { night + 10_000 }),
                                               commit: false)
        #expect(w.writesInPlace)
        // Before the commit: the rollback journal, and nothing in the log.
        #expect(FileManager.default.fileExists(atPath: inPlace.storePath + "-journal"))
        try w.commit()
        #expect(!FileManager.default.fileExists(atPath: inPlace.storePath + "-journal"))
        let store = try CaseStore(path: inPlace.storePath)
        #expect(try store.journalMode() == "wal")

        // The same run into a store another connection holds open: through the log.
        let other = try CaseStore(path: throughLog.storePath, now: { night + 10_000 })
        let holder = try throughLog.database()
        _ = try holder.scalarInt("SELECT count(*) FROM runs")
        let logged = try RunWriteTests.writeInSteps(run, into: other)
        #expect(!logged.writesInPlace)
        // Through the log every page went into it; in place only the migrations' did.
        #expect(Self.fileSize(throughLog.storePath + "-wal") > Self.fileSize(throughLog.storePath) / 2)
        #expect(Self.fileSize(inPlace.storePath + "-wal") < Self.fileSize(inPlace.storePath) / 4)

        let a = try StoreDump.tables(try inPlace.database(), numbering: .kept)
        let b = try StoreDump.tables(try throughLog.database(), numbering: .kept)
        #expect(!(a["cases"] ?? []).isEmpty)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (table, rows) in a { #expect(b[table] == rows, "\(table) differs") }
        #expect(try inPlace.database().scalarText("PRAGMA integrity_check") == "ok")
    }

    @Test func aSecondRunGoesThroughTheLog() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 10_000 })
        #expect(try RunWriteTests.writeInSteps(RunWriteTests.run(), into: store).writesInPlace)
        let second = try RunWriteTests.writeInSteps(RunWriteTests.run(detailSuffix: " (again)"), into: store, commit: false)
        #expect(!second.writesInPlace)
        #expect(try store.journalMode() == "wal")
        try second.commit()
        #expect(try dir.database().scalarInt("SELECT count(*) FROM runs") == 2)
    }

    @Test func anAbandonedFirstRunLeavesAnEmptyStoreInWALMode() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 10_000 })
        let before = try StoreDump.tables(try dir.database(), numbering: .kept)
        let w = try RunWriteTests.writeInSteps(RunWriteTests.run(), into: store, commit: false)
        #expect(w.writesInPlace)
        w.abandon()
        #expect(try StoreDump.tables(try dir.database(), numbering: .kept) == before)
        #expect(try store.journalMode() == "wal")
        #expect(!FileManager.default.fileExists(atPath: dir.storePath + "-journal"))
        // Still a first run: the next one is written in place too.
        #expect(try RunWriteTests.writeInSteps(RunWriteTests.run(), into: store).writesInPlace)
        #expect(try dir.database().scalarInt("SELECT count(*) FROM runs") == 1)
    }

    /// `writeChangedPages` (what `analyze` does while its files are written): the run's pages
    /// reach the file, or the log, before the commit; a run ended there is rolled back, and a
    /// committed one holds every row.
    @Test(arguments: [true, false])
    func pagesWrittenBeforeTheCommitAreTheRunsOnlyOnceCommitted(firstRun: Bool) throws {
        let dir = try TempDir(), reference = try TempDir()
        defer { dir.cleanup(); reference.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 10_000 })
        if !firstRun { try RunWriteTests.writeInSteps(RunWriteTests.run(detailSuffix: " (first)"), into: store) }
        let before = try StoreDump.tables(try dir.database(), numbering: .kept)
        let changed = firstRun ? dir.storePath : dir.storePath + "-wal"

        let w = try RunWriteTests.writeInSteps(RunWriteTests.run(), into: store, commit: false)
        #expect(w.writesInPlace == firstRun)
        let unwritten = FileManager.default.contents(atPath: changed) ?? Data()
        try w.writeChangedPages()
        #expect(FileManager.default.contents(atPath: changed) != unwritten)
        // Through the log a reader reads on; in place it would wait for the commit (the file
        // holds pages of the open transaction), as during a spill of the page cache.
        if !firstRun { #expect(try StoreDump.tables(try dir.database(), numbering: .kept) == before) }
        w.abandon()
        #expect(try StoreDump.tables(try dir.database(), numbering: .kept) == before)
        #expect(try dir.database().scalarText("PRAGMA integrity_check") == "ok")

        let again = try RunWriteTests.writeInSteps(RunWriteTests.run(), into: store, commit: false)
        try again.writeChangedPages()
        try again.commit()
        let other = try CaseStore(path: reference.storePath, now: { night + 10_000 })
        if !firstRun { try RunWriteTests.writeInSteps(RunWriteTests.run(detailSuffix: " (first)"), into: other) }
        try RunWriteTests.writeInSteps(RunWriteTests.run(), into: other)
        #expect(try StoreDump.tables(try dir.database(), numbering: .kept)
                == StoreDump.tables(try reference.database(), numbering: .kept))
        #expect(try store.journalMode() == "wal")
    }

    /// A connection that reads the store while its first run writes (the review app's)
    /// reads what was committed before, and the run once committed; the store ends in WAL mode.
    @Test func aReaderDuringTheFirstRunSeesItOnceCommitted() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let w = try RunWriteTests.writeInSteps(RunWriteTests.run(), into: try CaseStore(path: dir.storePath,
                                                                                      now: { night + 10_000 }),
                                               commit: false)
        #expect(w.writesInPlace)
        let reader = try dir.database()
        #expect(try reader.scalarText("PRAGMA journal_mode") == "delete")
        #expect(try reader.scalarInt("SELECT count(*) FROM runs") == 0)
        try w.commit()
        #expect(try reader.scalarInt("SELECT count(*) FROM runs") == 1)
        #expect(try reader.scalarInt("SELECT count(*) FROM cases") == 3)
        #expect(try dir.database().scalarText("PRAGMA journal_mode") == "wal")
    }

    @Test func aPostgresStoreIsNeverSwitched() throws {
        let dir = try TempDir(.postgres)
        defer { dir.cleanup() }
        let w = try RunWriteTests.writeInSteps(RunWriteTests.run(), into: try CaseStore(path: dir.storePath,
                                                                                      now: { night + 10_000 }))
        #expect(!w.writesInPlace)
    }
}

/// A first run killed half-way, with some of its pages already in the file (its page cache
/// spilled): what is on disk then — the file and the journal beside it — opens as the store
/// it was before the run, checked, in WAL mode.
@Suite struct FirstRunJournalCrashTests {
    @Test func theJournalLeftByAKilledFirstRunIsRolledBack() throws {
        let dir = try TempDir(), crashed = try TempDir()
        defer { dir.cleanup(); crashed.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 10_000 })
        let before = try StoreDump.tables(try dir.database(), numbering: .kept)
        // A cache of a few pages: the run's pages spill into the file before its commit.
        try store.db.execute("PRAGMA cache_size = 2")
        let sizeBefore = FirstRunJournalTests.fileSize(dir.storePath)
        let w = try RunWriteTests.writeInSteps(RunWriteTests.run(), into: store, commit: false)
        #expect(w.writesInPlace)
        #expect(FirstRunJournalTests.fileSize(dir.storePath) > sizeBefore, "nothing spilled into the file")
        // What a `kill -9` now leaves on disk: the file and its journal, copied aside.
        let fm = FileManager.default
        for suffix in ["", "-journal"] {
            try fm.copyItem(atPath: dir.storePath + suffix, toPath: crashed.storePath + suffix)
        }
        w.abandon()

        let reopened = try CaseStore(path: crashed.storePath)
        #expect(try reopened.journalMode() == "wal")
        #expect(try crashed.database().scalarText("PRAGMA integrity_check") == "ok")
        #expect(try StoreDump.tables(try crashed.database(), numbering: .kept) == before)
        #expect(!fm.fileExists(atPath: crashed.storePath + "-journal"))
    }
}
