import Foundation
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// `Database.pipelined` (issue #23): on PostgreSQL the statements go as one pipeline, their
/// results read at syncs; what lands, and what a failure does, must be what running them one
/// by one does.
@Suite struct PipelineTests {
    static func table(_ db: Database) throws {
        try db.execute("CREATE TABLE piped (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    }

    static func ids(_ db: Database) throws -> [Int64] {
        let s = try db.prepare("SELECT id FROM piped ORDER BY id")
        var out: [Int64] = []
        while try s.step() { out.append(s.int64(0)) }
        return out
    }

    /// More rows than one sync holds, so the pipeline syncs on the way and at the end.
    @Test(arguments: StoreBackend.allCases) func everyRowLands(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let db = try dir.database()
        try Self.table(db)
        let n = PostgresConnection.pipelineDepth * 3 + 7
        let insert = try db.prepare("INSERT INTO piped (id, name) VALUES (?1, ?2)")
        try db.transaction { () throws(StoreError) in
            try db.pipelined { () throws(StoreError) in
                for k in 0..<n {
                    try insert.bind(1, Int64(k))
                    try insert.bind(2, "row \(k)")
                    try insert.run()
                }
            }
        }
        #expect(try Self.ids(db) == (0..<Int64(n)).map { $0 })
        // The connection is out of pipeline mode: a query reads rows again.
        #expect(try db.scalarInt("SELECT count(*) FROM piped") == Int64(n))
    }

    /// A row that breaks a constraint half-way: the error names the statement and the
    /// reason, the transaction is rolled back whole, and the connection is usable after.
    @Test(arguments: StoreBackend.allCases) func aFailureNamesItsStatementAndRollsBack(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let db = try dir.database()
        try Self.table(db)
        let insert = try db.prepare("INSERT INTO piped (id, name) VALUES (?1, ?2)")
        do {
            try db.transaction { () throws(StoreError) in
                try db.pipelined { () throws(StoreError) in
                    // Past the first sync: rows already synced are rolled back too.
                    for k in 0..<(PostgresConnection.pipelineDepth + 40) {
                        try insert.bind(1, Int64(k))
                        try insert.bind(2, k == PostgresConnection.pipelineDepth + 14 ? nil : "row \(k)")
                        try insert.run()
                    }
                }
            }
            Issue.record("a NULL name was written")
        } catch {
            let text = "\(error)"
            #expect(text.contains("INSERT INTO piped"), "\(text)")
            #expect(text.lowercased().contains("null"), "\(text)")
        }
        #expect(try Self.ids(db).isEmpty)
        try db.transaction { () throws(StoreError) in
            try db.pipelined { () throws(StoreError) in
                try insert.bind(1, Int64(1))
                try insert.bind(2, "after")
                try insert.run()
            }
        }
        #expect(try Self.ids(db) == [1])
    }

    /// A statement first prepared inside a pipeline is refused by name (libpq allows no
    /// synchronous call there), not left to hang or to corrupt the results.
    @Test func preparingInsideAPipelineIsRefused() throws {
        let dir = try TempDir(.postgres)
        defer { dir.cleanup() }
        let db = try dir.database()
        try Self.table(db)
        #expect(throws: StoreError.self) {
            try db.pipelined { () throws(StoreError) in
                _ = try db.prepare("INSERT INTO piped (id, name) VALUES (?1, 'late')")
            }
        }
        #expect(try db.scalarInt("SELECT count(*) FROM piped") == 0)
    }
}
