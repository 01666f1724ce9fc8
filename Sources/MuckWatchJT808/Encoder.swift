/// Builds complete frames: header (with the body length filled in), body, check code,
/// escaping and both 0x7e flags. Used for the platform's replies and by tests to make
/// captures whose every byte is known.
public enum JT808Encoder {
    /// The largest body the 10-bit length field can state.
    public static let maxBodyLength = 1023

    /// One frame; `header.bodyLength` is set from `body` (which must fit 1023 bytes).
    public static func frame(_ header: JT808Header, body: [UInt8]) -> [UInt8] {
        precondition(body.count <= maxBodyLength, "JT/T 808 body of \(body.count) bytes: subpackage it")
        var h = header
        h.bodyLength = body.count
        var raw: [UInt8] = []
        raw.reserveCapacity(h.byteCount + body.count + 1)
        h.encode(into: &raw)
        raw.append(contentsOf: body)
        raw.append(JT808CheckCode.compute(raw))
        var out: [UInt8] = [JT808Escaping.flag]
        JT808Escaping.escape(raw, into: &out)
        out.append(JT808Escaping.flag)
        return out
    }

    /// Splits a long body into `ceil(count / packageSize)` subpackaged frames (total and
    /// 1-based index in each header), serials counting up from `header.serial`.
    public static func subpackages(_ header: JT808Header, body: [UInt8], packageSize: Int = maxBodyLength) -> [[UInt8]] {
        precondition(packageSize > 0 && packageSize <= maxBodyLength)
        let total = max(1, (body.count + packageSize - 1) / packageSize)
        var frames: [[UInt8]] = []
        for k in 0..<total {
            var h = header
            h.serial = header.serial &+ UInt16(truncatingIfNeeded: k)
            h.subpackage = JT808Subpackage(total: UInt16(total), index: UInt16(k + 1))
            let part = Array(body[(k * packageSize)..<min(body.count, (k + 1) * packageSize)])
            frames.append(frame(h, body: part))
        }
        return frames
    }

    /// 0x8001 platform general response to a terminal message, in the terminal's edition.
    public static func generalAck(to terminal: JT808Header, result: UInt8 = 0, serial: UInt16) -> [UInt8] {
        let body = JT808GeneralAck(replySerial: terminal.serial, replyMessageID: terminal.messageID, result: result).encode()
        return frame(reply(JT808MessageID.platformGeneralAck, to: terminal, serial: serial), body: body)
    }

    /// 0x8100 registration response; the auth code is sent only when `result` is 0.
    public static func registrationAck(to terminal: JT808Header, result: UInt8 = 0, authCode: String?,
                                       serial: UInt16) -> [UInt8] {
        let body = JT808RegistrationAck(replySerial: terminal.serial, result: result, authCode: authCode).encode()
        return frame(reply(JT808MessageID.registrationAck, to: terminal, serial: serial), body: body)
    }

    static func reply(_ id: UInt16, to terminal: JT808Header, serial: UInt16) -> JT808Header {
        JT808Header(messageID: id, version: terminal.version, phone: terminal.phone, serial: serial)
    }
}
