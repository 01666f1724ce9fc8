import Foundation
import MuckWatchCore
import Testing
@testable import MuckWatchBatch

/// Fixes of `vehicles` trucks interleaved as a city night's rows are, with distinct lines.
private func interleaved(_ count: Int, vehicles: Int) -> [Fix] {
    var fixes: [Fix] = []
    for i in 0..<count {
        let v = Int32((i * 7) % vehicles)
        let t: Int64 = 1_795_183_200 + Int64(i)
        let d = Double(i) * 1e-6
        fixes.append(Fix(vehicle: v, line: Int32(i + 2), time: t, lon: 106.5 + d, lat: 29.5 - d))
    }
    return fixes
}

/// Every bucket read back: each vehicle's fixes in the order they were added.
private func readBack(_ spill: FixSpill, vehicles: Int) throws -> [Int32: [Int32]] {
    var lines: [Int32: [Int32]] = [:]
    for b in 0..<spill.buckets {
        let (fixes, ranges) = try spill.takeGrouped(b, vehicles: vehicles)
        #expect(ranges.count == vehicles)
        for (v, r) in ranges.enumerated() where !r.isEmpty {
            #expect(spill.bucket(of: Int32(v)) == b)
            #expect(fixes[r].allSatisfy { $0.vehicle == Int32(v) })
            lines[Int32(v)] = fixes[r].map(\.line)
        }
    }
    return lines
}

private func expected(_ fixes: [Fix]) -> [Int32: [Int32]] {
    Dictionary(grouping: fixes, by: \.vehicle).mapValues { $0.map(\.line) }
}

@Suite struct FixSpillTests {
    /// A night within the limit is never written to disk.
    @Test func aNightWithinTheLimitStaysInMemory() throws {
        let fixes = interleaved(5_000, vehicles: 37)
        let spill = FixSpill(buckets: 4, memoryLimit: 5_000)
        for piece in stride(from: 0, to: fixes.count, by: 700) {
            try spill.add(Array(fixes[piece..<min(piece + 700, fixes.count)]))
        }
        try spill.finishAdding()
        #expect(spill.spilledFixes == 0)
        #expect(spill.heldFixes == 5_000)
        #expect(try readBack(spill, vehicles: 37) == expected(fixes))
        #expect(spill.heldFixes == 0)
    }

    /// A night beyond the limit spills, never holds more than the limit, and reads back
    /// exactly what was added, in order per vehicle.
    @Test func aBiggerNightSpillsAndHoldsAtMostTheLimit() throws {
        let fixes = interleaved(40_000, vehicles: 101)
        let spill = FixSpill(buckets: 5, memoryLimit: 6_000)
        for piece in stride(from: 0, to: fixes.count, by: 900) {
            try spill.add(Array(fixes[piece..<min(piece + 900, fixes.count)]))
            #expect(spill.heldFixes <= 6_000)
        }
        try spill.finishAdding()
        #expect(spill.spilledFixes >= 40_000 - 6_000)
        #expect(try readBack(spill, vehicles: 101) == expected(fixes))
    }

    /// One array larger than a block (a whole JT/T 808 capture comes so) is laid out a
    /// block at a time and reads back in order, within the limit.
    @Test func oneHugeAddIsTakenABlockAtATime() throws {
        let fixes = interleaved(300_000, vehicles: 57)
        let spill = FixSpill(buckets: 3, memoryLimit: 20_000)
        try spill.add(fixes)
        #expect(spill.heldFixes <= 20_000)
        try spill.finishAdding()
        #expect(try readBack(spill, vehicles: 57) == expected(fixes))
    }

    /// One bucket (small inputs) is bounded too.
    @Test func oneBucketSpillsBeyondTheLimit() throws {
        let fixes = interleaved(10_000, vehicles: 13)
        let spill = FixSpill(buckets: 1, memoryLimit: 3_000)
        try spill.add(fixes)
        #expect(spill.heldFixes <= 3_000)
        #expect(spill.spilledFixes > 0)
        #expect(try readBack(spill, vehicles: 13) == expected(fixes))
    }
}
