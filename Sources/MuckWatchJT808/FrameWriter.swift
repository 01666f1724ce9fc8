/// Writes complete frames into a caller's buffer: header (body length filled in), body,
/// check code, escaping and both 0x7e flags, the one place these are put together.
/// The unescaped frame is built in storage the writer keeps, so a connection answering
/// every location frame with a 0x8001 allocates nothing per reply; `JT808Encoder`'s
/// array-returning functions are this writer used once.
public struct JT808FrameWriter {
    /// The unescaped frame being built (reused).
    private var raw: [UInt8] = []

    public init() {
        raw.reserveCapacity(64)
    }

    /// Appends one frame; `header.bodyLength` is set from `body` (which must fit 1023 bytes).
    public mutating func append(_ header: JT808Header, body: [UInt8], to out: inout [UInt8]) {
        precondition(body.count <= JT808Encoder.maxBodyLength, "JT/T 808 body of \(body.count) bytes: subpackage it")
        append(header, bodyLength: body.count, to: &out) { $0.append(contentsOf: body) }
    }

    /// Appends a 0x8001 platform general response to a terminal message, in the terminal's edition.
    public mutating func appendGeneralAck(to terminal: JT808Header, result: UInt8, serial: UInt16,
                                          to out: inout [UInt8]) {
        let ack = JT808GeneralAck(replySerial: terminal.serial, replyMessageID: terminal.messageID, result: result)
        append(Self.reply(JT808MessageID.platformGeneralAck, to: terminal, serial: serial),
               bodyLength: JT808GeneralAck.byteCount, to: &out) { ack.encode(into: &$0) }
    }

    /// Appends a 0x8100 registration response; the auth code is sent only when `result` is 0.
    public mutating func appendRegistrationAck(to terminal: JT808Header, result: UInt8, authCode: String?,
                                               serial: UInt16, to out: inout [UInt8]) {
        let body = JT808RegistrationAck(replySerial: terminal.serial, result: result, authCode: authCode).encode()
        append(Self.reply(JT808MessageID.registrationAck, to: terminal, serial: serial), body: body, to: &out)
    }

    /// A reply's header: the terminal's edition and phone, the platform's serial.
    static func reply(_ id: UInt16, to terminal: JT808Header, serial: UInt16) -> JT808Header {
        JT808Header(messageID: id, version: terminal.version, phone: terminal.phone, serial: serial)
    }

    /// Header, the body `writeBody` appends (exactly `bodyLength` bytes), check code,
    /// escaped between flags.
    private mutating func append(_ header: JT808Header, bodyLength: Int, to out: inout [UInt8],
                                 writeBody: (inout [UInt8]) -> Void) {
        var h = header
        h.bodyLength = bodyLength
        raw.removeAll(keepingCapacity: true)
        h.encode(into: &raw)
        writeBody(&raw)
        raw.append(JT808CheckCode.compute(raw))
        out.append(JT808Escaping.flag)
        JT808Escaping.escape(raw, into: &out)
        out.append(JT808Escaping.flag)
    }
}
