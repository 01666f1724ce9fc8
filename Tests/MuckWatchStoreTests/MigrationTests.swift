import Foundation
import MuckWatchCore
import Testing
@testable import MuckWatchStore

@Suite struct MigrationTests {
    @Test func freshStoreIsAtCurrentVersionWithOneRowPerMigration() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night })
        #expect(try store.schemaVersion() == Schema.currentVersion)
        let db = try Database(path: dir.storePath)
        #expect(try db.scalarInt("SELECT count(*) FROM migrations") == Int64(Schema.currentVersion))
        #expect(try db.scalarInt("SELECT count(*) FROM migrations WHERE applied_at = '2026-11-20T22:00:00+08:00'")
            == Int64(Schema.currentVersion))
    }

    /// Migration 13: the gateway's auth key is drawn once and read back after reopening.
    @Test func gatewayAuthKeyIsDrawnOnceAndKept() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        var draws = 0
        do {
            let store = try CaseStore(path: dir.storePath, now: { night })
            #expect(try store.gatewayAuthKey { draws += 1; return 0xF00D_0000_0000_BEEF } == 0xF00D_0000_0000_BEEF)
            #expect(try store.gatewayAuthKey { draws += 1; return 1 } == 0xF00D_0000_0000_BEEF)
        }
        let store = try CaseStore(path: dir.storePath, now: { night + 86_400 })
        #expect(try store.gatewayAuthKey { draws += 1; return 2 } == 0xF00D_0000_0000_BEEF)
        #expect(draws == 1)
    }

    @Test func reopeningAppliesNothingAndKeepsData() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        do {
            let store = try CaseStore(path: dir.storePath, now: { night })
            try store.write(sampleRun())
        }
        let store = try CaseStore(path: dir.storePath, now: { night + 86_400 })
        let db = try Database(path: dir.storePath)
        #expect(try db.scalarInt("SELECT count(*) FROM migrations") == Int64(Schema.currentVersion))
        #expect(try db.scalarInt("SELECT max(applied_unix) FROM migrations") == night)
        #expect(try store.listCases(CaseFilter()).count == 3)
    }

    @Test func onlyMissingMigrationsAreApplied() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let db = try Database(path: dir.storePath)
        let firstThree = Array(Schema.migrations.prefix(3))
        try Migrator.migrate(db, now: 100, clockFormat: { String($0) }, migrations: firstThree)
        #expect(try db.scalarInt("SELECT max(version) FROM migrations") == 3)
        try Migrator.migrate(db, now: 200, clockFormat: { String($0) })
        #expect(try db.scalarInt("SELECT count(*) FROM migrations WHERE applied_unix = 100") == 3)
        #expect(try db.scalarInt("SELECT count(*) FROM migrations WHERE applied_unix = 200")
            == Int64(Schema.currentVersion - 3))
    }

    @Test func newerSchemaIsRefused() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        _ = try CaseStore(path: dir.storePath)
        let db = try Database(path: dir.storePath)
        try db.execute("INSERT INTO migrations VALUES (999, 'x', 0)")
        #expect(throws: StoreError.newerSchema(path: dir.storePath, found: 999, known: Schema.currentVersion)) {
            _ = try CaseStore(path: dir.storePath)
        }
    }

    @Test func walAndForeignKeysAreOn() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath)
        let mode = try store.db.prepare("PRAGMA journal_mode")
        #expect(try mode.step())
        #expect(mode.text(0) == "wal")
        #expect(try store.db.scalarInt("PRAGMA foreign_keys") == 1)
    }

    @Test func openingInAMissingFolderNamesThePath() throws {
        let path = "/nonexistent-\(UUID().uuidString)/muckwatch.sqlite"
        do throws(StoreError) {
            _ = try CaseStore(path: path)
            Issue.record("expected an error")
        } catch {
            guard case let .openFailed(p, _, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(p == path)
            #expect(error.description.contains(path))
        }
    }

    @Test func badSQLErrorCarriesMessageAndSQL() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let db = try Database(path: dir.storePath)
        do throws(StoreError) {
            _ = try db.prepare("SELEC nonsense")
            Issue.record("expected an error")
        } catch {
            guard case let .sqlite(_, message, _, sql) = error else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("syntax error"))
            #expect(sql == "SELEC nonsense")
        }
    }
}
