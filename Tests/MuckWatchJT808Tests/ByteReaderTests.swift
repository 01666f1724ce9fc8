import Testing
import MuckWatchCore
@testable import MuckWatchJT808

/// Short input names the field that ran out, through every layer that reads with
/// `JT808ByteReader`.
@Suite struct ByteReaderTests {
    @Test func eachReadNamesItsFieldWhenBytesRunOut() {
        let bytes: [UInt8] = [0x12, 0x34, 0x56]
        bytes.withByteSpan { b in
            var r = JT808ByteReader(b)
            #expect(throws: JT808DecodeError.tooShort(field: "wide", needed: 4, available: 3)) { _ = try r.u32("wide") }
            #expect((try? r.u16("word")) == 0x1234)
            #expect(throws: JT808DecodeError.tooShort(field: "word", needed: 2, available: 1)) { _ = try r.u16("word") }
            #expect(throws: JT808DecodeError.tooShort(field: "run", needed: 2, available: 1)) { _ = try r.bytes(2, "run") }
            #expect((try? r.u8("byte")) == 0x56)
            #expect(throws: JT808DecodeError.tooShort(field: "byte", needed: 1, available: 0)) { _ = try r.u8("byte") }
            #expect(r.rest().isEmpty)
        }
    }

    /// A 2013 header cut after the phone: the serial number is what is missing.
    @Test func headerCutShortNamesTheMissingField() {
        let cut: [UInt8] = [0x02, 0x00, 0x00, 0x1C, 0x01, 0x38, 0x00, 0x00, 0x00, 0x01, 0x00]
        #expect(throws: JT808DecodeError.tooShort(field: "serial number", needed: 2, available: 1)) {
            _ = try JT808Header.decode(cut)
        }
    }

    /// The fixed part, then an item declaring more bytes than the body holds.
    @Test func locationItemOverrunningTheBody() {
        var body = JT808LocationReport(status: 2, latitude: 1, longitude: 2, speed: 3, direction: 4,
                                       time: JT808Time(unixSeconds: 1_795_183_200)).encode()
        body += [0xF3, 0x04, 0x00]
        #expect(throws: JT808DecodeError.itemOverrun(id: 0xF3, length: 4, available: 1)) {
            _ = try JT808LocationReport.decode(body)
        }
        #expect(throws: JT808DecodeError.tooShort(field: "additional item header", needed: 2, available: 1)) {
            _ = try JT808LocationReport.decode(Array(body.dropLast(2)))
        }
    }
}
