import MuckWatchCore
@testable import MuckWatchStore
import Testing
import MuckWatchTestSupport

/// Statements bind and read by column name, resolved per prepared statement: a SELECT or
/// a column list in another order cannot shift a value into the wrong field.
struct ColumnsTests {
    /// A store holding the sample run.
    static func sampleStore(_ backend: StoreBackend = .sqlite) throws -> (dir: TempDir, store: CaseStore) {
        let dir = try TempDir(backend)
        let store = try CaseStore(path: dir.storePath, now: { night })
        try store.write(sampleRun())
        return (dir, store)
    }

    /// The key of the sample run's first trip (a case's).
    static let key = CaseStore.tripKey(plate: "渝F12345", loadStart: night + 300)

    @Test(arguments: StoreBackend.allCases) func aRecordReadsTheSameWhateverTheSelectsOrder(backend: StoreBackend) throws {
        let (dir, store) = try Self.sampleStore(backend)
        defer { dir.cleanup() }
        func trip(_ columns: [TripColumns]) throws -> StoredTrip {
            let r = try ResultColumns<TripColumns>(
                store.db, "SELECT \(TripColumns.list(columns)) FROM trips WHERE trip_key = :trip_key")
            try r.bind(.key, .text(Self.key))
            #expect(try r.step())
            return StoredTrip(r)
        }
        let inOrder = try trip(TripColumns.allCases)
        let reversed = try trip(Array(TripColumns.allCases.reversed()))
        #expect(inOrder == StoredTrip(sampleRun().trips[0]))
        #expect(reversed == inOrder)
    }

    @Test(arguments: StoreBackend.allCases) func aSelectWithoutAColumnTheRecordReadsFailsWhenPrepared(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night })
        let sql = "SELECT trip_key, source_site FROM trips"
        #expect(throws: StoreError.missingColumn("loaded_at", sql: sql)) {
            try ResultColumns<TripColumns>(store.db, sql)
        }
    }

    @Test(arguments: StoreBackend.allCases) func bindingAColumnTheSQLHasNoParameterForFails(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night })
        let sql = "DELETE FROM trips WHERE trip_key = :trip_key"
        let p = try Parameters<TripColumns>(store.db, sql)
        try p.bind(.key, .text("x"))
        #expect(throws: StoreError.missingParameter("source_site", sql: sql)) { try p.bind(.sourceSite, .null) }
    }

    /// The trip's fields are written by one function into `trips` and into its case's row.
    @Test(arguments: StoreBackend.allCases) func aCasesTripColumnsHoldWhatTheTripsRowHolds(backend: StoreBackend) throws {
        let (dir, store) = try Self.sampleStore(backend)
        defer { dir.cleanup() }
        let inTrips = try ResultColumns<TripColumns>(
            store.db, "SELECT \(TripColumns.list()) FROM trips WHERE trip_key = :trip_key")
        let inCases = try ResultColumns<TripColumns>(
            store.db, "SELECT \(TripColumns.list(named: \.caseColumn)) FROM cases WHERE trip_key = :trip_key",
            named: \.caseColumn)
        for r in [inTrips, inCases] {
            try r.bind(.key, .text(Self.key))
            #expect(try r.step())
        }
        for c in TripColumns.allCases {
            #expect(inTrips.string(c) == inCases.string(c), "\(c.rawValue)")
        }
        #expect(inCases.text(.loadedAt) == "2026-11-20T22:10:00+08:00")
    }
}
