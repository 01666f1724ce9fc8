import MuckWatchCore
import Testing
@testable import MuckWatchJT808

@Suite struct JT808CaptureReaderTests {
    typealias F = JT808Fixtures

    @Test func unknownTerminalIsRejectedAndCounted() {
        let stranger = JT808Phone(digits: "987654321098")!
        let reg = JT808Registration(province: 50, city: 101, makerID: "M", model: "X", terminalID: "T1", plateColor: 2,
                                    plate: "渝F0SW01")
        let capture = JT808Encoder.frame(F.header(JT808MessageID.registration, phone: stranger), body: reg.encode(is2019: false))
            + F.locationFrame(F.report(0), phone: stranger) + F.locationFrame(F.report(1))
            + F.locationFrame(F.report(2), phone: stranger)
        let d = F.read(capture)
        #expect(d.summary.fixes == 3)
        #expect(d.fixes.count == 1)
        #expect(d.summary.unknownTerminals == ["987654321098": 2])
        #expect(d.rejects.count == 2)
        #expect(d.rejects[0].file == "cap.bin")
        #expect(d.rejects[0].reason.contains("terminal 987654321098 (it registered as 渝F0SW01) is not in the vehicle registry"))
        #expect(d.rejects[0].reason.contains("byte offset \(d.rejects[0].line)"))
        #expect(d.summary.badFrames.isEmpty)
    }

    @Test func outOfRangePositionIsABadFrame() {
        let capture = F.locationFrame(F.report(0, lon: 181_000_000)) + F.locationFrame(F.report(0, lat: 90_000_000))
        let d = F.read(capture)
        #expect(d.summary.badFrames.map(\.kind) == [.outOfRange])
        #expect(d.summary.badFrames[0].detail.contains("longitude 181.000000"))
        #expect(d.fixes.map(\.lat) == [90])  // the boundary itself is in range
        #expect(d.rejects.map(\.line) == [0])
    }

    @Test func malformedBodiesAreBadFrames() {
        var badTime = F.report().encode()
        badTime[23] = 0x13  // month 13 (time is bytes 22...27, YYMMDDhhmmss)
        var shortItem = F.report().encode()
        shortItem += [0xF3, 0x05, 0x00]  // item says 5 bytes, 1 left
        let capture = JT808Encoder.frame(F.header(JT808MessageID.location), body: badTime)
            + JT808Encoder.frame(F.header(JT808MessageID.location), body: shortItem)
            + JT808Encoder.frame(F.header(JT808MessageID.location), body: Array(F.report().encode().prefix(20)))
        let d = F.read(capture)
        #expect(d.summary.badFrames.map(\.kind) == [.malformed, .malformed, .malformed])
        #expect(d.summary.badFrames[0].detail.contains("not a valid date"))
        #expect(d.summary.frames == 3 && d.fixes.isEmpty)
    }

    /// A batch whose count promises more items than its body holds keeps the items it has.
    @Test func batchCountBeyondBody() {
        var body = JT808BatchLocation(type: 0, reports: [F.report(0), F.report(1)]).encode()
        body[1] = 3  // count 3, two items present
        let d = F.read(JT808Encoder.frame(F.header(JT808MessageID.batchLocation), body: body))
        #expect(d.fixes.count == 2)
        #expect(d.summary.badFrames.map(\.kind) == [.malformed])
        #expect(d.summary.badFrames[0].detail == "batch damaged after 2 items: batch says 3 items, body holds 2")
    }

    @Test func encryptedLocationCannotBeRead() {
        var h = F.header(JT808MessageID.location)
        h.encryption = 1
        let d = F.read(JT808Encoder.frame(h, body: F.report().encode()))
        #expect(d.summary.badFrames.map(\.kind) == [.encrypted])
        #expect(d.fixes.isEmpty)
    }

    @Test func otherMessagesAreCountedButGiveNoFixes() {
        let capture = JT808Encoder.frame(F.header(JT808MessageID.heartbeat), body: [])
            + JT808Encoder.frame(F.header(JT808MessageID.authentication), body: Array("AUTH".utf8))
            + JT808Encoder.frame(F.header(0x0900), body: [1, 2, 3])
        let d = F.read(capture)
        #expect(d.summary.frames == 3 && d.summary.fixes == 0 && d.summary.badFrames.isEmpty && d.rejects.isEmpty)
    }
}
