/// One slot per item, written by concurrent workers, read once they have joined.
///
/// Invariant: each index is written by one worker at a time (workers own distinct
/// indices: `WorkQueue`, `concurrentPerform`'s iteration), and the slots are read only
/// after the workers joined. One raw allocation, so concurrent writers never touch shared
/// `Array` bookkeeping (its uniqueness check and copy-on-write).
public final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<T?>
    public let count: Int

    public init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: nil, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    public subscript(i: Int) -> T? {
        get { precondition(i >= 0 && i < count); return base[i] }
        set { precondition(i >= 0 && i < count); base[i] = newValue }
    }

    /// Every slot's value, in index order (each slot must have been written).
    public var values: [T] { (0..<count).map { base[$0]! } }
}
