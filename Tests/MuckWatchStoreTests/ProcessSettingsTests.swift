import Foundation
import Testing
@testable import MuckWatchStore

/// `Database.applyProcessSettings`: SQLite takes process-wide settings only before its first
/// use, so the entry point calls it first; once a connection is open it says it did not apply.
@Suite struct ProcessSettingsTests {
    @Test func theSettingsAreRefusedOnceSQLiteIsInUse() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mw-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try Database(path: dir.appendingPathComponent("s.sqlite").path)
        try db.execute("CREATE TABLE t (x)", doing: "creating a table")
        #expect(Database.applyProcessSettings() == false)
        // And the open connection goes on working.
        try db.execute("INSERT INTO t VALUES (1)", doing: "inserting")
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 1)
    }
}
