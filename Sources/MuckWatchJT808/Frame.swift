public import MuckWatchCore

/// Why one frame was refused: the kind (for counting) and specifics (for people).
public struct JT808FrameError: Error, Equatable, Sendable, CustomStringConvertible {
    public var kind: BadFrameKind
    public var messageID: UInt16?
    public var detail: String

    public init(kind: BadFrameKind, messageID: UInt16?, detail: String) {
        self.kind = kind
        self.messageID = messageID
        self.detail = detail
    }

    public var description: String { "\(kind.rawValue): \(detail)" }
}

/// One well-formed frame: header and (unescaped) body; the check code has been verified.
public struct JT808Frame: Equatable, Sendable {
    public var header: JT808Header
    public var body: [UInt8]

    public init(header: JT808Header, body: [UInt8]) {
        self.header = header
        self.body = body
    }

    /// Decodes one escaped frame, with or without its 0x7e flags.
    public static func decode(_ escaped: [UInt8]) throws(JT808FrameError) -> JT808Frame {
        try escaped.withByteSpan { (b: ByteSpan) throws(JT808FrameError) -> JT808Frame in try decode(b) }
    }

    /// Decodes one escaped frame in place (a splitter's piece), with or without its flags.
    public static func decode(_ escaped: ByteSpan) throws(JT808FrameError) -> JT808Frame {
        var lo = 0, hi = escaped.count
        if lo < hi, escaped[lo] == JT808Escaping.flag { lo += 1 }
        let closed = hi > lo && escaped[hi - 1] == JT808Escaping.flag
        if closed { hi -= 1 }
        var u: [UInt8] = []
        let problem = JT808Escaping.unescape(escaped.extracting(lo..<hi), into: &u)
        return try u.withByteSpan { (b: ByteSpan) throws(JT808FrameError) -> JT808Frame in
            let (header, range) = try validate(b, escapeProblem: problem, closed: closed)
            return JT808Frame(header: header, body: Array(b.extracting(range)))
        }
    }

    /// Checks an unescaped frame's length against its header and its check code, in the
    /// order that names the damage best: a frame cut short is `truncated` (its check code
    /// fails too, but that is a consequence), then escapes, extra bytes, check code.
    static func validate(_ u: ByteSpan, escapeProblem: JT808Escaping.Problem?, closed: Bool)
        throws(JT808FrameError) -> (JT808Header, Range<Int>) {
        let n = u.count
        let id: UInt16? = n >= 2 ? u.u16BE(at: 0) : nil
        let cut = closed ? "" : ", no closing 0x7e"
        guard n >= 4 else {
            throw JT808FrameError(kind: .truncated, messageID: id, detail: "only \(n) bytes, shorter than any header\(cut)")
        }
        let attr = u.u16BE(at: 2)
        let hl = JT808Header.byteCount(attributes: attr)
        let bl = Int(attr & 0x3FF)
        let expected = hl + bl + 1
        if n < expected {
            throw JT808FrameError(kind: .truncated, messageID: id,
                                  detail: "\(n) of \(expected) bytes (header \(hl), body \(bl), check code 1)\(cut)")
        }
        switch escapeProblem {
        case .badSequence(let i, let byte)?:
            throw JT808FrameError(kind: .badEscape, messageID: id,
                                  detail: "0x7d followed by 0x\(JT808Hex.byte(byte)) at escaped byte \(i + 1) of the frame")
        case .danglingEscape?:
            throw JT808FrameError(kind: .badEscape, messageID: id, detail: "frame ends inside an escape (last byte 0x7d)")
        case nil: break
        }
        if n > expected {
            throw JT808FrameError(kind: .lengthMismatch, messageID: id,
                                  detail: "header says a \(bl)-byte body, frame holds \(n - hl - 1)")
        }
        let sent = u[n - 1]
        let computed = JT808CheckCode.compute(u.extracting(0..<(n - 1)))
        if sent != computed {
            throw JT808FrameError(kind: .badCheck, messageID: id,
                                  detail: "check code 0x\(JT808Hex.byte(sent)), computed 0x\(JT808Hex.byte(computed))")
        }
        let header: JT808Header
        do throws(JT808DecodeError) { header = try JT808Header.decode(u) } catch {
            throw JT808FrameError(kind: .truncated, messageID: id, detail: error.description)
        }
        return (header, hl..<(hl + bl))
    }
}
