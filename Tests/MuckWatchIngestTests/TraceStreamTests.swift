import Foundation
import Testing
import MuckWatchCore
@testable import MuckWatchIngest

/// Reading in small chunks must give exactly what reading whole gives: same fixes, same
/// rejects, same physical line numbers, whatever the chunk boundaries cut through.
@Suite struct TraceStreamTests {
    static let csv = """
        vehicle_id,time,lon,lat,speed_kmh,note
        渝F1,2026-11-12T22:00:00+08:00,108.4,30.8,12,"plain"
        渝F1,2026-11-12T22:00:30+08:00,108.401,30.8,12,"a note
        across two lines"
        渝F2,not-a-time,108.4,30.8,,x
        渝F2,2026-11-12T22:01:00+08:00,108.41,30.81,,"quoted, with comma"
        渝F1,2026-11-12T22:01:00+08:00,108.402
        渝F2,2026-11-12T22:02:00+08:00,108.42,30.82,33,
        """

    static let jsonl = """
        {"vehicle_id":"渝F1","time":"2026-11-12T22:00:00+08:00","lon":108.4,"lat":30.8}
        not json

        {"vehicle_id":"渝F2","time":1794496000,"lon":"108.41","lat":"30.81","lift":1}
        {"vehicle_id":"渝F2","time":1794496030,"lon":108.42,"lat":91}
        {"vehicle_id":"渝F2","time":1794496060,"lon":108.43,"lat":30.83}
        """

    /// Fixes hold NaN for absent readings (NaN != NaN), so compare their bit patterns.
    func key(_ f: Fix) -> String {
        "\(f.vehicle) \(f.line) \(f.time) \(f.lon) \(f.lat) \(f.speedKmh.bitPattern) \(f.loadT.bitPattern) \(f.lift) \(f.lid)"
    }

    func read(_ path: String, chunk: Int) throws -> (Int, [Fix], [Reject], [String]) {
        var plates = PlateTable(), fixes: [Fix] = [], rejects: [Reject] = []
        var s = try TraceStream(path: path, fileIndex: 0, chunkBytes: chunk)
        while try s.next(plates: &plates, fixes: &fixes, rejects: &rejects) {}
        return (s.rows, fixes, rejects, plates.plates)
    }

    @Test(arguments: [16, 17, 33, 64, 100, 1 << 20])
    func chunkedCSVEqualsWhole(chunk: Int) throws {
        let path = TempDir().file("t.csv", Self.csv + "\n")
        let whole = try read(path, chunk: 1 << 20)
        let parts = try read(path, chunk: chunk)
        #expect(parts.0 == whole.0 && parts.1.map(key) == whole.1.map(key) && parts.2 == whole.2 && parts.3 == whole.3)
        #expect(whole.2.map(\.line) == [5, 7])
        #expect(whole.1.map(\.line) == [2, 3, 6, 8])
    }

    @Test(arguments: [16, 50, 81, 1 << 20])
    func chunkedJSONLinesEqualsWhole(chunk: Int) throws {
        let path = TempDir().file("t.jsonl", Self.jsonl)       // no final newline
        let whole = try read(path, chunk: 1 << 20)
        let parts = try read(path, chunk: chunk)
        #expect(parts.0 == whole.0 && parts.1.map(key) == whole.1.map(key) && parts.2 == whole.2)
        #expect(whole.2.map(\.line) == [2, 5])
        #expect(whole.1.map(\.line) == [1, 4, 6])
    }
}
