public import MuckWatchStore

/// The integration API's door to the case store: one connection of its own, owned by an
/// actor so the handlers, which run on many threads, use it one at a time (as `ReviewStore`
/// does for the web app; SQLite's WAL lets both connections work side by side).
public actor APIStore {
    let store: CaseStore

    public init(path: String, now: @escaping @Sendable () -> Int64 = CaseStore.systemNow) throws(StoreError) {
        store = try CaseStore(path: path, now: now)
    }

    /// Runs `body` against the store, alone.
    func with<R: Sendable>(_ body: @Sendable (CaseStore) throws(StoreError) -> R) throws(StoreError) -> R {
        try body(store)
    }
}
