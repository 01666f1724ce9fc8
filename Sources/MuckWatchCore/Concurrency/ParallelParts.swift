import Dispatch

/// Mutates disjoint parts of one array on several threads at once: the one place that lends
/// concurrent workers pieces of the same memory (sorting each vehicle's fixes, projecting a
/// night in chunks, settling parsed pieces).
///
/// Invariant: the parts lie inside the array and are pairwise disjoint (checked before any
/// worker starts), so each element is touched by exactly one worker; nothing else touches
/// the array meanwhile (it is `inout`) and `concurrentPerform` returns only after every
/// worker has finished, so the caller sees all their writes.
public enum ParallelParts {
    /// Runs `body(k, part)` for each `parts[k]` of `array`, each part handed to whichever of
    /// `threads` workers is free next (a few long parts do not leave a core idle).
    public static func forEach<T>(_ array: inout [T], parts: [Range<Int>], threads: Int,
                                  _ body: @Sendable (Int, inout UnsafeMutableBufferPointer<T>) -> Void) {
        precondition(areDisjoint(parts, within: array.count), "parts overlap or lie outside the array")
        guard !parts.isEmpty else { return }
        let workers = max(1, min(threads, parts.count))
        array.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(buffer)
            let queue = WorkQueue(count: parts.count)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let k = queue.next() {
                    var part = UnsafeMutableBufferPointer(rebasing: shared.buffer[parts[k]])
                    body(k, &part)
                }
            }
        }
    }

    /// Runs `body(k, &array[k])` for every element, elements handed out as `forEach` does.
    public static func forEachElement<T>(_ array: inout [T], threads: Int,
                                         _ body: @Sendable (Int, inout T) -> Void) {
        forEach(&array, parts: array.indices.map { $0..<($0 + 1) }, threads: threads) { k, part in
            body(k, &part[0])
        }
    }

    /// `n` contiguous parts of `0..<count` as equal as can be (the last ones one longer).
    public static func chunks(_ count: Int, _ n: Int) -> [Range<Int>] {
        let n = max(1, n)
        return (0..<n).map { (count * $0 / n)..<(count * ($0 + 1) / n) }
    }

    /// Whether `parts` lie in `0..<count` and no two share an element (empty parts share none).
    public static func areDisjoint(_ parts: [Range<Int>], within count: Int) -> Bool {
        var end = 0
        for r in parts.filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            guard r.lowerBound >= end, r.upperBound <= count else { return false }
            end = r.upperBound
        }
        return parts.allSatisfy { $0.lowerBound >= 0 }
    }
}
