import MuckWatchIngest

/// Encodes the gateway's 0x8001 general responses straight into a connection's reply
/// bytes: the same bytes as `JT808Encoder.generalAck` (a test compares them) without its
/// allocations per reply (body, header, the phone's BCD, the unescaped and escaped
/// frames), since every location frame is answered by one.
struct ReplyEncoder {
    /// The unescaped frame being built (reused).
    private var raw: [UInt8] = []

    init() { raw.reserveCapacity(64) }

    /// Appends a 0x8001 answering `terminal` (in the terminal's edition) to `out`.
    mutating func generalAck(to terminal: JT808Header, result: UInt8, serial: UInt16, into out: inout [UInt8]) {
        var h = JT808Header(messageID: JT808MessageID.platformGeneralAck, version: terminal.version,
                            phone: terminal.phone, serial: serial)
        h.bodyLength = 5
        raw.removeAll(keepingCapacity: true)
        appendU16(h.messageID)
        appendU16(h.attributes)
        switch h.version {
        case .v2013:
            appendBCD(h.phone, count: 6)
        case .v2019(let protocolVersion):
            raw.append(protocolVersion)
            appendBCD(h.phone, count: 10)
        }
        appendU16(serial)
        appendU16(terminal.serial)
        appendU16(terminal.messageID)
        raw.append(result)
        var check: UInt8 = 0
        for b in raw { check ^= b }
        raw.append(check)
        out.append(JT808Escaping.flag)
        for c in raw {
            if c == JT808Escaping.flag {
                out.append(JT808Escaping.escape)
                out.append(0x02)
            } else if c == JT808Escaping.escape {
                out.append(JT808Escaping.escape)
                out.append(0x01)
            } else {
                out.append(c)
            }
        }
        out.append(JT808Escaping.flag)
    }

    private mutating func appendU16(_ v: UInt16) {
        raw.append(UInt8(v >> 8))
        raw.append(UInt8(truncatingIfNeeded: v))
    }

    /// `JT808Phone.bcd(count:)` without its array: byte k from the end is the k-th byte of
    /// `low` (k < 8), then of `high`.
    private mutating func appendBCD(_ phone: JT808Phone, count: Int) {
        for i in 0..<count {
            let k = count - 1 - i
            if k >= 10 {
                raw.append(0)
            } else if k < 8 {
                raw.append(UInt8(truncatingIfNeeded: phone.low >> UInt64(k * 8)))
            } else {
                raw.append(UInt8(truncatingIfNeeded: phone.high >> UInt16((k - 8) * 8)))
            }
        }
    }
}
