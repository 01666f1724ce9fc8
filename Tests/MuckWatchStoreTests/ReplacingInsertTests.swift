import MuckWatchCore
import Testing
import MuckWatchTestSupport
@testable import MuckWatchStore

/// `ReplacingInsert`: an insert tried first as `INSERT OR IGNORE` on SQLite keeps the
/// meaning of the replacing statement it stands for, on both stores.
@Suite struct ReplacingInsertTests {
    let open = Manifest(id: "M-1", vehicleID: "渝F12345", sourceSite: "S-03", disposalSite: "D-01",
                        wasteType: .excavatedSoil, declaredT: 28, openedAt: night + 600)
    let other = Manifest(id: "M-2", vehicleID: "渝F00001", sourceSite: "S-01", disposalSite: "D-01",
                         wasteType: .demolition, declaredT: 20, openedAt: night + 900)

    func write(_ m: Manifest, state: ManifestState, with insert: ReplacingInsert<Parameters<ManifestColumns>>,
               vehicle: SQLValue? = nil) throws {
        try insert.run { column in
            if column == .vehicleID, let vehicle { return vehicle }
            return ChainData.manifestValue(column, ManifestEntry(manifest: m, state: state), runID: .null, clock: .shanghai)
        }
    }

    /// A row whose key is stored replaces that row (one row per key, the new values) and,
    /// as `INSERT OR REPLACE` did, moves past every row, so the change cursor reads it again.
    @Test(arguments: StoreBackend.allCases) func aRowWithAStoredKeyReplacesItAndIsReadAgain(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath)
        let insert = try ReplacingInsert<Parameters<ManifestColumns>>(store.db, into: "manifests", key: [.id])
        try write(open, state: .open, with: insert)
        try write(other, state: .open, with: insert)
        let first = try store.chainChanges(after: ChainCursor())
        #expect(first.manifests == [open, other])

        var closed = open
        closed.closedAt = night + 2400
        closed.closedSite = "D-01"
        closed.receivedT = 27.5
        try write(closed, state: .closed, with: insert)
        #expect(try store.db.scalarInt("SELECT count(*) FROM manifests") == 2)
        #expect(try store.db.scalarText("SELECT state FROM manifests WHERE manifest_id = 'M-1'") == "closed")
        #expect(try store.chainChanges(after: first.cursor).manifests == [closed])
    }

    /// A row the first insert skipped for a constraint other than its key fails as the
    /// replacing statement fails: never dropped without a word.
    @Test(arguments: StoreBackend.allCases) func aRowBreakingAConstraintStillFails(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath)
        let insert = try ReplacingInsert<Parameters<ManifestColumns>>(store.db, into: "manifests", key: [.id])
        #expect(throws: StoreError.self) { try write(open, state: .open, with: insert, vehicle: .null) }
        #expect(try store.db.scalarInt("SELECT count(*) FROM manifests") == 0)
    }
}
