import Testing
@testable import MuckWatchJT808

/// The platform's replies, byte for byte, against frames written out by hand.
@Suite struct FrameWriterTests {
    typealias F = JT808Fixtures

    /// 0x8001 in 2013: the reply echoes serial 0x007e (escaped), the platform's serial
    /// 0x7dcb holds an escape byte, and the check code comes out as 0x7e.
    static let terminal2013 = JT808Header(messageID: 0x0200, phone: JT808Phone(digits: "013912345678")!, serial: 0x007E)
    static let ack2013 = F.hex("""
        7E
        8001 0005 013912345678 7D01CB
        007D02 0200 00
        7D02
        7E
        """)

    /// 0x8001 in 2019 (protocol version 1, a 20-digit phone): the echoed serial 0x7d7e is
    /// both escapes, result 1, and the check code comes out as 0x7d.
    static let terminal2019 = JT808Header(messageID: 0x0704, version: .v2019(protocolVersion: 1),
                                          phone: JT808Phone(digits: "01234567890123456789")!, serial: 0x7D7E)
    static let ack2019 = F.hex("""
        7E
        8001 4005 01 01234567890123456789 00B9
        7D017D02 0704 01
        7D01
        7E
        """)

    @Test func generalAck2013() {
        #expect(JT808Encoder.generalAck(to: Self.terminal2013, result: 0, serial: 0x7DCB) == Self.ack2013)
    }

    @Test func generalAck2019() {
        #expect(JT808Encoder.generalAck(to: Self.terminal2019, result: 1, serial: 0x00B9) == Self.ack2019)
    }

    /// The connection's writer appends after what is already queued and reuses its
    /// buffer: a long frame before an ack leaves nothing behind in it.
    @Test func writerAppendsAndReusesItsBuffer() {
        var writer = JT808FrameWriter()
        var out: [UInt8] = [0xAA]
        writer.append(F.header(0x0900), body: [UInt8](repeating: 0x7E, count: 300), to: &out)
        let long = out.count - 1
        writer.appendGeneralAck(to: Self.terminal2013, result: 0, serial: 0x7DCB, to: &out)
        writer.appendGeneralAck(to: Self.terminal2019, result: 1, serial: 0x00B9, to: &out)
        #expect(out[0] == 0xAA)
        #expect(Array(out[(1 + long)...]) == Self.ack2013 + Self.ack2019)
        #expect(long == 1 + 12 + 600 + 1 + 1)  // flag, header, 300 escaped 0x7e, check code (0x1d), flag
    }

    /// 0x8100 in 2013: reply serial, result 0, the auth code in ASCII to the end of the body.
    @Test func registrationAckCarriesTheCodeOnlyOnSuccess() {
        let terminal = JT808Header(messageID: 0x0100, phone: JT808Phone(digits: "13800000001")!, serial: 0x0102)
        let ok = JT808Encoder.registrationAck(to: terminal, result: 0, authCode: "MW", serial: 7)
        #expect(ok == F.hex("7E 8100 0005 013800000001 0007 0102 00 4D57 A2 7E"))
        let refused = JT808Encoder.registrationAck(to: terminal, result: 2, authCode: "MW", serial: 8)
        #expect(refused == F.hex("7E 8100 0003 013800000001 0008 0102 02 B3 7E"))
    }
}
