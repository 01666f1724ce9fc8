import Testing
import MuckWatchCore
import MuckWatchJT808
@testable import MuckWatchGateway

/// `TerminalSession` driven with the bytes a terminal sends, no socket: the replies it
/// writes (decoded), the fixes it hands on, what it counts and when it refuses.
@Suite struct TerminalSessionTests {
    static let known = JT808Phone(digits: "13800000001")!
    static let other = JT808Phone(digits: "13800000002")!
    static let stranger = JT808Phone(digits: "19900000009")!
    static let auth = AuthCodes(key: 42)

    /// One connection: a session over two registered terminals and what it sent back.
    struct Connection {
        var session = TerminalSession(terminals: [TerminalSessionTests.known: 7, TerminalSessionTests.other: 8],
                                      auth: TerminalSessionTests.auth, maxRunBytes: 4096)
        var serial: UInt16 = 0
        var version = JT808Version.v2013

        /// A frame as a terminal writes it, with its own serial.
        mutating func frame(_ id: UInt16, _ body: [UInt8] = [], phone: JT808Phone = TerminalSessionTests.known,
                            encryption: UInt8 = 0, subpackage: JT808Subpackage? = nil) -> [UInt8] {
            serial += 1
            let h = JT808Header(messageID: id, encryption: encryption, version: version, phone: phone, serial: serial,
                                subpackage: subpackage)
            return JT808Encoder.frame(h, body: body)
        }

        mutating func registration(_ phone: JT808Phone = TerminalSessionTests.known) -> [UInt8] {
            let r = JT808Registration(province: 50, city: 101, makerID: "MW", model: "T1", terminalID: "0000001",
                                      plateColor: 2, plate: "渝F12345")
            return frame(JT808MessageID.registration, r.encode(is2019: version != .v2013), phone: phone)
        }

        mutating func authentication(_ code: String, phone: JT808Phone = TerminalSessionTests.known) -> [UInt8] {
            frame(JT808MessageID.authentication, JT808Authentication(code: code).encode(is2019: version != .v2013),
                  phone: phone)
        }

        mutating func location(_ k: Int = 0, phone: JT808Phone = TerminalSessionTests.known,
                               latitude: UInt32 = 30_802_884) -> [UInt8] {
            frame(JT808MessageID.location, TerminalSessionTests.report(k, latitude: latitude).encode(), phone: phone)
        }

        /// Feeds `bytes` in reads of `readSize`; the replies decoded and the fixes.
        mutating func send(_ bytes: [UInt8], readSize: Int = .max) throws -> (replies: [Reply], fixes: [Fix]) {
            var out: [UInt8] = []
            var fixes: [Fix] = []
            var start = 0
            while start < bytes.count {
                let read = Array(bytes[start..<min(bytes.count, start + min(readSize, bytes.count))])
                try read.withByteSpan { (b: ByteSpan) throws(JT808FrameSplitter.Overflow) in
                    try session.receive(b, out: &out, fixes: &fixes)
                }
                start += read.count
            }
            return (try Reply.all(in: out), fixes)
        }

        /// Registers and authenticates the known terminal.
        mutating func logIn() throws {
            let registration = registration()
            let reply = try send(registration).replies.first?.registrationAck
            let code = try #require(reply?.authCode)
            let authentication = authentication(code)
            _ = try send(authentication)
            #expect(session.isAuthenticated)
        }
    }

    static func report(_ k: Int, latitude: UInt32 = 30_802_884) -> JT808LocationReport {
        JT808LocationReport(status: JT808LocationReport.positionedBit, latitude: latitude + UInt32(k),
                            longitude: 108_381_426, speed: 626, direction: 23,
                            time: JT808Time(unixSeconds: 1_795_183_200 + Int64(k) * 30))
    }

    /// A reply frame, decoded.
    struct Reply {
        var header: JT808Header
        var message: JT808Message

        var generalAck: JT808GeneralAck? { if case .platformGeneralAck(let a) = message { a } else { nil } }
        var registrationAck: JT808RegistrationAck? { if case .registrationAck(let a) = message { a } else { nil } }

        static func all(in bytes: [UInt8]) throws -> [Reply] {
            var frames: [[UInt8]] = []
            bytes.withByteSpan { b in
                JT808FrameSplitter.split(b) { piece in frames.append(Array(piece.bytes)) }
            }
            return try frames.map { escaped in
                let f = try JT808Frame.decode(escaped)
                return Reply(header: f.header, message: try JT808Message.decode(header: f.header, body: f.body))
            }
        }
    }

