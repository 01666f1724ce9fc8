public import Dispatch

/// State owned by one serial dispatch queue: only work running on that queue touches it, so
/// it needs no lock, and long work on it (a store transaction) holds up nothing but the
/// queue's next items.
///
/// Invariant: `state` is accessed only inside `async`, `asyncAfter`, `sync` and `onQueue`
/// bodies, and all of them run on `queue`, which is serial. Whoever makes one hands the
/// state over: the objects in it (a store connection, an analysis) are used by nothing
/// else, except where the owner documents a hand-back ordered by `sync`.
public final class QueueConfined<State>: @unchecked Sendable {
    /// The serial queue that owns the state (for timers that fire on it).
    public let queue: DispatchQueue
    @usableFromInline var state: State

    public init(_ state: State, label: String, qos: DispatchQoS = .unspecified) {
        self.state = state
        queue = DispatchQueue(label: label, qos: qos)
    }

    /// Runs `body` on the state later, on the queue, after the work queued before it.
    @inlinable
    public func async(_ body: @escaping @Sendable (inout State) -> Void) {
        queue.async { body(&self.state) }
    }

    /// Runs `body` on the state on the queue, not before `deadline`.
    public func asyncAfter(deadline: DispatchTime, _ body: @escaping @Sendable (inout State) -> Void) {
        queue.asyncAfter(deadline: deadline) { body(&self.state) }
    }

    /// Runs `body` on the state on the queue after everything queued so far; waits for it.
    /// Never call it from the queue itself (it would wait for itself).
    @inlinable
    public func sync<R>(_ body: (inout State) -> R) -> R {
        queue.sync { body(&state) }
    }

    /// Runs `body` on the state now: for work the queue itself runs (a timer's handler).
    /// Traps when called from anywhere else.
    public func onQueue<R>(_ body: (inout State) -> R) -> R {
        dispatchPrecondition(condition: .onQueue(queue))
        return body(&state)
    }
}
