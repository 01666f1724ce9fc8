import PropertyBased
import Testing
import MuckWatchTestSupport
@testable import MuckWatchCore

/// `Array.reorder(by:)` and `keepIndices(where:)` (what `ChainRecords` sorts and filters a
/// night's records with, moving them in place): on random arrays of heap strings and random
/// orders, seeded, they give what copying would.
@Suite struct ArrayReorderTests {
    /// `n` distinct strings long enough to live on the heap.
    static func records(_ n: Int) -> [String] { (0..<n).map { "gate-event-record-\($0)-with-a-long-id" } }

    /// A random permutation of `0..<n` (Fisher–Yates on the seeded generator).
    static func permutation(_ n: Int, _ rng: inout SeededRandom) -> [Int] {
        var p = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return p
    }

    @Test func reorderGivesWhatMappingTheOrderGives() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...1_000_000)) { seed in
            var rng = SeededRandom(seed: UInt64(seed))
            let n = Int(rng.next() % 300)
            let original = Self.records(n)
            let order = Self.permutation(n, &rng)
            var moved = original
            moved.reorder(by: order)
            #expect(moved == order.map { original[$0] })
        }
    }

    @Test func keepIndicesKeepsTheAcceptedInOrder() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...1_000_000)) { seed in
            var rng = SeededRandom(seed: UInt64(seed))
            let n = Int(rng.next() % 300)
            let original = Self.records(n)
            let keep = (0..<n).map { _ in rng.next() % 3 != 0 }
            var kept = original
            kept.keepIndices { keep[$0] }
            #expect(kept == original.indices.filter { keep[$0] }.map { original[$0] })
        }
    }

    @Test func edgeCases() {
        var empty: [String] = []
        empty.reorder(by: [])
        empty.keepIndices { _ in true }
        #expect(empty.isEmpty)
        var one = ["only"]
        one.reorder(by: [0])
        #expect(one == ["only"])
        var all = Self.records(5)
        all.keepIndices { _ in false }
        #expect(all.isEmpty)
        var reversed = Self.records(4)
        reversed.reorder(by: [3, 2, 1, 0])
        #expect(reversed == Self.records(4).reversed())
    }
}
