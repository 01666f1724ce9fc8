public import Foundation

/// State shared between threads, reached only through `withLock`.
///
/// Invariant: `state` is read and written only while `lock` is held, so accesses never
/// overlap and each one sees the last; that lock discipline is what the `@unchecked` stands
/// for. Take it per batch, never per fix: an uncontended lock is cheap, a million are not.
public final class Locked<State: Sendable>: @unchecked Sendable {
    @usableFromInline let lock = NSLock()
    @usableFromInline var state: State

    public init(_ state: State) { self.state = state }

    /// Runs `body` on the state with the lock held.
    @inlinable
    public func withLock<R, E: Error>(_ body: (inout State) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
