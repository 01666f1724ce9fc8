import Foundation
import Testing
import MuckWatchCore
@testable import MuckWatchJournal

/// `JournalWindowReader`: one vehicle's raw fixes of a window, from a journal written by the
/// real writer, with other vehicles' fixes, late blind-area uploads in later segments and in
/// the next night's directory, a growing open segment, a zero-filled and a torn tail.
@Suite struct JournalWindowTests {
    static let plates = ["渝F64468", "渝F50056"]
    /// 2026-11-20 21:00 +08:00: the night of the 20th.
    static let night = JournalDir.night

    /// Vehicle `v`'s fix `k` (every 10 s from 21:00), received 1 s after it unless `receivedAt`.
    static func fix(_ k: Int, vehicle v: Int32, message: UInt16 = 0x0200, receivedAt: Int64? = nil) -> JournalEntry {
        let t = night + Int64(k) * 10
        let f = Fix(vehicle: v, time: t, lon: 108.4 + Double(k) * 1e-4, lat: 30.8 + Double(v) * 0.01,
                    speedKmh: Float(k % 50), heading: 90, loadT: k % 4 == 0 ? .nan : 14.5, lift: Int8(k % 2), lid: k % 3 == 0 ? -1 : 1)
        return JournalEntry(fix: f, phoneHigh: 0, phoneLow: 0x0132_9238_1646 + UInt64(v), messageID: message,
                            serial: UInt16(k), receivedMs: (receivedAt ?? t + 1) * 1000)
    }

    /// Fixes 0..<600 of both vehicles; vehicle 0's 200..<260 lost to a blind area and uploaded
    /// (0x0704) later: the first half three hours later in a later segment of the night, the
    /// second half the next afternoon, in the next night's directory.
    static func writeNight(_ dir: JournalDir) {
        let blind = 200..<260
        let live = JournalWriter(directory: dir.path, plates: plates)
        _ = JournalDir.commit(live, (0..<600).flatMap { k in
            (blind.contains(k) ? [] : [fix(k, vehicle: 0)]) + [fix(k, vehicle: 1)]
        })
        live.close()
        let later = JournalWriter(directory: dir.path, plates: plates)
        _ = JournalDir.commit(later, (200..<230).map { fix($0, vehicle: 0, message: 0x0704, receivedAt: night + 3 * 3600) })
        later.close()
        let nextDay = JournalWriter(directory: dir.path, plates: plates)
        _ = JournalDir.commit(nextDay, (230..<260).map { fix($0, vehicle: 0, message: 0x0704, receivedAt: night + 17 * 3600) })
        nextDay.close()
    }

