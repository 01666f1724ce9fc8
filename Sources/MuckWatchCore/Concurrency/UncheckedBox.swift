/// A value that is not `Sendable` whose uses are sequenced by hand, for the cases the
/// compiler cannot see: per-thread objects (PROJ contexts) each used by its own worker only;
/// a value passed to another thread to be freed there; a reader's state moved to a
/// background read and back, the hand-overs ordered by waiting for that read.
///
/// Invariant: at any time one thread uses `value` (or several only read it); each use site
/// says what orders the hand-overs.
public final class UncheckedBox<T>: @unchecked Sendable {
    public var value: T
    public init(_ value: T) { self.value = value }
}
