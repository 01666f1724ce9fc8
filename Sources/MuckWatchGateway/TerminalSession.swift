import MuckWatchCore
import MuckWatchJT808

/// Result codes of the platform's 0x8001 general response.
public enum JT808AckResult {
    public static let ok: UInt8 = 0
    /// Refused: not authenticated, wrong auth code, or another terminal's phone.
    public static let failure: UInt8 = 1
    /// The body does not fit its message (short, items overrunning, bad BCD time, encrypted).
    public static let badMessage: UInt8 = 2
    /// A message id the gateway does not handle.
    public static let unsupported: UInt8 = 3
}

/// Result codes of the 0x8100 registration response that the gateway sends.
public enum JT808RegistrationResult {
    public static let ok: UInt8 = 0
    /// The terminal's phone is not in the vehicle registry (无该车辆).
    public static let noSuchVehicle: UInt8 = 2
}

/// What one connection has seen, added into the gateway's totals after every read.
public struct SessionCounts: Sendable, Equatable {
    public var frames = 0
    public var badFrames = 0
    public var fixes = 0
    public var heartbeats = 0
    public var registrations = 0
    public var refusedRegistrations = 0
    public var authentications = 0
    public var failedAuthentications = 0
    /// Messages refused because the connection had not authenticated (or spoke for another phone).
    public var refusedUnauthenticated = 0
    public var malformed = 0
    public var unsupported = 0

    public init() {}

    public static func += (a: inout SessionCounts, b: SessionCounts) {
        a.frames += b.frames
        a.badFrames += b.badFrames
        a.fixes += b.fixes
        a.heartbeats += b.heartbeats
        a.registrations += b.registrations
        a.refusedRegistrations += b.refusedRegistrations
        a.authentications += b.authentications
        a.failedAuthentications += b.failedAuthentications
        a.refusedUnauthenticated += b.refusedUnauthenticated
        a.malformed += b.malformed
        a.unsupported += b.unsupported
    }
}

/// The message a fix came in: what the journal records beside the terminal's phone.
struct FixOrigin {
    var messageID: UInt16
    var serial: UInt16
}

/// The JT/T 808 conversation of one TCP connection, without any networking: the bytes
/// a read brought in, reply bytes and fixes out. Kept apart from the channel handler so
/// the protocol rules (what is acked, refused, or closes the connection) read in one
/// place, and can be driven byte by byte in tests.
///
/// Rules: 0x0100 from a registered terminal → 0x8100 ok with its auth code; from an
/// unknown phone → 0x8100 "no such vehicle", the connection is refused (nothing after
/// that is read) and closes. 0x0102 with the right code authenticates the connection
/// for that phone (0x8001 ok), else 0x8001 failure. Before that, every other message
/// gets 0x8001 failure and is dropped. Afterwards 0x0200 and 0x0704 become fixes,
/// 0x0002 is a heartbeat, each answered by a 0x8001 (subpackages each acked). Frames
/// that fail validation, and garbage between frames, are counted, not answered.
struct TerminalSession {
    let terminals: [JT808Phone: Int32]
    let auth: AuthCodes
    /// The phone the connection authenticated for (nil before).
    private(set) var phone: JT808Phone?
    /// That phone's vehicle (-1 before): whose analysis shard the fixes go to.
    private(set) var vehicle: Int32 = -1
    /// A registration was refused: the replies written so far are the last.
    private(set) var isRefused = false
    private var splitter: JT808FrameSplitter
    private var serial: UInt16 = 0
    private var reassembler = JT808Reassembler()
    private var replies = JT808FrameWriter()
    var counts = SessionCounts()
    /// For each fix appended by `receive`, the message that carried it (the journal's
    /// record of it); the caller empties it with the fixes.
    var origins: [FixOrigin] = []

    /// - Parameter maxRunBytes: the most bytes accepted without a 0x7e before the stream is refused.
    init(terminals: [JT808Phone: Int32], auth: AuthCodes, maxRunBytes: Int) {
        self.terminals = terminals
        self.auth = auth
        splitter = JT808FrameSplitter(maxRunBytes: maxRunBytes)
    }

    var isAuthenticated: Bool { phone != nil }

