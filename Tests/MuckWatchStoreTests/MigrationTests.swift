import Foundation
import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

@Suite struct MigrationTests {
    @Test(arguments: StoreBackend.allCases) func freshStoreIsAtCurrentVersionWithOneRowPerMigration(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night })
        #expect(try store.schemaVersion() == Schema.currentVersion)
        let db = try dir.database()
        #expect(try db.scalarInt("SELECT count(*) FROM migrations") == Int64(Schema.currentVersion))
        #expect(try db.scalarInt("SELECT count(*) FROM migrations WHERE applied_at = '2026-11-20T22:00:00+08:00'")
            == Int64(Schema.currentVersion))
    }

    /// Migration 13: a kept key (the gateway's auth key) is drawn once and read back after reopening.
    @Test(arguments: StoreBackend.allCases) func gatewayAuthKeyIsDrawnOnceAndKept(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        var draws = 0
        do {
            let store = try CaseStore(path: dir.storePath, now: { night })
            #expect(try store.key(named: "auth") { draws += 1; return 0xF00D_0000_0000_BEEF } == 0xF00D_0000_0000_BEEF)
            #expect(try store.key(named: "auth") { draws += 1; return 1 } == 0xF00D_0000_0000_BEEF)
        }
        let store = try CaseStore(path: dir.storePath, now: { night + 86_400 })
        #expect(try store.key(named: "auth") { draws += 1; return 2 } == 0xF00D_0000_0000_BEEF)
        #expect(draws == 1)
    }

    @Test(arguments: StoreBackend.allCases) func reopeningAppliesNothingAndKeepsData(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        do {
            let store = try CaseStore(path: dir.storePath, now: { night })
            try store.write(sampleRun())
        }
        let store = try CaseStore(path: dir.storePath, now: { night + 86_400 })
        let db = try dir.database()
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

    /// Migration 14: a store written before it keeps its department menu (from the rows it
    /// already has) and loses only the indexes no query reads; later writes add to the menu.
    @Test func departmentsOfAnOlderStoreMoveToTheirOwnTable() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        do {
            let db = try Database(path: dir.storePath)
            try Migrator.migrate(db, now: 100, clockFormat: { String($0) }, migrations: Array(Schema.migrations.prefix(13)))
            try db.execute("INSERT INTO runs(id, started_at, started_unix, utc_offset_s) VALUES (1, 'x', 0, 28800)")
            try db.execute("""
                INSERT INTO cases(case_id, vehicle_id, status, departments, case_date, case_day, created_run, updated_run)
                VALUES ('C-1', '渝F1', 'open', 'traffic_police,city_management', '2026-11-20', 20777, 1, 1)
                """)
            try db.execute("""
                INSERT INTO case_departments VALUES ('C-1', 'traffic_police', 0), ('C-1', 'city_management', 1)
                """)
        }
        let store = try CaseStore(path: dir.storePath, now: { night })
        #expect(try store.caseDepartments() == ["city_management", "traffic_police"])
        let indexes = try store.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name")
        var names: [String] = []
        while try indexes.step() { names.append(indexes.text(0)) }
        for gone in ["case_departments_department", "violations_type", "violations_start", "case_events_at"] {
            #expect(!names.contains(gone))
        }
        #expect(names.contains("violations_case"))
        try store.write(sampleRun())
        let routed = Set(sampleRun().cases.flatMap(\.departments))
        #expect(Set(try store.caseDepartments()) == routed.union(["city_management", "traffic_police"]))
    }

    @Test(arguments: StoreBackend.allCases) func newerSchemaIsRefused(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        _ = try CaseStore(path: dir.storePath)
        let db = try dir.database()
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
