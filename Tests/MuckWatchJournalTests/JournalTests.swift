import Foundation
import Testing
import MuckWatchCore
@testable import MuckWatchJournal

/// The journal written by its writer and read back: records, torn tails, damage, repeats, days.
@Suite struct JournalTests {
    static let plates = ["渝F64468", "渝F50056"]

    /// Fields compared after a round trip (the reader numbers `file`/`line` itself).
    static func same(_ a: JournalEntry, _ b: JournalEntry) -> Bool {
        var a = a, b = b
        a.fix.file = 0; a.fix.line = 0; b.fix.file = 0; b.fix.line = 0
        a.fix.vehicle = 0; b.fix.vehicle = 0
        return a.fix.time == b.fix.time && a.fix.lon == b.fix.lon && a.fix.lat == b.fix.lat
            && a.fix.speedKmh == b.fix.speedKmh && a.fix.heading == b.fix.heading
            && (a.fix.loadT == b.fix.loadT || (a.fix.loadT.isNaN && b.fix.loadT.isNaN))
            && a.fix.lift == b.fix.lift && a.fix.lid == b.fix.lid && a.fix.unpositioned == b.fix.unpositioned
            && a.phoneLow == b.phoneLow && a.phoneHigh == b.phoneHigh && a.serial == b.serial
            && a.messageID == b.messageID && a.receivedMs == b.receivedMs
    }

