/// Memory handed to other threads: parts of a buffer to concurrent workers, or a block
/// passed from one owner to the next (a pool's spare memory).
///
/// Invariant: at any time each element is touched by one thread only (workers get
/// disjoint ranges), and every hand-over is ordered by what carries it (a
/// `concurrentPerform` join, a lock, a queue).
public struct SharedBuffer<T>: @unchecked Sendable {
    public let buffer: UnsafeMutableBufferPointer<T>
    public init(_ buffer: UnsafeMutableBufferPointer<T>) { self.buffer = buffer }
}
