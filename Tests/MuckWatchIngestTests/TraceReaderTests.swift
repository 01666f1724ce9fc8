import Foundation
import Testing
import MuckWatchCore
@testable import MuckWatchIngest

@Suite struct TraceReaderTests {
    func read(_ path: String) throws -> (Int, [Fix], [Reject], PlateTable) {
        var plates = PlateTable(), fixes: [Fix] = [], rejects: [Reject] = []
        let n = try TraceReader.read(path: path, fileIndex: 0, plates: &plates, fixes: &fixes, rejects: &rejects)
        return (n, fixes, rejects, plates)
    }

    @Test func csvRejectsCarryTheirPhysicalLineAndAReason() throws {
        let dir = TempDir()
        let path = dir.file("t.csv", """
            vehicle_id,time,lon,lat,speed_kmh,heading,alt_m,lift,lid,load_t
            渝F12345,2026-11-12T22:00:00+08:00,108.4,30.8,12.5,90,200,0,1,0.5
            渝F12345,2026-11-12T22:00:30+08:00,108.401,30.8,12.5,90,200,0,1
            渝F12345,not-a-time,108.4,30.8,,,,,,
            渝F12345,2026-11-12T22:01:00+08:00,181.0,30.8,,,,,,
            渝F12345,2026-11-12T22:01:30+08:00,108.4,NaN,,,,,,
            ,2026-11-12T22:02:00+08:00,108.4,30.8,,,,,,
            渝F12345,,108.4,30.8,,,,,,
            渝F12345,2026-11-12T22:03:00+08:00,108.4,30.8,fast,,,,,
            渝F12345,2026-11-12T22:03:30,108.4,30.8,,,,,,
            渝F12345,1794496000,108.4,30.8,,,,,,
            "渝F12346","2026-11-12T22:04:00+08:00","108.5","30.9","","","note, with comma","","",""

            """)
        let (n, fixes, rejects, plates) = try read(path)
        #expect(n == 11)
        #expect(rejects.map(\.line) == [3, 4, 5, 6, 7, 8, 9, 10])
        #expect(rejects.allSatisfy { $0.file == path && !$0.reason.isEmpty })
        #expect(rejects[0].reason.contains("expected 10 fields, found 9"))
        #expect(rejects[1].reason.contains("bad time"))
        #expect(rejects[2].reason.contains("lon"))
        #expect(rejects[3].reason.contains("lat"))
        #expect(rejects[4].reason == "missing vehicle_id")
        #expect(rejects[5].reason == "empty time")
        #expect(rejects[6].reason.contains("speed_kmh"))
        #expect(rejects[7].reason.contains("offset"))
        #expect(fixes.count == 3)
        #expect(fixes[0].line == 2 && fixes[0].lift == 0 && fixes[0].lid == 1 && fixes[0].loadT == 0.5)
        #expect(fixes[1].time == 1_794_496_000 && fixes[1].speedKmh.isNaN && fixes[1].lift == -1)
        #expect(plates[fixes[2].vehicle] == "渝F12346" && fixes[2].line == 12 && fixes[2].lon == 108.5)
    }

    @Test func columnOrderIsFreeAndUnknownColumnsAreIgnored() throws {
        let dir = TempDir()
        let path = dir.file("t.csv", "\u{FEFF}lat,extra,time,vehicle_id,lon\r\n30.812345,x,2026-11-12T14:00:00Z,A1,108.412345\r\n")
        let (n, fixes, rejects, _) = try read(path)
        #expect(n == 1 && rejects.isEmpty)
        #expect(fixes[0].lat == 30.812345 && fixes[0].lon == 108.412345)
        #expect(fixes[0].time == 1_794_492_000)
    }

    @Test func missingRequiredColumnIsAFileError() {
        let dir = TempDir()
        let path = dir.file("t.csv", "vehicle_id,time,lon\nA,1,2\n")
        #expect(throws: IngestError.self) { try read(path) }
        #expect(throws: IngestError.fileNotFound(path: dir.path + "/none.csv")) { try read(dir.path + "/none.csv") }
    }

    @Test func duplicatesAndLateRowsAreInputNotErrors() throws {
        let dir = TempDir()
        let path = dir.file("t.csv", """
            vehicle_id,time,lon,lat
            A,2026-11-12T22:01:00+08:00,108.4,30.8
            A,2026-11-12T22:00:00+08:00,108.4,30.8
            A,2026-11-12T22:01:00+08:00,108.4,30.8

            """)
        let (n, fixes, rejects, _) = try read(path)
        #expect(n == 3 && fixes.count == 3 && rejects.isEmpty)
    }

