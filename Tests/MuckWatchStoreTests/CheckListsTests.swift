import Foundation
import MuckWatchCore
import Testing
@testable import MuckWatchStore

/// `CheckLists`: the CHECK lists of the tables a run writes row by row are spelled as
/// comparisons — the same values allowed and refused, no temporary B-tree built per row —
/// on a new store and on a file whose migrations left the lists, once, and never while
/// another connection writes.
@Suite struct CheckListsTests {
    @Test func aListBecomesComparisons() {
        #expect(CheckLists.comparisons(in: "CREATE TABLE t (state TEXT CHECK (state IN ('open', 'closed',\n  'unclosed')))",
                                       column: "state")
                == "CREATE TABLE t (state TEXT CHECK (state = 'open' OR state = 'closed' OR state = 'unclosed'))")
        // A column whose name ends another's: only its own list, wherever it stands.
        let events = "CHECK (from_status IS NULL OR from_status IN ('open','closed')), CHECK (to_status IN ('open'))"
        #expect(CheckLists.comparisons(in: events, column: "to_status")
                == "CHECK (from_status IS NULL OR from_status IN ('open','closed')), CHECK (to_status = 'open')")
        #expect(CheckLists.comparisons(in: events, column: "status") == nil)
        // Anything but quoted words is left as it is.
        #expect(CheckLists.comparisons(in: "CHECK (n IN (0, 1))", column: "n") == nil)
        #expect(CheckLists.comparisons(in: "CHECK (s IN ('a b', 'c'))", column: "s") == nil)
        #expect(CheckLists.comparisons(in: "CHECK (s IN ())", column: "s") == nil)
    }

    /// How many temporary B-trees `sql`'s program opens on `db`'s connection.
    static func ephemeralTables(_ db: Database, _ sql: String) throws -> Int {
        let st = try db.prepare("EXPLAIN " + sql)
        var n = 0
        while try st.step() { if st.text(1) == "OpenEphemeral" { n += 1 } }
        return n
    }

    static let manifestInsert = """
        INSERT INTO manifests(manifest_id, vehicle_id, source_site, disposal_site, waste_type, declared_t, opened_at,
                              opened_unix, opened_day, state)
        VALUES ('M-1', '渝F12345', 'S-01', 'D-01', 'engineering_mud', 20, 't', 1, 1, ?)
        """
    static let violationInsert = """
        INSERT INTO violations(case_id, ord, vehicle_id, type, start_at, start_unix, end_at, end_unix, lon, lat,
                               source, detail)
        VALUES ('C-1', 0, '渝F12345', ?, 't', 1, 't', 2, 108.4, 30.8, ?, '')
        """

    /// The statements a run repeats, on `db`: none builds a temporary B-tree.
    static func expectComparisons(_ db: Database) throws {
        #expect(try ephemeralTables(db, manifestInsert) == 0)
        #expect(try ephemeralTables(db, violationInsert) == 0)
        #expect(try ephemeralTables(db, "INSERT INTO evidence(violation_id, ord, kind, value) VALUES (1, 0, ?, '')") == 0)
        #expect(try ephemeralTables(db, """
            INSERT INTO case_events(case_id, at, at_unix, actor, action, from_status, to_status)
            VALUES ('C-1', 't', 1, 'a', 'status', ?, ?)
            """) == 0)
        #expect(try CheckLists.pendingRewrites(db).isEmpty)
    }

    @Test func aNewStoreAllowsAndRefusesWhatItDidWithoutBuildingTheLists() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath)
        // The store's own connection, which parsed the schema before the rewrite, too.
        try Self.expectComparisons(store.db)
        let db = try dir.database()
        try Self.expectComparisons(db)

        let manifest = try db.prepare(Self.manifestInsert)
        for state in ManifestState.allCases {
            try manifest.bind(1, state.rawValue)
            try manifest.run()
            try db.execute("DELETE FROM manifests")
        }
        try manifest.bind(1, "lost")
        #expect(throws: StoreError.self) { try manifest.run() }

        let violation = try db.prepare(Self.violationInsert)
        for type in ViolationType.allCases {
            try violation.bind(1, type.rawValue)
            try violation.bind(2, "gps")
            try violation.run()
        }
        try violation.bind(1, "jaywalking")
        #expect(throws: StoreError.self) { try violation.run() }
        try violation.bind(1, "speeding")
        try violation.bind(2, "rumour")
        #expect(throws: StoreError.self) { try violation.run() }
        #expect(try db.scalarInt("SELECT count(*) FROM violations") == Int64(ViolationType.allCases.count))

        let status = try db.prepare("INSERT INTO case_events(case_id, at, at_unix, actor, action, from_status, to_status) VALUES ('C-1', 't', 1, 'a', 'status', ?, ?)")
        try status.bindNull(1)
        try status.bind(2, "dispatched")
        try status.run()
        try status.bind(1, "open")
        try status.bind(2, "forgotten")
        #expect(throws: StoreError.self) { try status.run() }
        #expect(try db.scalarText("PRAGMA integrity_check") == "ok")
    }

    @Test func aFileWithTheListsIsRewrittenOnceKeepingItsRows() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // The migrations alone: every list as they wrote it, and a row under it.
        let old = try Database(path: dir.storePath)
        try Migrator.migrate(old, now: 100, clockFormat: { String($0) })
        #expect(try CheckLists.pendingRewrites(old).map(\.table)
                == ["case_events", "cases", "evidence", "manifests", "violations"])
        let insert = try old.prepare(Self.manifestInsert)
        try insert.bind(1, "closed")
        try insert.run()
        let version = try old.scalarInt("PRAGMA schema_version") ?? 0
        #expect(try Self.ephemeralTables(old, Self.manifestInsert) > 0)

        _ = try CaseStore(path: dir.storePath)
        let db = try dir.database()
        try Self.expectComparisons(db)
        #expect(try db.scalarInt("PRAGMA schema_version") == version + 1)
        #expect(try db.scalarText("SELECT manifest_id || ' ' || state FROM manifests") == "M-1 closed")
        #expect(try db.scalarText("PRAGMA integrity_check") == "ok")
        // The migrations' version is untouched: an older binary still opens the file.
        #expect(try db.scalarInt("SELECT max(version) FROM migrations") == Int64(Schema.migrations.count))

        // Once: the next open finds nothing to rewrite.
        _ = try CaseStore(path: dir.storePath)
        #expect(try db.scalarInt("PRAGMA schema_version") == version + 1)
    }

    @Test func aStoreAnotherConnectionWritesKeepsItsListsUntilTheNextOpen() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let db = try Database(path: dir.storePath)
        try Migrator.migrate(db, now: 100, clockFormat: { String($0) })
        let holder = try dir.database()
        try holder.execute("BEGIN IMMEDIATE")

        let started = Date()
        CheckLists.rewrite(db)
        // Not waited for: the store's busy timeout is 5 s.
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(try CheckLists.pendingRewrites(db).count == 5)
        #expect(try db.scalarText("PRAGMA writable_schema") != "1")

        try holder.execute("COMMIT")
        CheckLists.rewrite(db)
        try Self.expectComparisons(db)
        #expect(try db.scalarText("PRAGMA integrity_check") == "ok")
    }
}
