import MuckWatchCore
import Testing
@testable import MuckWatchJT808

@Suite struct JT808RoundTripTests {
    typealias F = JT808Fixtures

    static let fullReport = JT808LocationReport(
        alarm: 0x0000_0101, status: 0x0000_030E,  // positioned, south, west, load state 3
        latitude: 12_045_422, longitude: 77_040_697, altitude: 154, speed: 364, direction: 65,
        time: JT808Time(year: 2026, month: 11, day: 20, hour: 22, minute: 1, second: 0),
        mileage: 123_456, lift: 1, lid: 0, loadCell: 187,
        otherItems: [JT808AdditionalItem(id: 0x25, value: [0, 0, 0, 4]), JT808AdditionalItem(id: 0x30, value: [0x1F]),
                     JT808AdditionalItem(id: 0xE5, value: []), JT808AdditionalItem(id: 0xF4, value: [1, 2, 3])])

    @Test(arguments: [JT808Version.v2013, .v2019(protocolVersion: 1)])
    func locationReportRoundTrip(_ version: JT808Version) throws {
        let r = Self.fullReport
        let frame = F.locationFrame(r, serial: 0x7E7D, version: version)
        let f = try JT808Frame.decode(frame)
        #expect(f.header.serial == 0x7E7D)
        #expect(f.header.version == version)
        #expect(f.header.phone == F.phone2013)
        #expect(try JT808Message.decode(header: f.header, body: f.body) == .location(r))
        let back = try JT808LocationReport.decode(f.body)
        #expect(back.isSouth && back.isWest && back.isPositioned)
        #expect(back.latitudeDegrees == -12.045422)
        #expect(back.longitudeDegrees == -77.040697)
        #expect(back.loadState == 3)
        #expect(back.speedKmh == 36.4)
    }

    /// Fix fields from a report: units, signs, sensors, absent sensors, unknown items skipped.
    @Test func reportBecomesFix() throws {
        let d = F.read(F.locationFrame(Self.fullReport))
        let fix = try #require(d.fixes.first)
        #expect(d.plates[fix.vehicle] == "渝F12345")
        #expect(fix.file == 3 && fix.line == 0)
        #expect(LocalClock.shanghai.format(fix.time) == "2026-11-20T22:01:00+08:00")
        #expect(fix.lat == -12.045422 && fix.lon == -77.040697)
        #expect(fix.speedKmh == 36.4 && fix.heading == 65)
        #expect(fix.lift == 1 && fix.lid == 0 && fix.loadT == 18.7)
        #expect(!fix.unpositioned)

        var bare = F.report(status: 0)  // positioned bit clear: still a fix, flagged
        bare.otherItems = [JT808AdditionalItem(id: 0x31, value: [9])]
        let e = F.read(F.locationFrame(bare))
        let g = try #require(e.fixes.first)
        #expect(g.unpositioned)
        #expect(g.lift == -1 && g.lid == -1 && g.loadT.isNaN)
        #expect(e.rejects.isEmpty)
    }

    @Test func batchRoundTripAndFixes() throws {
        let reports = (0..<5).map { F.report($0, lift: UInt8($0 % 2), load: UInt16($0 * 10)) }
        for type in [UInt8(0), 1] {
            let batch = JT808BatchLocation(type: type, reports: reports)
            let frame = JT808Encoder.frame(F.header(JT808MessageID.batchLocation, phone: F.phoneB), body: batch.encode())
            let f = try JT808Frame.decode(frame)
            #expect(try JT808Message.decode(header: f.header, body: f.body) == .batchLocation(batch))
            let d = F.read(frame)
            #expect(d.summary.fixes == 5)
            #expect(d.fixes.map(\.time) == reports.map(\.time.unixSeconds))
            #expect(d.fixes.allSatisfy { d.plates[$0.vehicle] == "渝F23456" && $0.line == 0 })
            #expect(d.fixes.map(\.loadT) == [0, 1, 2, 3, 4])
        }
    }

