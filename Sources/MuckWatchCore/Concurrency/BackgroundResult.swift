public import Dispatch

/// Work started on another thread now, whose value (or typed error) is waited for later:
/// "read the next bucket while this one is analyzed".
///
/// Invariant: `outcome` is written once, by the work, before the work leaves `done`; it is
/// read only after `done.wait()` returns, which orders the read after the write.
public final class BackgroundResult<Value: Sendable, Failure: Error>: @unchecked Sendable {
    private let done = DispatchGroup()
    private var outcome: Result<Value, Failure>?

    /// Starts `work` on `queue`.
    public init(on queue: DispatchQueue, _ work: @escaping @Sendable () throws(Failure) -> Value) {
        done.enter()
        queue.async { [self] in
            outcome = Result { () throws(Failure) -> Value in try work() }
            done.leave()
        }
    }

    /// Waits until the work has finished.
    public func wait() { done.wait() }

    /// The work's value, or its error thrown again (waits for it; may be asked again).
    public func get() throws(Failure) -> Value {
        done.wait()
        return try outcome!.get()
    }
}
