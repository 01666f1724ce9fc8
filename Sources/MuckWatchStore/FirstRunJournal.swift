/// How a store's first run is journaled: a SQLite store that holds no run yet is written
/// with a rollback journal, in place, instead of through its write-ahead log.
///
/// Why: through the log, every page of a run is written twice — into the log, then by the
/// checkpoint at the commit into the file — and the checkpoint reads the log back first.
/// A new store is all new pages, which a rollback journal never copies (it keeps only what
/// the file held before the transaction: the empty tables' pages). A city night's first run
/// (58 MB store with its manifests) wrote 117 MB and spent 0.45–0.49 s after its analysis;
/// in place it writes 58 MB and spends 0.32–0.34 s (benchmarks/README.md, issue #19).
///
/// Only the first run, and only when no other connection has the store open (SQLite refuses
/// to leave WAL mode then, and the run stays in it): a store in use is read by the review
/// app while a run writes, and with the log its readers never wait. A connection reading
/// the new store during its first run reads what was there before, as with the log, but
/// its reads wait while the run commits (or spills its page cache into the file, past
/// 64 MB of new pages, or writes its pages out while `analyze` writes its files,
/// `RunWrite.writeChangedPages`); opening a `CaseStore` waits for the run's write lock either way.
/// After the commit, or the rollback, the store is back in WAL mode.
extension CaseStore {
    /// Switches to the rollback journal when this store has no run yet and nobody else has
    /// it open; returns whether it did. Called outside any transaction.
    func beginFirstRunInPlace() throws(StoreError) -> Bool {
        guard db.dialect == .sqlite, try db.scalarInt("SELECT EXISTS (SELECT 1 FROM runs)") == 0 else { return false }
        let mode: String?
        do {
            mode = try db.withBusyTimeout(milliseconds: 0) { () throws(StoreError) in
                try db.scalarText("PRAGMA journal_mode = DELETE")
            }
        } catch where error.isBusy {
            return false  // another connection has the store open: the run goes through the log
        }
        guard mode == "delete" else { return false }
        // The rollback journal is crash-safe with NORMAL, but FULL is what SQLite promises
        // against power loss for it; it adds one sync of the small journal.
        try db.execute("PRAGMA synchronous = FULL", doing: "setting synchronous mode")
        return true
    }

    /// Back to WAL mode after a first run written in place (committed or rolled back). A
    /// connection opened meanwhile may refuse it; the next open then switches.
    func endFirstRunInPlace() {
        try? db.execute("PRAGMA journal_mode = WAL", doing: "switching to WAL mode")
        try? db.execute("PRAGMA synchronous = NORMAL", doing: "setting synchronous mode")
    }

    /// The store's journal mode (`wal`, `delete`): what `PRAGMA journal_mode` answers.
    public func journalMode() throws(StoreError) -> String? {
        guard db.dialect == .sqlite else { return nil }
        return try db.scalarText("PRAGMA journal_mode")
    }
}