    /// One bad item in a batch costs that item only.
    @Test func batchWithOutOfRangeItem() {
        let reports = [F.report(0), F.report(1, lat: 95_000_000), F.report(2)]
        let frame = JT808Encoder.frame(F.header(JT808MessageID.batchLocation), body: JT808BatchLocation(type: 1, reports: reports).encode())
        let d = F.read(frame)
        #expect(d.fixes.count == 2)
        #expect(d.summary.fixes == 3)
        #expect(d.summary.badFrames.map(\.kind) == [.outOfRange])
        #expect(d.summary.badFrames[0].detail.contains("item 2 of 3"))
        #expect(d.rejects.count == 1)
    }

    @Test func headerEditions() throws {
        let phone = JT808Phone(digits: "13912344329")!
        let cases: [(JT808Header, Int)] = [
            (JT808Header(messageID: 0x0200, version: .v2013, phone: phone, serial: 7), 12),
            (JT808Header(messageID: 0x0200, version: .v2013, phone: phone, serial: 7,
                         subpackage: JT808Subpackage(total: 3, index: 2)), 16),
            (JT808Header(messageID: 0x0704, version: .v2019(protocolVersion: 1), phone: phone, serial: 0xFFFF), 17),
            (JT808Header(messageID: 0x0704, encryption: 1, version: .v2019(protocolVersion: 2), phone: phone, serial: 9,
                         subpackage: JT808Subpackage(total: 9, index: 9)), 21),
        ]
        for (h, size) in cases {
            var out: [UInt8] = []
            h.encode(into: &out)
            #expect(out.count == size)
            #expect(h.byteCount == size)
            #expect(try JT808Header.decode(out) == h)
        }
        var b2013: [UInt8] = []
        cases[0].0.encode(into: &b2013)
        #expect(Array(b2013[4..<10]) == [0x01, 0x39, 0x12, 0x34, 0x43, 0x29])
        var b2019: [UInt8] = []
        cases[2].0.encode(into: &b2019)
        #expect(b2019[2] & 0x40 != 0)
        #expect(Array(b2019[5..<15]) == [0, 0, 0, 0, 0x01, 0x39, 0x12, 0x34, 0x43, 0x29])
    }

    @Test func phonesComparedWithoutLeadingZeros() throws {
        let a = JT808Phone(bcd: [0x01, 0x38, 0x00, 0x00, 0x00, 0x01])
        let b = JT808Phone(bcd: [0, 0, 0, 0, 0x01, 0x38, 0x00, 0x00, 0x00, 0x01])
        #expect(a == b)
        #expect(a == JT808Phone(digits: "13800000001"))
        #expect(a.digits == "13800000001")
        #expect(JT808Phone(digits: "12345678901234567890")?.digits == "12345678901234567890")
        #expect(JT808Phone(digits: "1380000000x") == nil)
        #expect(JT808Phone(digits: "") == nil)
        let dir = JT808CaptureReader.terminalDirectory([
            Vehicle(id: "渝F23456", company: "", ratedLoadT: 18, terminalID: "040021679287"),
            Vehicle(id: "渝F55555", company: "", ratedLoadT: 18, terminalID: nil),
        ])
        #expect(dir == ["40021679287": "渝F23456"])
        // 2019 header, 10-byte phone with zeros, registry without them.
        let d = F.read(F.locationFrame(F.report(), phone: JT808Phone(digits: "00000000040021679287")!,
                                       version: .v2019(protocolVersion: 1)), terminals: dir)
        #expect(d.fixes.count == 1)
        #expect(d.plates.plates == ["渝F23456"])
    }

    @Test func subpackagedBatchIsReassembled() throws {
        let reports = (0..<40).map { F.report($0, lid: 1) }
        let body = JT808BatchLocation(type: 0, reports: reports).encode()
        #expect(body.count > JT808Encoder.maxBodyLength)
        var frames = JT808Encoder.subpackages(F.header(JT808MessageID.batchLocation, serial: 100), body: body, packageSize: 300)
        #expect(frames.count == (body.count + 299) / 300)
        let first = try JT808Frame.decode(frames[0])
        #expect(first.header.subpackage == JT808Subpackage(total: UInt16(frames.count), index: 1))
        frames.swapAt(1, 2)  // arrival order does not matter
        let capture = frames.flatMap { $0 } + F.locationFrame(F.report(99))
        let d = F.read(capture)
        #expect(d.summary.badFrames.isEmpty)
        #expect(d.fixes.count == 41)
        #expect(Array(d.fixes.prefix(40).map(\.time)) == reports.map(\.time.unixSeconds))
        #expect(d.fixes.prefix(40).allSatisfy { $0.line == 0 && $0.lid == 1 })
    }

