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
}
