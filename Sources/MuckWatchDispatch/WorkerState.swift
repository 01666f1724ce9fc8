import Synchronization

/// Whether a worker's loop is running, read by `/readyz` from any thread.
public final class WorkerState: Sendable {
    private let running = Mutex(false)
    private let lastError = Mutex<String?>(nil)

    public init() {}

    public var isRunning: Bool { running.withLock { $0 } }
    /// The last store error the loop hit (it keeps going); `nil` after a clean pass.
    public var problem: String? { lastError.withLock { $0 } }

    func set(running value: Bool) { running.withLock { $0 = value } }
    func set(problem value: String?) { lastError.withLock { $0 = value } }
}
