import Testing
import MuckWatchCore
@testable import MuckWatchJT808

@Suite struct JT808EscapingTests {
    typealias F = JT808Fixtures

    @Test func escapesFlagAndEscapeBytes() {
        #expect(JT808Escaping.escape([0x30, 0x7E, 0x08, 0x7D, 0x55]) == [0x30, 0x7D, 0x02, 0x08, 0x7D, 0x01, 0x55])
        #expect(JT808Escaping.unescape([0x30, 0x7D, 0x02, 0x08, 0x7D, 0x01, 0x55]).bytes == [0x30, 0x7E, 0x08, 0x7D, 0x55])
    }

    @Test func consecutiveEscapesRoundTrip() {
        let raw: [UInt8] = [0x7E, 0x7E, 0x7D, 0x7D, 0x7E, 0x7D, 0x02, 0x01]
        let esc = JT808Escaping.escape(raw)
        #expect(esc == [0x7D, 0x02, 0x7D, 0x02, 0x7D, 0x01, 0x7D, 0x01, 0x7D, 0x02, 0x7D, 0x01, 0x02, 0x01])
        let back = JT808Escaping.unescape(esc)
        #expect(back.bytes == raw)
        #expect(back.problem == nil)
        #expect(!esc.contains(0x7E))
    }

    @Test func reportsBadAndDanglingEscapes() {
        #expect(JT808Escaping.unescape([0x01, 0x7D, 0x03, 0x04]).problem == .badSequence(index: 1, byte: 0x03))
        let dangling = JT808Escaping.unescape([0x01, 0x02, 0x7D])
        #expect(dangling.problem == .danglingEscape)
        #expect(dangling.bytes == [0x01, 0x02])
    }

    /// The capture reader's path: a reused scratch array is overwritten from `at`, its
    /// bytes before untouched, and the count says where the unescaped bytes end.
    @Test func unescapesIntoAReusedScratchArray() {
        var scratch = [UInt8](repeating: 0xAA, count: 8)
        let (n, problem) = [0x31, 0x7D, 0x02, 0x7D, 0x01].withByteSpan { JT808Escaping.unescape($0, into: &scratch, at: 2) }
        #expect(n == 3)
        #expect(problem == nil)
        #expect(scratch == [0xAA, 0xAA, 0x31, 0x7E, 0x7D, 0xAA, 0xAA, 0xAA])
    }

    /// Bodies holding 0x7e / 0x7d survive a full frame round trip.
    @Test func flagBytesInsideBody() throws {
        var r = F.report(lat: 0x7E7D7E7D & 0x03FF_FFFF, lon: 0x7D7E7D7E & 0x07FF_FFFF)
        r.otherItems = [JT808AdditionalItem(id: 0x7E, value: [0x7D, 0x7E, 0x7D])]
        let frame = F.locationFrame(r)
        #expect(frame.dropFirst().dropLast().allSatisfy { $0 != 0x7E })
        let f = try JT808Frame.decode(frame)
        #expect(try JT808Message.decode(header: f.header, body: f.body) == .location(r))
    }

    /// A check code of 0x7e or 0x7d is escaped like any other byte.
    @Test(arguments: [UInt8(0x7E), 0x7D])
    func checkCodeNeedingEscape(_ wanted: UInt8) throws {
        var found: [UInt8]?
        for b in UInt8(0)...255 {
            let raw = F.raw(F.header(JT808MessageID.heartbeat), body: [b])
            if raw.last == wanted { found = raw; break }
        }
        let raw = try #require(found)
        let frame = F.wrap(raw)
        #expect(Array(frame.suffix(3)) == [0x7D, wanted == 0x7E ? 0x02 : 0x01, 0x7E])
        let f = try JT808Frame.decode(frame)
        #expect(f.header.messageID == JT808MessageID.heartbeat)
        #expect(f.body.count == 1)
        #expect(F.read(frame).summary.badFrames.isEmpty)
    }

    /// A frame whose last byte before the flag is a lone 0x7d: cut inside the escape of
    /// its check code (truncated), or complete with a stray 0x7d (bad escape).
    @Test func frameEndingRightAfterEscapeByte() throws {
        var found: [UInt8]?
        for b in UInt8(0)...255 {
            let raw = F.raw(F.header(JT808MessageID.heartbeat), body: [b])
            if raw.last == 0x7D { found = raw; break }
        }
        let frame = F.wrap(try #require(found))  // ... 7d 01 7e
        let cut = Array(frame.dropLast(2)) + [0x7E]  // ... 7d 7e
        #expect(throws: JT808FrameError.self) { try JT808Frame.decode(cut) }
        #expect(F.read(cut).summary.badFrames.kindsAndOffsets == ["truncated@0"])

        let good = F.wrap(F.raw(F.header(JT808MessageID.heartbeat), body: [0x11]))
        let stray = Array(good.dropLast()) + [0x7D, 0x7E]
        #expect(F.read(stray).summary.badFrames.kindsAndOffsets == ["bad_escape@0"])
        var badPair = good  // 7e, 12 header bytes, body 0x11, check, 7e
        badPair.replaceSubrange(13...13, with: [0x7D, 0x05])
        #expect(F.read(badPair).summary.badFrames.kindsAndOffsets == ["bad_escape@0"])
    }
}
