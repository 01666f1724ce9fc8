import MuckWatchCore
import Testing
@testable import MuckWatchJT808

/// Frames published with their decoded values by an independent JT/T 808 implementation:
/// xtream-codec (hylexus), https://github.com/makeclan/xtream-codec, file
/// debug/jt/jt-808-server-spring-boot-starter-debug-ui/src/utils/codec-utils.ts
/// (`codecMockData`: hexString and bodyJson per message). Only the hex strings and their
/// published field values are used here.
@Suite struct JT808PublishedFrameTests {
    typealias F = JT808Fixtures

    /// BuiltinMessage0200: 2019 header, alarm 111, status 22, lat 31234567, lon 121987654,
    /// altitude 123, speed 66, direction 3, time 2025-01-29 22:33:44, items {1: 12, 2: 100}.
    @Test func location0200of2019() throws {
        let frame = F.hex("7e02004026010000000001391234432900000000006f0000001601dc9a0707456246007b004200032501292233440202006401040000000c417e")
        let f = try JT808Frame.decode(frame)
        #expect(f.header.messageID == 0x0200)
        #expect(f.header.version == .v2019(protocolVersion: 1))
        #expect(f.header.phone.digits == "13912344329")
        #expect(f.header.serial == 0)
        #expect(f.header.bodyLength == 38)
        let r = try JT808LocationReport.decode(f.body)
        #expect(r.alarm == 111 && r.status == 22)
        #expect(r.latitude == 31_234_567 && r.longitude == 121_987_654)
        #expect(r.altitude == 123 && r.speed == 66 && r.direction == 3)
        #expect(r.time == JT808Time(year: 2025, month: 1, day: 29, hour: 22, minute: 33, second: 44))
        #expect(r.mileage == 12)
        #expect(r.otherItems == [JT808AdditionalItem(id: 0x02, value: [0x00, 0x64])])
        // Status 22 = 0b10110: positioned (bit 1) and south (bit 2).
        #expect(r.isPositioned && r.isSouth && !r.isWest)
        #expect(r.latitudeDegrees == -31.234567 && r.longitudeDegrees == 121.987654)
        // Re-encoding the decoded report gives the published body, byte for byte... apart from
        // item order (the published frame sends 0x02 before 0x01; MuckWatch writes 0x01 first).
        #expect(r.encode().count == f.body.count)

        let d = F.read(frame, terminals: ["13912344329": "沪A00001"])
        let fix = try #require(d.fixes.first)
        #expect(fix.speedKmh == 6.6 && fix.heading == 3)
        #expect(LocalClock.shanghai.format(fix.time) == "2025-01-29T22:33:44+08:00")
    }

    /// BuiltinMessage0704: 2019 header, count 2, type 0, two reports of 28 bytes.
    @Test func batch0704of2019() throws {
        let frame = F.hex("7e0704403f01000000000139123443290000000200001c000000010000000101d907f2073d336c029a00210059241029213903001c000000010000000101d907f3073d336d03090043005a241029213903f87e")
        let f = try JT808Frame.decode(frame)
        guard case .batchLocation(let b) = try JT808Message.decode(header: f.header, body: f.body) else {
            Issue.record("not a batch")
            return
        }
        #expect(b.type == 0)
        #expect(b.reports.count == 2)
        let t = JT808Time(year: 2024, month: 10, day: 29, hour: 21, minute: 39, second: 3)
        #expect(b.reports[0] == JT808LocationReport(alarm: 1, status: 1, latitude: 31_000_562, longitude: 121_451_372,
                                                    altitude: 666, speed: 33, direction: 89, time: t))
        #expect(b.reports[1] == JT808LocationReport(alarm: 1, status: 1, latitude: 31_000_563, longitude: 121_451_373,
                                                    altitude: 777, speed: 67, direction: 90, time: t))
        // Status 1 (ACC on) without bit 1: kept, flagged unpositioned.
        let d = F.read(frame, terminals: ["13912344329": "沪A00001"])
        #expect(d.fixes.count == 2 && d.fixes.allSatisfy(\.unpositioned))
        // And our encoder rebuilds the published frame exactly.
        #expect(JT808Encoder.frame(f.header, body: b.encode()) == frame)
    }

    /// BuiltinMessage8001 {clientFlowId 111, clientMessageId 512, result 0} and
    /// BuiltinMessage8100 {clientFlowId 111, result 0, authCode "ok..ok..ok"}, both 2019.
    @Test func platformRepliesMatchPublishedBytes() {
        let phone = JT808Phone(digits: "13912344329")!
        let location = JT808Header(messageID: 0x0200, version: .v2019(protocolVersion: 1), phone: phone, serial: 111)
        #expect(JT808Encoder.generalAck(to: location, result: 0, serial: 0)
                == F.hex("7e8001400501000000000139123443290000006f020000dc7e"))
        let registration = JT808Header(messageID: 0x0100, version: .v2019(protocolVersion: 1), phone: phone, serial: 111)
        #expect(JT808Encoder.registrationAck(to: registration, result: 0, authCode: "ok..ok..ok", serial: 0)
                == F.hex("7e8100400d01000000000139123443290000006f006f6b2e2e6f6b2e2e6f6bd27e"))
    }

    /// BuiltinMessage8003V2013: a 2013 header (6-byte phone 013912344323), body of 9 bytes.
    @Test func header2013() throws {
        let f = try JT808Frame.decode(F.hex("7e800300090139123443230000006f030002000300049d7e"))
        #expect(f.header.version == .v2013)
        #expect(f.header.messageID == 0x8003)
        #expect(f.header.phone.digits == "13912344323")
        #expect(f.header.serial == 0)
        #expect(f.body == F.hex("006f03000200030004"))
    }
}