    @Test func entriesComeBackAsWrittenInOneDayDirectory() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let writer = JournalWriter(directory: dir.path, plates: Self.plates)
        let batch = (0..<500).map { JournalDir.entry($0, vehicle: Int32($0 % 2)) }
        guard case .committed(let kept) = JournalDir.commit(writer, batch) else { Issue.record("commit failed"); return }
        #expect(kept.count == 500)
        writer.close()
        #expect(JournalDay.days(in: dir.path).map { JournalDay.name($0.day) } == ["2026-11-20"])
        let (read, summary) = try dir.read()
        #expect(summary.damage.isEmpty)
        #expect(read.count == 500)
        #expect(zip(read, batch).allSatisfy(Self.same))
        #expect(writer.status.records == 500 && writer.status.commits == 1)
    }

    @Test func aFixSentAgainIsNotJournaledTwice() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let writer = JournalWriter(directory: dir.path, plates: Self.plates)
        let first = (0..<10).map { JournalDir.entry($0) }
        _ = JournalDir.commit(writer, first)
        // A blind-area upload of 5 of them plus 2 new, from another message.
        var again = Array(first[3..<8]) + [JournalDir.entry(10), JournalDir.entry(11)]
        for i in again.indices { again[i].messageID = 0x0704 }
        guard case .committed(let kept) = JournalDir.commit(writer, again) else { Issue.record("commit failed"); return }
        #expect(kept.map(\.fix.time) == [JournalDir.night + 10, JournalDir.night + 11])
        writer.close()
        #expect(try dir.read().entries.count == 12)
        #expect(writer.status.repeats == 5)
    }

    @Test func aTornLastRecordIsDroppedAndABadOneInTheMiddleReportedWithItsOffset() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let writer = JournalWriter(directory: dir.path, plates: Self.plates)
        _ = JournalDir.commit(writer, (0..<20).map { JournalDir.entry($0) })
        writer.close()
        let day = JournalDay.days(in: dir.path)[0].path
        let segment = JournalDay.segments(in: day)[0]
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        let recordBytes = (bytes.count - JournalFormat.headerBytes) / 20
        // Flip a bit in record 5's payload; cut record 19 short, as a kill mid-write does.
        let fifth = JournalFormat.headerBytes + 5 * recordBytes
        bytes[fifth + 20] ^= 0x10
        bytes.removeLast(recordBytes / 2)
        try Data(bytes).write(to: URL(fileURLWithPath: segment))

        let (read, summary) = try dir.read()
        #expect(read.map(\.fix.time) == (0..<19).filter { $0 != 5 }.map { JournalDir.night + Int64($0) })
        #expect(summary.damage.map(\.kind) == [.badRecord, .tornTail])
        #expect(summary.damage[0].offset == fifth && summary.damage[0].path == segment)
        #expect(summary.damage[0].description.contains("offset \(fifth)"))
        #expect(summary.damage[1].offset == JournalFormat.headerBytes + 19 * recordBytes)
    }

    /// A crash that kept the file's new size but not its unsynced data leaves zeros after
    /// the last record: the end of the segment, not damage; a record torn into them is.
    @Test func zerosAfterTheLastRecordEndTheSegment() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let writer = JournalWriter(directory: dir.path, plates: Self.plates)
        _ = JournalDir.commit(writer, (0..<10).map { JournalDir.entry($0) })
        writer.close()
        let segment = JournalDay.segments(in: JournalDay.days(in: dir.path)[0].path)[0]
        let whole = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        try Data(whole + [UInt8](repeating: 0, count: 4096)).write(to: URL(fileURLWithPath: segment))
        var (read, summary) = try dir.read()
        #expect(read.count == 10 && summary.damage.isEmpty)

        let recordBytes = (whole.count - JournalFormat.headerBytes) / 10
        try Data(whole.dropLast(recordBytes / 2) + [UInt8](repeating: 0, count: 4096)).write(to: URL(fileURLWithPath: segment))
        (read, summary) = try dir.read()
        #expect(read.count == 9)
        #expect(summary.damage.map(\.kind) == [.tornTail])
        #expect(summary.damage.first?.offset == JournalFormat.headerBytes + 9 * recordBytes)
    }

    @Test func eachBatchIsCompletedAfterTheSyncThatHoldsIt() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        var options = JournalWriter.Options()
        options.commitInterval = 0.02
        let writer = JournalWriter(directory: dir.path, plates: Self.plates, options: options)
        // Many batches from many threads: each completion finds its entries on disk, read by a new reader.
        let seen = Locked<[Int]>([])
        let all = DispatchGroup()
        for t in 0..<8 {
            all.enter()
            writer.submit((0..<25).map { JournalDir.entry(t * 25 + $0) }) { r in
                guard case .committed = r else { all.leave(); return }
                let (entries, _) = try! dir.read()
                let times = Set(entries.map(\.fix.time))
                let mine = (0..<25).allSatisfy { times.contains(JournalDir.night + Int64(t * 25 + $0)) }
                seen.withLock { if mine { $0.append(t) } }
                all.leave()
            }
        }
        all.wait()
        writer.close()
        #expect(seen.withLock { $0.sorted() } == Array(0..<8))
        #expect(writer.status.commits < 8)  // grouped
    }

    @Test func aNightIsOneDayAndOldDaysAreRemoved() throws {
        let clock = LocalClock.shanghai
        let evening = JournalDir.night * 1000            // 21:00 on the 20th
        let morning = (JournalDir.night + 9 * 3600) * 1000  // 06:00 on the 21st
        let noon = (JournalDir.night + 15 * 3600) * 1000    // 12:00 on the 21st
        #expect(JournalDay.name(JournalDay.day(ofMs: evening, clock: clock)) == "2026-11-20")
        #expect(JournalDay.name(JournalDay.day(ofMs: morning, clock: clock)) == "2026-11-20")
        #expect(JournalDay.name(JournalDay.day(ofMs: noon, clock: clock)) == "2026-11-21")
        let dir = try JournalDir()
        defer { dir.remove() }
        for name in ["2026-05-01", "2026-05-30", "2026-11-19", "notes"] {
            try FileManager.default.createDirectory(atPath: dir.path + "/" + name, withIntermediateDirectories: true)
        }
        let today = JournalDay.day(named: "2026-11-20")!
        let removed = JournalDay.removeExpired(in: dir.path, today: today, retainDays: 180)
        #expect(removed.map { ($0 as NSString).lastPathComponent } == ["2026-05-01"])
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == ["2026-05-30", "2026-11-19", "notes"])
    }

    @Test func exportWritesContractCSV() throws {
        let dir = try JournalDir()
        defer { dir.remove() }
        let writer = JournalWriter(directory: dir.path, plates: Self.plates)
        _ = JournalDir.commit(writer, [JournalDir.entry(0), JournalDir.entry(1, vehicle: 1)])
        writer.close()
        let out = dir.path + "/out.csv"
        FileManager.default.createFile(atPath: out, contents: nil)
        let h = try #require(FileHandle(forWritingAtPath: out))
        _ = try JournalExport.csv(day: JournalDay.days(in: dir.path)[0].path, clock: .shanghai, to: h)
        try h.close()
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text == """
            vehicle_id,time,lon,lat,speed_kmh,heading,lift,lid,load_t
            渝F64468,2026-11-20T21:00:00+08:00,108.4,30.8,0.0,90.0,0,1,
            渝F50056,2026-11-20T21:00:01+08:00,108.25,30.8,1.0,90.0,0,,12.5

            """)
    }
}