    @Test func jsonLinesWithStringNumbersNullsAndEscapes() throws {
        let dir = TempDir()
        let path = dir.file("t.jsonl", """
            {"vehicle_id":"渝F1","time":"2026-11-12T22:00:00+08:00","lon":"108.4","lat":30.8,"speed_kmh":null,"lift":"","lid":1,"load_t":"12.5","extra":{"a":[1,2]}}
            {"vehicle_id":"\\u6e1dF1","time":1794496000,"lon":108.41,"lat":30.81,"lift":true}
            [1,2,3]
            {"vehicle_id":"渝F1","time":"2026-11-12T22:00:00+08:00","lon":108.4}

            {"vehicle_id":"渝F1","time":"2026-11-12T22:05:00+08:00","lon":108.4,"lat":30.8,"load_t":"heavy"}
            {"vehicle_id":"渝F1","time":"2026-11-12T22:06:00+08:00","lon":108.4,"lat":30.8,"speed_kmh":{"x":1}}
            {"vehicle_id":"渝F1","time":"2026-11-12T22:07:00+08:00"
            """)
        let (n, fixes, rejects, plates) = try read(path)
        #expect(n == 7)
        #expect(rejects.map(\.line) == [3, 4, 6, 7, 8])
        #expect(rejects[0].reason == "not a JSON object")
        #expect(rejects[1].reason == "missing lat")
        #expect(fixes.count == 2)
        #expect(fixes[0].lon == 108.4 && fixes[0].speedKmh.isNaN && fixes[0].lift == -1 && fixes[0].lid == 1 && fixes[0].loadT == 12.5)
        #expect(plates[fixes[1].vehicle] == "渝F1")   // \u6e1d is 渝: one vehicle
        #expect(fixes[1].lift == 1)
    }

    /// A capture is told by its first non-blank byte, whatever its name, and left to the
    /// caller (decoding it needs the registry's terminals).
    @Test func jt808CapturesAreRecognisedByContent() {
        let dir = TempDir()
        let path = dir.file("capture.csv", bytes: [0x7E, 0x02, 0x00, 0x00, 0x7E])
        #expect(throws: IngestError.captureWithoutTerminals(path: path)) { try read(path) }
        #expect(Array(" \r\n\t~\u{02}".utf8).withByteSpan(TraceStream.looksLikeCapture))
        #expect(!Array("vehicle_id,time\n".utf8).withByteSpan(TraceStream.looksLikeCapture))
        #expect(![UInt8]().withByteSpan(TraceStream.looksLikeCapture))
    }

    @Test func wholeFilesAsBytesOrAnActionableError() throws {
        let dir = TempDir()
        let path = dir.file("c.bin", bytes: [0x7E, 0x00, 0x7D, 0x7E])
        #expect(try FileBytes.read(path) == [0x7E, 0x00, 0x7D, 0x7E])
        #expect(throws: IngestError.fileNotFound(path: dir.path + "/none.bin")) { try FileBytes.read(dir.path + "/none.bin") }
        #expect(throws: IngestError.unreadable(path: dir.path, reason: "is a directory, expected a file")) {
            try FileBytes.read(dir.path)
        }
    }
}

@Suite struct ByteNumberTests {
    func parse(_ s: String) -> Double? {
        let b = Array(s.utf8)
        return b.withByteSpan { ByteNumber.parse($0, 0, b.count) }
    }

    @Test func matchesTheStandardLibraryOnCoordinates() {
        var rng: UInt64 = 42
        for _ in 0..<20_000 {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            let v = Double(rng >> 11) / Double(1 << 53) * 360 - 180
            for digits in [1, 3, 6, 7, 9] {
                let text = String(format: "%.\(digits)f", v)
                #expect(parse(text) == Double(text), "\(text)")
            }
        }
    }

    @Test func edgeCases() {
        #expect(parse(" 12.5 ") == 12.5)
        #expect(parse("-0.000001") == -0.000001)
        #expect(parse("1e3") == 1000)
        #expect(parse("+7") == 7)
        #expect(parse("12345678901234567890.5") == Double("12345678901234567890.5"))
        #expect(parse("NaN")?.isNaN == true)
        #expect(parse("inf") == .infinity)
        #expect(parse("") == nil && parse("-") == nil && parse("1.2.3") == nil && parse("abc") == nil && parse("1e") == nil)
    }
}
