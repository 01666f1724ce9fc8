extension RandomAccessCollection {
    /// The first index whose element does not `belong`, in a collection partitioned by it
    /// (every element that belongs comes first): a binary search. The one the project uses
    /// for fixes by time, a vehicle's manifests by opening, a gate's readings by value and
    /// the journal's postings by time. Inlinable: called per fix on the analysis's paths.
    @inlinable
    public func partitionPoint(_ belongs: (Element) throws -> Bool) rethrows -> Index {
        var lo = startIndex
        var n = count
        while n > 0 {
            let half = n / 2
            let mid = index(lo, offsetBy: half)
            if try belongs(self[mid]) {
                lo = index(after: mid)
                n -= half + 1
            } else {
                n = half
            }
        }
        return lo
    }
}
