public import MuckWatchCore

/// Which edition of JT/T 808 a header follows (bit 14 of the body attributes says 2019).
public enum JT808Version: Equatable, Sendable {
    /// 2011/2013: 6-byte BCD phone, 12-byte header.
    case v2013
    /// 2019: protocol version byte (1 for the first 2019 revision) and a 10-byte BCD phone.
    case v2019(protocolVersion: UInt8)
}

/// Package total and 1-based index of a subpackaged (分包) message.
public struct JT808Subpackage: Equatable, Sendable {
    public var total: UInt16
    public var index: UInt16

    public init(total: UInt16, index: UInt16) {
        self.total = total
        self.index = index
    }
}

/// A JT/T 808 message header (消息头), 2013 or 2019.
///
/// Layout: message id u16; body attributes u16 (bits 0–9 body length, 10–12
/// encryption, 13 subpackage, 14 version flag in 2019); [2019: protocol version u8];
/// phone BCD[6] (2013) or BCD[10] (2019); serial u16; [subpackage: total u16, index u16].
public struct JT808Header: Equatable, Sendable {
    public var messageID: UInt16
    /// Body length in bytes (10 bits: at most 1023).
    public var bodyLength: Int
    /// Encryption bits 10–12 (0: none, bit 10 set: RSA).
    public var encryption: UInt8
    public var version: JT808Version
    public var phone: JT808Phone
    /// Message serial number (消息流水号), echoed by the platform's replies.
    public var serial: UInt16
    public var subpackage: JT808Subpackage?

    public init(messageID: UInt16, bodyLength: Int = 0, encryption: UInt8 = 0, version: JT808Version = .v2013,
                phone: JT808Phone, serial: UInt16, subpackage: JT808Subpackage? = nil) {
        self.messageID = messageID
        self.bodyLength = bodyLength
        self.encryption = encryption
        self.version = version
        self.phone = phone
        self.serial = serial
        self.subpackage = subpackage
    }

    public var is2019: Bool { if case .v2019 = version { return true } else { return false } }

    /// Header size in bytes for these attributes.
    public var byteCount: Int { Self.byteCount(attributes: attributes) }

    static func byteCount(attributes a: UInt16) -> Int {
        (a & 0x4000 != 0 ? 17 : 12) + (a & 0x2000 != 0 ? 4 : 0)
    }

    /// The body attributes word.
    public var attributes: UInt16 {
        var a = UInt16(bodyLength & 0x3FF) | UInt16(encryption & 0x7) << 10
        if subpackage != nil { a |= 0x2000 }
        if is2019 { a |= 0x4000 }
        return a
    }

    /// Reads a header from the start of an unescaped frame.
    public static func decode(_ b: ByteSpan) throws(JT808DecodeError) -> JT808Header {
        var r = JT808ByteReader(b)
        let id = try r.u16("message id")
        let a = try r.u16("body attributes")
        var version = JT808Version.v2013
        let phoneBytes: ByteSpan
        if a & 0x4000 != 0 {
            version = .v2019(protocolVersion: try r.u8("protocol version"))
            phoneBytes = try r.bytes(10, "terminal phone")
        } else {
            phoneBytes = try r.bytes(6, "terminal phone")
        }
        let serial = try r.u16("serial number")
        var sub: JT808Subpackage?
        if a & 0x2000 != 0 {
            let total = try r.u16("package total")
            let index = try r.u16("package index")
            sub = JT808Subpackage(total: total, index: index)
        }
        return JT808Header(messageID: id, bodyLength: Int(a & 0x3FF), encryption: UInt8(a >> 10 & 0x7), version: version,
                           phone: JT808Phone(bcd: phoneBytes), serial: serial, subpackage: sub)
    }

    public static func decode(_ b: [UInt8]) throws(JT808DecodeError) -> JT808Header {
        try b.withByteSpan { (p: ByteSpan) throws(JT808DecodeError) -> JT808Header in try decode(p) }
    }

    /// Appends the header bytes (unescaped).
    public func encode(into out: inout [UInt8]) {
        out.appendU16(messageID)
        out.appendU16(attributes)
        switch version {
        case .v2013:
            phone.appendBCD(count: 6, to: &out)
        case .v2019(let pv):
            out.append(pv)
            phone.appendBCD(count: 10, to: &out)
        }
        out.appendU16(serial)
        if let s = subpackage {
            out.appendU16(s.total)
            out.appendU16(s.index)
        }
    }
}
