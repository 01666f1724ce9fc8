import Foundation
import Testing
import MuckWatchCore
import MuckWatchTestSupport

/// `RecordIO` against arrays, on real files: what goes out comes back byte for byte, however
/// the reads are cut, and failures come back as the system's reason.
@Suite struct RecordIOTests {
    /// Fixes with every reading given (no NaN sentinel, which is unequal to itself).
    static func fixes(_ r: inout SeededRandom, _ n: Int) -> [Fix] {
        (0..<n).map { i in
            Fix(vehicle: Int32(r.int(in: 0...500)), line: Int32(i), time: Int64(r.int(in: 0...86_400)),
                lon: r.double(in: 105...110), lat: r.double(in: 28...32),
                speedKmh: Float(r.int(in: 0...90)), heading: Float(r.int(in: 0...359)), loadT: Float(r.int(in: 0...40)) / 2,
                lift: Int8(r.int(in: -1...1)))
        }
    }

    static func temporaryFile() -> String {
        NSTemporaryDirectory() + "recordio-" + UUID().uuidString
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func writtenRangesReadBackInAnyCuts(seed: UInt64) throws {
        var r = SeededRandom(seed: seed)
        let all = Self.fixes(&r, r.int(in: 0...3_000))
        let lo = r.int(in: 0...all.count), hi = r.int(in: lo...all.count)
        let path = Self.temporaryFile()
        defer { unlink(path) }
        let out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(RecordIO.writeAll(all, lo..<hi, to: out) == 0)
        close(out)

        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var back: [Fix] = []
        var chunk = [Fix](repeating: Fix(vehicle: -1, time: 0, lon: 0, lat: 0), count: 1 + r.int(in: 0...700))
        while true {
            let got = RecordIO.read(fd, into: &chunk, count: r.int(in: 1...chunk.count))
            #expect(got.partialBytes == 0 && got.error == 0, "seed \(seed)")
            if got.records == 0 { break }
            back += chunk[..<got.records]
        }
        #expect(back == Array(all[lo..<hi]), "seed \(seed)")
    }

    @Test func aFileCutMidRecordReportsTheTornBytes() throws {
        var r = SeededRandom(seed: 9)
        let fixes = Self.fixes(&r, 10)
        let path = Self.temporaryFile()
        defer { unlink(path) }
        let out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(RecordIO.writeAll(fixes, to: out) == 0)
        #expect(ftruncate(out, off_t(MemoryLayout<Fix>.stride * 7 + 5)) == 0)
        close(out)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var into = fixes
        let got = RecordIO.read(fd, into: &into, count: 10)
        #expect(got.records == 7 && got.partialBytes == 5 && got.error == 0)
        #expect(Array(into[..<7]) == Array(fixes[..<7]))
    }

    @Test func aFullDiskAndABadDescriptorComeBackAsTheirErrno() throws {
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0)
        defer { close(full) }
        #expect(RecordIO.writeAll([UInt8](repeating: 1, count: 10_000), to: full) == ENOSPC)
        #expect(RecordIO.writeAll([UInt8](repeating: 1, count: 10), to: -1) == EBADF)
        var buffer = [UInt8](repeating: 0, count: 4)
        #expect(RecordIO.read(-1, into: &buffer, count: 4).error == EBADF)
    }
}
