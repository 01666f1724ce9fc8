import Testing
import MuckWatchCore
import MuckWatchTestSupport

/// `partitionPoint`: on seeded random sorted arrays (repeats included) and slices of them
/// (indexes not from 0), for bounds below, among and above the values, it finds the index a
/// linear search finds — the first element not below the bound, or the end.
@Suite struct PartitionPointTests {
    @Test(arguments: Array(UInt64(1)...300)) func agreesWithALinearSearch(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        let values = (0..<r.int(in: 0...60)).map { _ in Int64(r.int(in: 0...40)) }.sorted()
        let from = values.isEmpty ? 0 : r.int(in: 0...values.count)
        let slice = values[from...]
        for bound in Int64(-1)...41 {
            #expect(values.partitionPoint { $0 < bound } == (values.firstIndex { $0 >= bound } ?? values.endIndex),
                    "seed \(seed), bound \(bound)")
            #expect(slice.partitionPoint { $0 < bound } == (slice.firstIndex { $0 >= bound } ?? slice.endIndex),
                    "seed \(seed), slice from \(from), bound \(bound)")
        }
    }

    @Test func anEmptyCollectionAndAllOrNoneBelonging() {
        #expect([Int]().partitionPoint { _ in true } == 0)
        #expect([1, 2, 3].partitionPoint { _ in true } == 3)
        #expect([1, 2, 3].partitionPoint { _ in false } == 0)
        #expect([5, 6, 7, 8][2...].partitionPoint { $0 < 8 } == 3)
    }
}