    @Test func aWindowIsExactlyTheVehiclesFixesLateUploadsIncluded() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        Self.writeNight(dir)
        #expect(JournalDay.days(in: dir.path).map { JournalDay.name($0.day) } == ["2026-11-20", "2026-11-21"])
        let reader = JournalWindowReader(directory: dir.path)
        let from = Self.night + 1500, to = Self.night + 3000
        let w = try reader.window(plate: Self.plates[0], from: from, to: to)
        #expect(w.coverage == .searched)
        #expect(w.fixes.map(\.fix.time) == (150...300).map { Self.night + Int64($0) * 10 })
        #expect(w.total == 151)
        #expect(w.days == ["2026-11-20", "2026-11-21"] && w.segments == 3)
        #expect(w.fixes.filter { $0.messageID == 0x0704 }.map(\.serial) == (200..<260).map(UInt16.init))
        #expect(w.fixes.allSatisfy { $0.phoneLow == 0x0132_9238_1646 && $0.fix.lat == 30.8 })
        // Every field as written.
        let expected = (150...300).map { k in
            (200..<260).contains(k) ? Self.fix(k, vehicle: 0, message: 0x0704, receivedAt: Self.night + (k < 230 ? 3 : 17) * 3600)
                : Self.fix(k, vehicle: 0)
        }
        #expect(zip(w.fixes, expected).allSatisfy(JournalTests.same))
        #expect(w.damage.isEmpty)
        // The other vehicle, and asked again (now from the cached indexes): the same answer.
        #expect(try reader.window(plate: Self.plates[1], from: from, to: to).fixes.map(\.fix.time) == w.fixes.map(\.fix.time))
        #expect(try reader.window(plate: Self.plates[0], from: from, to: to).fixes.map(\.serial) == w.fixes.map(\.serial))
        #expect(reader.cachedPostings == 1200)
        #expect(try reader.window(plate: "渝A00000", from: from, to: to).total == 0)
    }

    @Test func theLimitCutsTheRowsButNotTheCount() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        Self.writeNight(dir)
        let w = try JournalWindowReader(directory: dir.path).window(plate: Self.plates[0], from: Self.night, to: Self.night + 6000,
                                                                     limit: 25)
        #expect(w.total == 600)
        #expect(w.fixes.map(\.fix.time) == (0..<25).map { Self.night + Int64($0) * 10 })
    }

    @Test func theOpenSegmentIsReadAsItGrowsPastAZeroFilledTail() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let writer = JournalWriter(directory: dir.path, plates: Self.plates)
        defer { writer.close() }
        _ = JournalDir.commit(writer, (0..<100).map { Self.fix($0, vehicle: 0) })
        let reader = JournalWindowReader(directory: dir.path)
        #expect(try reader.window(plate: Self.plates[0], from: Self.night, to: Self.night + 6000).total == 100)
        // Preallocated space after the data reads as the end of it…
        let segment = JournalDay.segments(in: JournalDay.days(in: dir.path)[0].path)[0]
        let h = try #require(FileHandle(forWritingAtPath: segment))
        h.seekToEndOfFile()
        h.write(Data(count: 1 << 20))
        try h.close()
        #expect(try reader.window(plate: Self.plates[0], from: Self.night, to: Self.night + 6000).total == 100)
        // …and what the writer then commits over it is found by the next lookup.
        _ = JournalDir.commit(writer, (100..<150).map { Self.fix($0, vehicle: 0) } + (0..<10).map { Self.fix($0, vehicle: 1) })
        let w = try reader.window(plate: Self.plates[0], from: Self.night, to: Self.night + 6000)
        #expect(w.total == 150 && w.fixes.map(\.fix.time) == (0..<150).map { Self.night + Int64($0) * 10 })
        #expect(reader.cachedPostings == 160)
    }


    @Test func tornTailsAndABadRecordHideNothingElse() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        Self.writeNight(dir)
        let segments = JournalDay.days(in: dir.path).flatMap { JournalDay.segments(in: $0.path) }
        #expect(segments.count == 3)
        // The first segment: a bit flipped in one of vehicle 1's records and half a record at its
        // end; the newest one: all but 5 bytes of a record at its end, as a kill mid-write leaves it.
        var first = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segments[0])))
        let record = JournalFormat.frameBytes + JournalFormat.fixedPayload + Self.plates[0].utf8.count
        first[JournalFormat.headerBytes + record + 30] ^= 0x40
        first += first[JournalFormat.headerBytes..<(JournalFormat.headerBytes + record / 2)]
        try Data(first).write(to: URL(fileURLWithPath: segments[0]))
        let h = try #require(FileHandle(forWritingAtPath: segments[2]))
        h.seekToEndOfFile()
        h.write(Data(first[JournalFormat.headerBytes..<(JournalFormat.headerBytes + record - 5)]))
        try h.close()

        let w = try JournalWindowReader(directory: dir.path).window(plate: Self.plates[0], from: Self.night, to: Self.night + 6000)
        #expect(w.total == 600)
        #expect(w.damage.map(\.kind) == [.badRecord, .tornTail, .tornTail])
        #expect(w.damage.map(\.path) == [segments[0], segments[0], segments[2]])
        #expect(w.damage.first?.offset == JournalFormat.headerBytes + record)
    }

    /// A segment replaced by another file (a restore from a backup: another inode, the same
    /// size) is indexed again, whole: its damaged record is neither counted nor shown.
    @Test func aReplacedSegmentIsIndexedAgain() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        Self.writeNight(dir)
        let reader = JournalWindowReader(directory: dir.path)
        let before = try reader.window(plate: Self.plates[0], from: Self.night, to: Self.night + 6000)
        #expect(before.total == 600 && before.damage.isEmpty)
        let first = JournalDay.segments(in: JournalDay.days(in: dir.path)[0].path)[0]
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: first)))
        bytes[JournalFormat.headerBytes + 30] ^= 0x40  // vehicle 0's first fix
        try Data(bytes).write(to: URL(fileURLWithPath: first), options: .atomic)
        let after = try reader.window(plate: Self.plates[0], from: Self.night, to: Self.night + 6000)
        #expect(after.total == 599 && after.fixes.first?.fix.time == Self.night + 10)
        #expect(after.damage.map(\.kind) == [.badRecord] && after.damage.first?.offset == JournalFormat.headerBytes)
        #expect(reader.cachedPostings == 1199)
    }

    /// A record seen half written (the writer's `pwrite` under way, or a kill) is reported as a
    /// torn tail; once the rest of it is there the next lookup reads it, and the damage is gone.
    @Test func aRecordCompletedAfterALookupIsReadByTheNext() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let writer = JournalWriter(directory: dir.path, plates: Self.plates)
        _ = JournalDir.commit(writer, (0..<10).map { Self.fix($0, vehicle: 0) })
        writer.close()
        let segment = JournalDay.segments(in: JournalDay.days(in: dir.path)[0].path)[0]
        let reader = JournalWindowReader(directory: dir.path)
        let window = { try reader.window(plate: Self.plates[0], from: Self.night, to: Self.night + 6000) }
        #expect(try window().total == 10)

        var bytes: [UInt8] = []
        JournalFormat.append(Self.fix(10, vehicle: 0), plate: Array(Self.plates[0].utf8), to: &bytes)
        let end = SegmentFileTests.size(segment)
        let h = try #require(FileHandle(forWritingAtPath: segment))
        defer { try? h.close() }
        h.seekToEndOfFile()
        h.write(Data(bytes[..<40]))
        let torn = try window()
        #expect(torn.total == 10)
        // The torn tail is its bytes up to the last non-zero one (zeros are taken for the end).
        let tornBytes = (bytes[..<40].lastIndex { $0 != 0 } ?? -1) + 1
        #expect(torn.damage.map(\.kind) == [.tornTail] && torn.damage.first?.offset == end
            && torn.damage.first?.bytes == tornBytes)
        h.write(Data(bytes[40...]))
        let whole = try window()
        #expect(whole.total == 11 && whole.damage.isEmpty)
        #expect(whole.fixes.last.map { JournalTests.same($0, Self.fix(10, vehicle: 0)) } == true)
        #expect(reader.cachedPostings == 11)
    }

    @Test func aNightNotInTheJournalIsSaidSo() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        #expect(try JournalWindowReader(directory: dir.path).window(plate: Self.plates[0], from: Self.night, to: Self.night + 60)
            .coverage == .dayNotKept(day: "", kept: nil))
        Self.writeNight(dir)
        let week = Self.night - 7 * 86400
        let w = try JournalWindowReader(directory: dir.path).window(plate: Self.plates[0], from: week, to: week + 60)
        #expect(w.coverage == .dayNotKept(day: "2026-11-13", kept: "2026-11-20"..."2026-11-21"))
        #expect(w.fixes.isEmpty)
        // A folder that is gone is an error that names it, not an empty journal.
        let gone = dir.path + "/moved"
        #expect(throws: JournalReadError.self) { try JournalWindowReader(directory: gone).window(plate: Self.plates[0], from: week, to: week) }
    }

    @Test func segmentsReplacedBeforeTheWindowAreNotSearched() {
        let from: Int64 = 1_795_179_600
        let name = { (s: Int64) in String(format: "/j/2026-11-20/%016lld-0001.mwj", s * 1000) }
        let segments = [name(from - 9000), name(from - 5000), name(from - 3000), name(from + 100), name(from + 9000)]
        // The first was replaced 5000 s before the window: no record in it was received after
        // that, none can carry a fix time in the window (an hour's clock allowance).
        #expect(JournalWindowReader.searched(segments, from: from) == Array(segments[1...]))
        #expect(JournalWindowReader.searched(["/j/d/not-a-time.mwj", name(from + 1)], from: from).count == 2)
    }
}
