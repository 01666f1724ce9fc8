import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// `IndexesAfterRows`: a run that brings the first manifests and gate passes into their
/// tables drops their secondary indexes with its first such row and builds them again in
/// `complete`, with the SQL the schema gave them; a table that already holds rows keeps its
/// indexes throughout; a run abandoned in between leaves them as they were.
@Suite struct IndexesAfterRowsTests {
    /// The manifests' and gate passes' secondary indexes as `db` sees them: name → SQL.
    static func chainIndexes(_ db: Database) throws -> [String: String] {
        try StoreDump.indexes(of: IndexesAfterRows.tables, db)
    }

    static func newStore(_ dir: TempDir) throws -> CaseStore { try CaseStore(path: dir.storePath, now: { night + 10_000 }) }

    @Test func aFirstRunDropsTheChainIndexesAndBuildsThemAgainBeforeItsCommit() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try Self.newStore(dir)
        let schema = try Self.chainIndexes(store.db)
        #expect(Set(schema.keys) == ["manifests_day", "manifests_vehicle", "manifests_state", "gate_events_vehicle",
                                     "gate_events_manifest"])

        let run = chainRun()
        let w = try RunWrite(store, clock: run.clock, startedAt: run.record.startedAt)
        var seenWhileWriting: [[String: String]] = []
        try RunWriteTests.writeChainByVehicle(run, with: w) { seenWhileWriting.append(try Self.chainIndexes(store.db)) }
        #expect(!seenWhileWriting.isEmpty)
        #expect(seenWhileWriting.allSatisfy { $0.isEmpty }, "the rows went into the indexes one by one")
        try w.complete(run)
        #expect(try Self.chainIndexes(store.db) == schema, "complete left the indexes to the commit")
        try w.commit()

        let reader = try dir.database()
        #expect(try Self.chainIndexes(reader) == schema)
        #expect(try reader.scalarText("PRAGMA integrity_check") == "ok")
        #expect(try reader.scalarInt("SELECT count(*) FROM manifests") == 4)
        // Built from the rows: each index holds every row of its table (the partial one, those with a manifest).
        #expect(try reader.scalarInt("SELECT count(*) FROM manifests INDEXED BY manifests_state WHERE state IS NOT NULL") == 4)
        #expect(try reader.scalarInt("""
            SELECT count(*) FROM gate_events INDEXED BY gate_events_manifest WHERE manifest_id IS NOT NULL
            """) == reader.scalarInt("SELECT count(*) FROM gate_events WHERE manifest_id IS NOT NULL"))
        let query = try reader.prepare("EXPLAIN QUERY PLAN SELECT manifest_id FROM manifests WHERE vehicle_id = ?1 ORDER BY opened_unix")
        try query.bind(1, "渝F67890")
        var details: [String] = []
        while try query.step() { details.append(query.text(3)) }
        #expect(details.contains { $0.contains("manifests_vehicle") }, "\(details)")
    }

    @Test func tablesThatHoldRowsKeepTheirIndexesThroughARun() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try Self.newStore(dir)
        try store.write(chainRun())
        let schema = try Self.chainIndexes(store.db)

        var again = chainRun()
        again.manifests[1].state = .mismatched
        let w = try RunWrite(store, clock: again.clock, startedAt: again.record.startedAt)
        var seenWhileWriting: [[String: String]] = []
        try RunWriteTests.writeChainByVehicle(again, with: w) { seenWhileWriting.append(try Self.chainIndexes(store.db)) }
        #expect(seenWhileWriting.allSatisfy { $0 == schema })
        try w.complete(again)
        try w.commit()
        #expect(try Self.chainIndexes(try dir.database()) == schema)
        #expect(try dir.database().scalarText("SELECT state FROM manifests WHERE manifest_id = 'M-2'") == "mismatched")
    }

    @Test func aRunAbandonedWithItsIndexesDroppedLeavesThemAsTheyWere() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try Self.newStore(dir)
        let schema = try Self.chainIndexes(store.db)
        let run = chainRun()
        let w = try RunWrite(store, clock: run.clock, startedAt: run.record.startedAt)
        try RunWriteTests.writeChainByVehicle(run, with: w)
        #expect(try Self.chainIndexes(store.db).isEmpty)
        w.abandon()
        #expect(try Self.chainIndexes(store.db) == schema)
        #expect(try Self.chainIndexes(try dir.database()) == schema)
        #expect(try dir.database().scalarInt("SELECT count(*) FROM manifests") == 0)
        // The next first run drops and builds them again.
        _ = try RunWriteTests.writeInSteps(chainRun(), into: store)
        #expect(try Self.chainIndexes(try dir.database()) == schema)
    }
}