    @Test func missingPackageIsReportedAndCompleteItemsSalvaged() {
        let reports = (0..<40).map { F.report($0) }
        let body = JT808BatchLocation(type: 1, reports: reports).encode()
        var frames = JT808Encoder.subpackages(F.header(JT808MessageID.batchLocation), body: body, packageSize: 300)
        frames.remove(at: 2)
        let d = F.read(frames.flatMap { $0 })
        #expect(d.summary.badFrames.kindsAndOffsets == ["incomplete_subpackage@0"])
        #expect(d.summary.badFrames[0].detail.hasPrefix("\(frames.count) of \(frames.count + 1) packages"))
        // packages 1 and 2 hold 600 bytes: 3 batch-header bytes, then items of 2 + 28 bytes.
        #expect(d.fixes.count == (600 - 3) / (2 + 28))
        #expect(d.fixes.map(\.time) == reports.prefix(d.fixes.count).map(\.time.unixSeconds))
    }

    @Test(arguments: [false, true])
    func registrationAndAuthenticationRoundTrip(_ is2019: Bool) throws {
        let reg = JT808Registration(province: 50, city: 101, makerID: "MWSIM", model: "MW-808-SIM",
                                    terminalID: "T000001", plateColor: 2, plate: "渝F12345")
        let version: JT808Version = is2019 ? .v2019(protocolVersion: 1) : .v2013
        let body = reg.encode(is2019: is2019)
        #expect(body.count == (is2019 ? 2 + 2 + 11 + 30 + 30 + 1 : 2 + 2 + 5 + 20 + 7 + 1) + 8)
        let f = try JT808Frame.decode(JT808Encoder.frame(F.header(JT808MessageID.registration, version: version), body: body))
        #expect(try JT808Message.decode(header: f.header, body: f.body) == .registration(reg))

        let auth = is2019 ? JT808Authentication(code: "AUTH13800000001", imei: "860000000000001", softwareVersion: "1.2.3")
                          : JT808Authentication(code: "AUTH13800000001")
        let g = try JT808Frame.decode(JT808Encoder.frame(F.header(JT808MessageID.authentication, version: version),
                                                         body: auth.encode(is2019: is2019)))
        #expect(try JT808Message.decode(header: g.header, body: g.body) == .authentication(auth))
        #expect(try JT808Message.decode(header: F.header(JT808MessageID.heartbeat), body: []) == .heartbeat)
    }

    @Test func platformRepliesRoundTrip() throws {
        let terminal = F.header(JT808MessageID.location, serial: 0x1234)
        let ack = try JT808Frame.decode(JT808Encoder.generalAck(to: terminal, result: 0, serial: 5))
        #expect(ack.header.messageID == 0x8001 && ack.header.serial == 5 && ack.header.phone == terminal.phone)
        #expect(ack.body == [0x12, 0x34, 0x02, 0x00, 0x00])
        #expect(try JT808Message.decode(header: ack.header, body: ack.body)
                == .platformGeneralAck(JT808GeneralAck(replySerial: 0x1234, replyMessageID: 0x0200, result: 0)))

        let reg = F.header(JT808MessageID.registration, serial: 0x0009)
        let ok = try JT808Frame.decode(JT808Encoder.registrationAck(to: reg, result: 0, authCode: "AUTH1", serial: 6))
        #expect(ok.body == [0x00, 0x09, 0x00] + Array("AUTH1".utf8))
        #expect(try JT808Message.decode(header: ok.header, body: ok.body)
                == .registrationAck(JT808RegistrationAck(replySerial: 9, result: 0, authCode: "AUTH1")))
        let refused = try JT808Frame.decode(JT808Encoder.registrationAck(to: reg, result: 3, authCode: "ignored", serial: 7))
        #expect(refused.body == [0x00, 0x09, 0x03])
    }
}
