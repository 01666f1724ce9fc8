/// Complete frames as new arrays: for tests (captures whose every byte is known), tools
/// and replies sent once. Each is a fresh `JT808FrameWriter` used once, so these bytes
/// and the gateway's are written by the same code.
public enum JT808Encoder {
    /// The largest body the 10-bit length field can state.
    public static let maxBodyLength = 1023

    /// One frame; `header.bodyLength` is set from `body` (which must fit 1023 bytes).
    public static func frame(_ header: JT808Header, body: [UInt8]) -> [UInt8] {
        written { $0.append(header, body: body, to: &$1) }
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
        written { $0.appendGeneralAck(to: terminal, result: result, serial: serial, to: &$1) }
    }

    /// 0x8100 registration response; the auth code is sent only when `result` is 0.
    public static func registrationAck(to terminal: JT808Header, result: UInt8 = 0, authCode: String?,
                                       serial: UInt16) -> [UInt8] {
        written { $0.appendRegistrationAck(to: terminal, result: result, authCode: authCode, serial: serial, to: &$1) }
    }

    private static func written(_ write: (inout JT808FrameWriter, inout [UInt8]) -> Void) -> [UInt8] {
        var writer = JT808FrameWriter()
        var out: [UInt8] = []
        write(&writer, &out)
        return out
    }
}
