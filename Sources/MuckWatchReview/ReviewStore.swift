import CoreMetrics
import Dispatch
import Metrics
public import MuckWatchStore

/// The one door from the review app to the case store.
///
/// SQLite connections are not shared across threads, and HTTP handlers run on many: an actor owns the
/// connection and runs each read or change to completion. Every request reads the file anew (WAL), so
/// cases an `analyze` run or the gateway writes while the app runs appear on the next reload.
public actor ReviewStore {
    let store: CaseStore
    /// Each read or change's time on the store (issue #20's "store write time" for `serve`).
    private let callTime = Metrics.Timer(label: "muckwatch_store_call_duration_seconds")

    public init(path: String, now: @escaping @Sendable () -> Int64 = CaseStore.systemNow) throws(StoreError) {
        store = try CaseStore(path: path, now: now)
    }

    /// Runs `body` against the store, alone.
    public func with<R: Sendable>(_ body: @Sendable (CaseStore) throws(StoreError) -> R) throws(StoreError) -> R {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { callTime.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds &- start)) }
        return try body(store)
    }
}
