import Foundation
import Testing
import MuckWatchTestSupport
@testable import MuckWatchIngest

/// `UniqueIDs` (the record readers' duplicate check): on seeded random id sequences — runs
/// in order, then out of order, with repeats — it says what a `Set` says.
@Suite struct UniqueIDsTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test(arguments: seeds) func agreesWithASet(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        // An ascending run (as exports list them), then anything, repeats included.
        let ordered = r.int(in: 0...40)
        var ids = (0..<ordered).map { String(format: "M-20261120-%06d", $0 * 3) }
        ids += (0..<r.int(in: 0...40)).map { _ in String(format: "M-20261120-%06d", r.int(in: 0...130)) }
        var unique = UniqueIDs(), set = Set<String>()
        var kept: [String] = []
        for id in ids {
            let new = unique.insert(id, kept: kept)
            #expect(new == set.insert(id).inserted, "seed \(seed): \(id)")
            if new { kept.append(id) }
        }
    }

    @Test func aRepeatAfterTheOrderBreaksIsFound() {
        var unique = UniqueIDs()
        var kept: [String] = []
        for id in ["G-1", "G-2", "G-3", "G-0", "G-2", "G-4", "G-4"] where unique.insert(id, kept: kept) { kept.append(id) }
        #expect(kept == ["G-1", "G-2", "G-3", "G-0", "G-4"])
    }
}
