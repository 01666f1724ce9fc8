extension Array {
    /// Puts the old `self[order[i]]` at `i` for every `i`, by swapping elements in place:
    /// each is moved once, never copied. `order` is a permutation of `indices`.
    ///
    /// Why: a city night's gate events (four heap strings each) and manifests were sorted
    /// by vehicle as `order.map { records[$0] }`, which retains every string of every record
    /// for the copy and releases it again with the original array: ~1M reference-count
    /// operations, each a cache miss on a string nobody reads (issue #19).
    mutating func reorder(by order: [Int]) {
        precondition(order.count == count, "an order for \(order.count) elements given for \(count)")
        let n = count
        var placed = [Bool](repeating: false, count: n)
        // Through a span: `Array.swapAt` copies one of the two (retaining its strings).
        var elements = mutableSpan
        for start in 0..<n where !placed[start] {
            // Follow the cycle start → order[start] → …: each swap settles position `at`.
            var at = start
            while true {
                placed[at] = true
                let from = order[at]
                if from == start { break }
                elements.swapAt(at, from)
                at = from
            }
        }
    }

    /// Keeps the elements whose index `keep` accepts, in their order, moving them (the
    /// others are dropped at the end).
    mutating func keepIndices(where keep: (Int) -> Bool) {
        var kept = 0
        let n = count
        do {
            var elements = mutableSpan
            for i in 0..<n where keep(i) {
                if kept != i { elements.swapAt(kept, i) }
                kept += 1
            }
        }
        removeLast(count - kept)
    }
}
