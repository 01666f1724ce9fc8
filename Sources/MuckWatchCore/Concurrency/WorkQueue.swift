/// Hands out the indices `0..<count` one at a time to concurrent workers: each index to
/// exactly one of them, so a worker that is free takes the next item (a few long items
/// do not leave a core idle at the end).
public final class WorkQueue: Sendable {
    private let cursor = Locked(0)
    private let count: Int

    public init(count: Int) { self.count = count }

    /// The next index not handed out yet, or nil when all are.
    public func next() -> Int? {
        cursor.withLock { c in
            guard c < count else { return nil }
            c += 1
            return c - 1
        }
    }
}