    @Test func registrationOfAKnownTerminalHandsOutItsAuthCode() throws {
        var c = Connection()
        let (replies, fixes) = try c.send(c.registration())
        #expect(fixes.isEmpty)
        #expect(replies.count == 1)
        let ack = try #require(replies.first?.registrationAck)
        #expect(ack == JT808RegistrationAck(replySerial: 1, result: JT808RegistrationResult.ok,
                                            authCode: Self.auth.code(for: Self.known)))
        #expect(replies[0].header.phone == Self.known && replies[0].header.serial == 0)
        #expect(!c.session.isAuthenticated && !c.session.isRefused)
        #expect(c.session.counts.registrations == 1 && c.session.counts.frames == 1)
    }

    /// An unknown phone is told "no such vehicle" and nothing after it is read.
    @Test func registrationOfAnUnknownTerminalRefusesTheConnection() throws {
        var c = Connection()
        let (replies, _) = try c.send(c.registration(Self.stranger) + c.location() + c.frame(JT808MessageID.heartbeat))
        #expect(replies.count == 1)
        #expect(replies.first?.registrationAck == JT808RegistrationAck(
            replySerial: 1, result: JT808RegistrationResult.noSuchVehicle, authCode: nil))
        #expect(c.session.isRefused)
        #expect(c.session.counts.refusedRegistrations == 1 && c.session.counts.frames == 1)
        #expect(try c.send(c.frame(JT808MessageID.heartbeat)).replies.isEmpty)
    }

    @Test func authenticationWithTheRightCodeOpensTheSession() throws {
        var c = Connection()
        let (replies, _) = try c.send(c.authentication(Self.auth.code(for: Self.known)))
        #expect(replies.map(\.generalAck) == [JT808GeneralAck(replySerial: 1, replyMessageID: JT808MessageID.authentication,
                                                              result: JT808AckResult.ok)])
        #expect(c.session.isAuthenticated && c.session.phone == Self.known && c.session.vehicle == 7)
        #expect(c.session.counts.authentications == 1)
    }

    /// A wrong code, another terminal's code, a phone the registry lacks: all refused.
    @Test func authenticationFailures() throws {
        var c = Connection()
        let attempts = c.authentication("MW0000000000000000") + c.authentication(Self.auth.code(for: Self.other))
            + c.authentication(Self.auth.code(for: Self.stranger), phone: Self.stranger)
        let (replies, _) = try c.send(attempts)
        #expect(replies.map { $0.generalAck?.result } == [JT808AckResult.failure, JT808AckResult.failure,
                                                          JT808AckResult.failure])
        #expect(replies.map { $0.generalAck?.replySerial } == [1, 2, 3])
        #expect(!c.session.isAuthenticated && c.session.vehicle == -1)
        #expect(c.session.counts.failedAuthentications == 3)
    }

    @Test func messagesBeforeAuthenticationAreRefused() throws {
        var c = Connection()
        let (replies, fixes) = try c.send(c.location() + c.frame(JT808MessageID.heartbeat))
        #expect(fixes.isEmpty)
        #expect(replies.map { $0.generalAck?.result } == [JT808AckResult.failure, JT808AckResult.failure])
        #expect(c.session.counts.refusedUnauthenticated == 2)
    }

    @Test func locationsAfterAuthenticationBecomeFixesOfTheVehicle() throws {
        var c = Connection()
        try c.logIn()
        let batch = JT808BatchLocation(type: 0, reports: [Self.report(1), Self.report(2)]).encode()
        let (replies, fixes) = try c.send(c.location(0) + c.frame(JT808MessageID.batchLocation, batch)
                                          + c.frame(JT808MessageID.heartbeat))
        #expect(fixes.map(\.vehicle) == [7, 7, 7])
        #expect(fixes.map(\.time) == [1_795_183_200, 1_795_183_230, 1_795_183_260])
        #expect(fixes.map(\.lat) == [30.802884, 30.802885, 30.802886])
        #expect(replies.map(\.generalAck) == [
            JT808GeneralAck(replySerial: 3, replyMessageID: JT808MessageID.location, result: JT808AckResult.ok),
            JT808GeneralAck(replySerial: 4, replyMessageID: JT808MessageID.batchLocation, result: JT808AckResult.ok),
            JT808GeneralAck(replySerial: 5, replyMessageID: JT808MessageID.heartbeat, result: JT808AckResult.ok),
        ])
        // The platform's own serials count every reply of the connection.
        #expect(replies.map(\.header.serial) == [2, 3, 4])
        #expect(c.session.counts.fixes == 3 && c.session.counts.heartbeats == 1)
    }

    /// Bodies that cannot be read are answered "bad message"; other ids "unsupported";
    /// another phone on this connection "failure".
    @Test func badBodiesUnsupportedMessagesAndOtherPhones() throws {
        var c = Connection()
        try c.logIn()
        let bytes = c.location(latitude: 91_000_000) + c.frame(JT808MessageID.location, [0x00, 0x01])
            + c.frame(JT808MessageID.location, Self.report(0).encode(), encryption: 1)
            + c.frame(0x0900, [1, 2, 3]) + c.location(phone: Self.other)
        let (replies, fixes) = try c.send(bytes)
        #expect(fixes.isEmpty)
        #expect(replies.map { $0.generalAck?.result } == [JT808AckResult.badMessage, JT808AckResult.badMessage,
                                                          JT808AckResult.badMessage, JT808AckResult.unsupported,
                                                          JT808AckResult.failure])
        #expect(c.session.counts.malformed == 3 && c.session.counts.unsupported == 1)
        #expect(c.session.counts.refusedUnauthenticated == 1)
        #expect(c.session.isAuthenticated)
    }

    /// Damaged frames and garbage are counted, not answered, and cost nothing around them.
    @Test func badFramesAndGarbageAreCountedNotAnswered() throws {
        var c = Connection()
        try c.logIn()
        let first = c.location(0)
        var damaged = c.location(1)
        damaged[damaged.count - 2] ^= 0x01  // the check code
        let bytes = first + [0x41, 0x54, 0x0D] + damaged + c.location(2)
        let (replies, fixes) = try c.send(bytes)
        #expect(fixes.count == 2)
        #expect(replies.map { $0.generalAck?.replySerial } == [3, 5])
        #expect(c.session.counts.badFrames == 2)
    }

    @Test func terminalAcksAreNotAnswered() throws {
        var c = Connection()
        let ack = JT808GeneralAck(replySerial: 0, replyMessageID: JT808MessageID.platformGeneralAck).encode()
        #expect(try c.send(c.frame(JT808MessageID.terminalGeneralAck, ack)).replies.isEmpty)
        #expect(c.session.counts.frames == 1)
    }

    /// Each package of a subpackaged batch is acked; its fixes come once it is whole.
    @Test func subpackagedBatchIsReassembled() throws {
        var c = Connection()
        try c.logIn()
        let body = JT808BatchLocation(type: 0, reports: (0..<4).map { Self.report($0) }).encode()
        let half = body.count / 2
        let first = try c.send(c.frame(JT808MessageID.batchLocation, Array(body[..<half]),
                                       subpackage: JT808Subpackage(total: 2, index: 1)))
        #expect(first.fixes.isEmpty && first.replies.map { $0.generalAck?.result } == [JT808AckResult.ok])
        let second = try c.send(c.frame(JT808MessageID.batchLocation, Array(body[half...]),
                                        subpackage: JT808Subpackage(total: 2, index: 2)))
        #expect(second.fixes.count == 4 && second.replies.map { $0.generalAck?.result } == [JT808AckResult.ok])
    }

    /// Replies follow the terminal's edition.
    @Test func the2019EditionIsAnsweredIn2019() throws {
        var c = Connection()
        c.version = .v2019(protocolVersion: 1)
        try c.logIn()
        let (replies, fixes) = try c.send(c.location())
        #expect(fixes.count == 1)
        #expect(replies.first?.header.version == .v2019(protocolVersion: 1))
        #expect(replies.first?.generalAck?.result == JT808AckResult.ok)
    }

    /// Whatever the reads cut through, the conversation is the same.
    @Test(arguments: [1, 2, 7, 33])
    func readsOfAnySizeGiveTheSameConversation(readSize: Int) throws {
        func converse(_ readSize: Int) throws -> ([[UInt8]], [Int64], SessionCounts) {
            var c = Connection()
            var bytes = c.registration()
            bytes += c.authentication(Self.auth.code(for: Self.known)) + [0x7E, 0x00, 0x7E] + c.location(0)
            bytes += c.location(1) + c.frame(JT808MessageID.heartbeat) + c.location(2)
            let (replies, fixes) = try c.send(bytes, readSize: readSize)
            let encoded = replies.map { JT808Encoder.frame($0.header, body: Self.body($0.message)) }
            return (encoded, fixes.map(\.time), c.session.counts)
        }
        let whole = try converse(.max)
        let cut = try converse(readSize)
        #expect(whole.0.count == 6 && whole.1.count == 3 && whole.2.badFrames == 1)
        #expect(cut.0 == whole.0 && cut.1 == whole.1 && cut.2 == whole.2)
    }

    static func body(_ m: JT808Message) -> [UInt8] {
        switch m {
        case .platformGeneralAck(let a): a.encode()
        case .registrationAck(let a): a.encode()
        default: []
        }
    }

    /// A peer that never sends a flag is cut off; what it sent before is still handled.
    @Test func aRunWithoutFlagsOverflows() throws {
        var c = Connection()
        c.session = TerminalSession(terminals: [Self.known: 7], auth: Self.auth, maxRunBytes: 64)
        let bytes = c.registration() + [UInt8](repeating: 0x30, count: 65)
        var out: [UInt8] = []
        var fixes: [Fix] = []
        #expect(throws: JT808FrameSplitter.Overflow.runTooLong(runBytes: 65, maxRunBytes: 64)) {
            try bytes.withByteSpan { (b: ByteSpan) throws(JT808FrameSplitter.Overflow) in
                try c.session.receive(b, out: &out, fixes: &fixes)
            }
        }
        #expect(try Reply.all(in: out).compactMap(\.registrationAck).map(\.result) == [JT808RegistrationResult.ok])
    }
}
