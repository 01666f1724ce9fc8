import Foundation
import Testing
@testable import MuckWatchJournal

/// The invariants of the one type holding a descriptor: only synced bytes count as
/// committed, a roll-back truncates to them, and nothing is written below them.
@Suite struct SegmentFileTests {
    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
    }

    @Test func onlySyncedBytesAreCommittedAndARollBackCutsTheRest() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let path = dir.path + "/a.mwj"
        let f = try SegmentFile(creating: path, header: [1, 2, 3, 4])
        #expect(f.committed == 4)
        try f.write([5, 6])
        try f.write([7])
        #expect(f.committed == 4 && Self.size(path) == 7)
        try f.sync()
        #expect(f.committed == 7)
        try f.write([9, 9, 9])
        try f.rollBack()
        #expect(f.committed == 7 && Self.size(path) == 7)
        try f.write([8])
        try f.sync()
        f.close()
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func aSegmentIsNeverOpenedTwiceAndFailuresNameTheFile() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let path = dir.path + "/a.mwj"
        _ = try SegmentFile(creating: path, header: [1])
        #expect(throws: JournalFailure(operation: "open", errno: EEXIST, path: path)) {
            _ = try SegmentFile(creating: path, header: [1])
        }
        #expect(throws: JournalFailure.self) { _ = try SegmentFile(creating: dir.path + "/missing/b.mwj", header: [1]) }
    }

    @Test func aSpareIsZerosToItsCapacityAndCommitsIntoItNeverChangeItsSize() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let spare = try SegmentFile(preparing: dir.path + "/x" + SegmentFile.spareSuffix, header: [1, 2, 3, 4], capacity: 40)
        #expect(!spare.isPrepared && spare.isPreallocated && spare.committed == 4)
        var steps = 0
        while try !spare.prepare(step: 16) { steps += 1 }
        #expect(steps == 2 && Self.size(spare.path) == 40)
        #expect(throws: Never.self) { try spare.place(at: dir.path + "/a.mwj") }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/x" + SegmentFile.spareSuffix))
        try spare.write([5, 6, 7])
        try spare.sync()
        #expect(spare.committed == 7 && Self.size(dir.path + "/a.mwj") == 40)
        let open = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.path + "/a.mwj")))
        #expect(open == [1, 2, 3, 4, 5, 6, 7] + [UInt8](repeating: 0, count: 33))
        // A roll-back or a close cuts the zeros: a closed segment ends at its last commit.
        try spare.write([8])
        spare.close()
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.path + "/a.mwj"))) == [1, 2, 3, 4, 5, 6, 7])
    }

    @Test func aSpareNotNeededIsRemovedAndLeftoversAreSwept() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let a = try SegmentFile(preparing: dir.path + "/a" + SegmentFile.spareSuffix, header: [1], capacity: 8)
        _ = try SegmentFile(preparing: dir.path + "/b" + SegmentFile.spareSuffix, header: [1], capacity: 8)
        a.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["b" + SegmentFile.spareSuffix])
        FileManager.default.createFile(atPath: dir.path + "/keep.mwj", contents: Data([1]))
        SegmentFile.removeSpares(in: dir.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["keep.mwj"])
    }
}
