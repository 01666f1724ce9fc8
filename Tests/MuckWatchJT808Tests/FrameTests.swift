import MuckWatchCore
import Testing
@testable import MuckWatchJT808

@Suite struct JT808FrameTests {
    typealias F = JT808Fixtures

    @Test func rejectsBadCheckCode() throws {
        var raw = F.raw(F.header(JT808MessageID.location), body: F.report().encode())
        raw[raw.count - 1] ^= 0x55
        let frame = F.wrap(raw)
        #expect(throws: JT808FrameError.self) { try JT808Frame.decode(frame) }
        do { _ = try JT808Frame.decode(frame) } catch { #expect(error.kind == .badCheck) }
        let d = F.read(frame + F.locationFrame(F.report(1)))
        #expect(d.summary.badFrames.kindsAndOffsets == ["bad_check@0"])
        #expect(d.fixes.count == 1)
        #expect(d.summary.frames == 1)
    }

    @Test func rejectsBodyLongerThanHeaderSays() throws {
        var h = F.header(JT808MessageID.location)
        let body = F.report().encode()
        h.bodyLength = body.count - 1  // header claims one byte less
        var raw: [UInt8] = []
        h.encode(into: &raw)
        raw += body
        raw.append(JT808CheckCode.compute(raw))
        let d = F.read(F.wrap(raw))
        #expect(d.summary.badFrames.map(\.kind) == [.lengthMismatch])
        #expect(d.fixes.isEmpty)
    }

    /// A frame cut short is followed directly by the next frame's opening flag.
    @Test func truncatedFrameThenGoodFrame() {
        let f1 = F.locationFrame(F.report(0))
        let f2 = F.locationFrame(F.report(1))
        let cut = Array(f1.prefix(30))
        let d = F.read(f2 + cut + f2)
        #expect(d.summary.badFrames.kindsAndOffsets == ["truncated@\(f2.count)"])
        #expect(d.summary.badFrames[0].detail.contains("of \(12 + 28 + 1) bytes"))
        #expect(d.fixes.map(\.line) == [0, Int32(f2.count + 30)])
    }

    @Test func truncatedAtEndOfCapture() {
        let f = F.locationFrame(F.report())
        let d = F.read(f + Array(f.prefix(20)))
        #expect(d.summary.badFrames.kindsAndOffsets == ["truncated@\(f.count)"])
        #expect(d.summary.badFrames[0].detail.contains("no closing 0x7e"))
        #expect(d.fixes.count == 1)
    }

    @Test func garbageBetweenFramesWithExactOffsets() {
        let f1 = F.locationFrame(F.report(0)), f2 = F.locationFrame(F.report(1)), f3 = F.locationFrame(F.report(2))
        let g0: [UInt8] = [0x41, 0x54, 0x0D]  // before the first frame
        let g1: [UInt8] = [0x01, 0x02, 0x03, 0x04, 0x05]
        let g2: [UInt8] = [0xFF, 0x7D, 0x02, 0x00]  // escape-looking bytes too
        let tail: [UInt8] = [0x99, 0x98]
        let capture = g0 + f1 + g1 + f2 + g2 + f3 + tail
        let d = F.read(capture)
        let o1 = g0.count + f1.count
        let o2 = o1 + g1.count + f2.count
        let o3 = o2 + g2.count + f3.count
        #expect(d.summary.badFrames.kindsAndOffsets == ["garbage@0", "garbage@\(o1)", "garbage@\(o2)", "garbage@\(o3)"])
        #expect(d.summary.badFrames.map(\.detail) == ["3 garbage bytes", "5 garbage bytes", "4 garbage bytes", "2 garbage bytes"])
        #expect(d.fixes.map(\.line) == [Int32(g0.count), Int32(o1 + g1.count), Int32(o2 + g2.count)])
        #expect(d.rejects.map(\.line) == [0, o1, o2, o3])
        #expect(d.rejects[1].reason.contains("byte offset \(o1)"))
    }

    /// Neighbours sharing one flag (`7e F1 7e F2 7e`) and doubled flags both decode.
    @Test func sharedAndDoubledFlags() {
        let f1 = F.locationFrame(F.report(0)), f2 = F.locationFrame(F.report(1))
        let shared = f1 + f2.dropFirst()
        let d = F.read(shared)
        #expect(d.summary.badFrames.isEmpty)
        #expect(d.fixes.map(\.line) == [0, Int32(f1.count - 1)])
        let doubled = [0x7E, 0x7E] + f1 + [0x7E] + f2
        let e = F.read(doubled)
        #expect(e.summary.badFrames.isEmpty)
        #expect(e.fixes.count == 2)
    }

    @Test func emptyAndFlagOnlyCaptures() {
        #expect(F.read([]).summary == JT808ReadSummary())
        #expect(F.read([0x7E, 0x7E, 0x7E]).summary.badFrames.isEmpty)
    }

    @Test func splitterPieces() {
        let f = F.locationFrame(F.report())
        let bytes: [UInt8] = [0xAA] + f
        #expect(SplitPieces.whole(bytes) == [
            SplitPiece(kind: .garbage, offset: 0, closed: true, bytes: [0xAA]),
            SplitPiece(kind: .frame, offset: 1, closed: true, bytes: Array(f.dropFirst().dropLast())),
        ])
    }
}
