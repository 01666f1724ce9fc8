import Foundation
import Testing
import MuckWatchCore
@testable import MuckWatchIngest

/// The row parser's shortcuts (last time stamp, plate hash table) must give exactly what
/// the full parse gives, row by row, including the rows the full parse rejects.
@Suite struct RowMemoTests {
    @Test func timeMemoAgreesWithTheFullParserOnEveryStamp() {
        let stamps = [
            "2026-11-20T22:15:03+08:00", "2026-11-20T22:15:04+08:00", "2026-11-20T22:15:59+08:00",
            "2026-11-20T22:15:60+08:00", "2026-11-20T22:15:61+08:00", "2026-11-20T22:15:0x+08:00",
            "2026-11-20T22:15:07+09:00", "2026-11-20T22:15:07+08:00", "2026-11-20T22:16:07+08:00",
            "2026-11-20T22:16:07.900+08:00", "2026-11-20T22:16:08.100+08:00", "2026-11-20T22:16:09Z",
            "2026-11-20T22:16:10Z ", "2026-11-20T22:16:11Z", " 2026-11-20T22:16:12Z", "1795184103",
            "2026-11-20 22:16:13+0800", "2026-11-20 22:16:14+0800", "2026-02-30T22:16:14+08:00",
            "2026-11-20T22:16:14+08:00\r", "2026-11-20T22:16:15+08:00\r", "2026-11-20T22:16:99+08:00\r",
        ]
        var memo = TimeCache()
        for s in stamps {
            let bytes = Array(s.utf8)
            let viaMemo = bytes.withByteSpan { memo.parse($0) }
            #expect(viaMemo == TimeParser.parse(s), "\(s)")
        }
    }

    @Test func plateTableGivesFileOrderIdsAcrossManyPlates() throws {
        // More plates than the table's first size, interleaved, so it grows while in use.
        let dir = TempDir()
        var text = "vehicle_id,time,lon,lat\n"
        for round in 0..<3 {
            for k in 0..<1500 { text += "渝F\(10000 + (k * 7919) % 1500),\(1_795_184_103 + round * 60 + k % 60),108.4,30.8\n" }
        }
        let path = dir.file("p.csv", text)
        var plates = PlateTable(), fixes: [Fix] = [], rejects: [Reject] = []
        _ = try TraceReader.read(path: path, fileIndex: 0, plates: &plates, fixes: &fixes, rejects: &rejects)
        #expect(rejects.isEmpty)
        #expect(plates.count == 1500)
        #expect(fixes.count == 4500)
        for (i, f) in fixes.enumerated() {
            #expect(plates[f.vehicle] == "渝F\(10000 + ((i % 1500) * 7919) % 1500)")
        }
        #expect(plates.plates == (0..<1500).map { "渝F\(10000 + ($0 * 7919) % 1500)" })
    }

    @Test func wordAtATimeFieldEndFindsTheFirstCommaOrNewline() {
        // Every position of a comma or newline in blocks around the 8-byte steps, among
        // multi-byte UTF-8 and bytes that differ from ',' or '\n' by one bit.
        let filler: [UInt8] = Array("渝F5".utf8) + [0x2D, 0x0B, 0x2E, 0x0E, 0x8A, 0xAC, 0x20]
        for length in 0..<40 {
            let bytes = (0..<length).map { filler[$0 % filler.count] }
            for hit in [-1] + Array(0..<length) {
                for sep: UInt8 in [0x2C, 0x0A] {
                    var row = bytes
                    if hit >= 0 { row[hit] = sep }
                    if hit + 3 < length { row[hit + 3] = 0x2C }
                    let expected = row.firstIndex { $0 == 0x2C || $0 == 0x0A } ?? length
                    for from in 0...min(length, 2) where from <= expected {
                        let found = row.withByteSpan { CSVCursor.fieldEnd($0, from: from) }
                        #expect(found == expected, "length \(length), hit \(hit), from \(from)")
                    }
                }
            }
        }
    }

    @Test func longPlatesAndPlatesSharingTheirFirstSixteenBytesStayApart() throws {
        let dir = TempDir()
        let names = ["TRAILER-UNIT-0000001", "TRAILER-UNIT-0000002", "TRAILER-UNIT-00000", "渝F12345", "渝F12345 ",
                     "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOPQ",
                     // Around the 11 bytes a table slot holds inline (渝AD12345 is 10).
                     "渝AD12345", "ABCDEFGHIJ", "ABCDEFGHIJK", "ABCDEFGHIJKL", "ABCDEFGHIJKM"]
        var text = "vehicle_id,time,lon,lat\n"
        for round in 0..<3 { for n in names { text += "\(n),\(1_795_184_103 + round),108.4,30.8\n" } }
        let path = dir.file("long.csv", text)
        var plates = PlateTable(), fixes: [Fix] = [], rejects: [Reject] = []
        _ = try TraceReader.read(path: path, fileIndex: 0, plates: &plates, fixes: &fixes, rejects: &rejects)
        // A trailing blank is trimmed, so "渝F12345 " is the same truck as "渝F12345".
        #expect(plates.plates == ["TRAILER-UNIT-0000001", "TRAILER-UNIT-0000002", "TRAILER-UNIT-00000", "渝F12345",
                                  "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOPQ", "渝AD12345", "ABCDEFGHIJ", "ABCDEFGHIJK",
                                  "ABCDEFGHIJKL", "ABCDEFGHIJKM"])
        #expect(fixes.map { plates[$0.vehicle] } == (0..<3).flatMap { _ in names.map { $0.trimmingCharacters(in: .whitespaces) } })
    }
}