    /// Takes the next bytes of the connection: appends replies to `out` and fixes to
    /// `fixes` for every frame they complete. Throws when the stream runs too long
    /// without a flag (after handling the frames before); check `isRefused` either way.
    mutating func receive(_ bytes: ByteSpan, out: inout [UInt8], fixes: inout [Fix])
        throws(JT808FrameSplitter.Overflow) {
        // The splitter is lent out while its pieces are handled (they mutate the session).
        var splitter = JT808FrameSplitter(maxRunBytes: 0)
        swap(&splitter, &self.splitter)
        defer { swap(&splitter, &self.splitter) }
        try splitter.push(bytes) { piece in
            guard !isRefused else { return }
            guard piece.kind == .frame else {
                counts.badFrames += 1
                return
            }
            handle(piece.bytes, out: &out, fixes: &fixes)
        }
    }

    private mutating func nextSerial() -> UInt16 {
        defer { serial &+= 1 }
        return serial
    }

    /// Handles one frame candidate (escaped, no flags).
    private mutating func handle(_ escaped: ByteSpan, out: inout [UInt8], fixes: inout [Fix]) {
        let frame: JT808Frame
        do throws(JT808FrameError) { frame = try JT808Frame.decode(escaped) } catch {
            counts.badFrames += 1
            return
        }
        counts.frames += 1
        let h = frame.header
        func ack(_ result: UInt8) {
            let serial = nextSerial()
            replies.appendGeneralAck(to: h, result: result, serial: serial, to: &out)
        }
        switch h.messageID {
        case JT808MessageID.registration:
            register(frame, out: &out)
            return
        case JT808MessageID.authentication:
            ack(authenticate(frame))
            return
        case JT808MessageID.terminalGeneralAck:
            return  // an answer to us: nothing to answer
        default:
            break
        }
        guard let phone, h.phone == phone else {
            counts.refusedUnauthenticated += 1
            ack(JT808AckResult.failure)
            return
        }
        switch h.messageID {
        case JT808MessageID.heartbeat:
            counts.heartbeats += 1
            ack(JT808AckResult.ok)
        case JT808MessageID.location, JT808MessageID.batchLocation:
            guard h.encryption == 0 else {
                counts.malformed += 1
                ack(JT808AckResult.badMessage)
                return
            }
            ack(locations(frame, fixes: &fixes))
        default:
            counts.unsupported += 1
            ack(JT808AckResult.unsupported)
        }
    }

    private mutating func register(_ frame: JT808Frame, out: inout [UInt8]) {
        let h = frame.header
        guard terminals[h.phone] != nil else {
            counts.refusedRegistrations += 1
            replies.appendRegistrationAck(to: h, result: JT808RegistrationResult.noSuchVehicle, authCode: nil,
                                          serial: nextSerial(), to: &out)
            isRefused = true
            return
        }
        counts.registrations += 1
        replies.appendRegistrationAck(to: h, result: JT808RegistrationResult.ok, authCode: auth.code(for: h.phone),
                                      serial: nextSerial(), to: &out)
    }

    /// Checks the auth code; returns the ack result.
    private mutating func authenticate(_ frame: JT808Frame) -> UInt8 {
        let h = frame.header
        let message = try? JT808Message.decode(header: h, body: frame.body)
        guard case .authentication(let a)? = message, let v = terminals[h.phone], a.code == auth.code(for: h.phone) else {
            counts.failedAuthentications += 1
            return JT808AckResult.failure
        }
        counts.authentications += 1
        phone = h.phone
        vehicle = v
        return JT808AckResult.ok
    }

    /// The fixes of a 0x0200 or 0x0704 (reassembling subpackages); returns the ack result.
    private mutating func locations(_ frame: JT808Frame, fixes: inout [Fix]) -> UInt8 {
        var header = frame.header
        var body = frame.body
        if let sub = header.subpackage {
            guard sub.index >= 1, sub.index <= sub.total else {
                counts.malformed += 1
                return JT808AckResult.badMessage
            }
            let whole = body.withByteSpan { reassembler.add(header: header, offset: 0, body: $0) }
            guard let whole else { return JT808AckResult.ok }  // this package is acked; the message is not whole yet
            header = whole.header
            body = whole.body
        }
        let reports: [JT808LocationReport]
        do throws(JT808DecodeError) {
            switch try JT808Message.decode(header: header, body: body) {
            case .location(let r): reports = [r]
            case .batchLocation(let b): reports = b.reports
            default: reports = []
            }
        } catch {
            counts.malformed += 1
            return JT808AckResult.badMessage
        }
        var result = JT808AckResult.ok
        let origin = FixOrigin(messageID: header.messageID, serial: header.serial)
        for r in reports {
            guard r.rangeProblem == nil else {
                counts.malformed += 1
                result = JT808AckResult.badMessage
                continue
            }
            fixes.append(r.fix(vehicle: vehicle))
            origins.append(origin)
            counts.fixes += 1
        }
        return result
    }
}
