import Testing
import MuckWatchCore
import MuckWatchTestSupport

/// `ParallelParts` under real concurrency: every element of every part is handed to exactly
/// one worker, and the result is what a plain loop gives.
@Suite struct ParallelPartsTests {
    /// Random disjoint parts of `0..<count`, some empty, in shuffled order, gaps between.
    static func parts(_ r: inout SeededRandom, count: Int) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var at = 0
        while at < count {
            let lo = min(count, at + r.int(in: 0...3)), hi = min(count, lo + r.int(in: 0...40))
            parts.append(lo..<hi)
            at = hi + (hi == lo ? 1 : 0)
        }
        for i in parts.indices.reversed() where i > 0 { parts.swapAt(i, r.int(in: 0...i)) }
        return parts
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func eachPartIsWorkedOnOnceAndMatchesAPlainLoop(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        let count = r.int(in: 0...5_000)
        let parts = Self.parts(&r, count: count)
        var values = (0..<count).map { Int64($0) }
        var expected = values
        for (k, p) in parts.enumerated() {
            for i in p { expected[i] = expected[i] * 3 + Int64(k) }
            expected[p].sort(by: >)
        }
        let calls = ResultSlots<Int>(count: parts.count)
        ParallelParts.forEach(&values, parts: parts, threads: 4) { k, part in
            #expect(calls[k] == nil, "part \(k) handed out twice")
            calls[k] = part.count
            for i in part.indices { part[i] = part[i] * 3 + Int64(k) }
            part.sort(by: >)
        }
        #expect(values == expected, "seed \(seed)")
        #expect(calls.values == parts.map(\.count))
    }

    @Test func eachElementIsItsOwnPart() {
        var words = ["a", "b", "c", "d", "e"]
        ParallelParts.forEachElement(&words, threads: 3) { k, w in w += String(k) }
        #expect(words == ["a0", "b1", "c2", "d3", "e4"])
    }

    @Test func overlappingOrOutOfRangePartsAreRefused() {
        #expect(ParallelParts.areDisjoint([0..<3, 3..<5, 7..<7, 5..<9], within: 9))
        #expect(!ParallelParts.areDisjoint([0..<3, 2..<5], within: 9))
        #expect(!ParallelParts.areDisjoint([0..<3, 5..<10], within: 9))
        #expect(ParallelParts.chunks(10, 3) == [0..<3, 3..<6, 6..<10])
        #expect(ParallelParts.chunks(0, 2) == [0..<0, 0..<0])
    }
}
