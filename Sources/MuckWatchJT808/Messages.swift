public import MuckWatchCore

/// Message ids MuckWatch reads or writes.
public enum JT808MessageID {
    public static let terminalGeneralAck: UInt16 = 0x0001
    public static let heartbeat: UInt16 = 0x0002
    public static let registration: UInt16 = 0x0100
    public static let authentication: UInt16 = 0x0102
    public static let location: UInt16 = 0x0200
    public static let batchLocation: UInt16 = 0x0704
    public static let platformGeneralAck: UInt16 = 0x8001
    public static let registrationAck: UInt16 = 0x8100
}

/// 0x0100 terminal registration (终端注册). 2013 widths: maker 5, model 20, terminal id
/// 7; 2019: 11, 30, 30. Text fields are NUL-padded; the plate (GBK) runs to the end.
public struct JT808Registration: Equatable, Sendable {
    public var province: UInt16
    public var city: UInt16
    public var makerID: String
    public var model: String
    public var terminalID: String
    /// 0 when the vehicle is not yet plated (then `plate` holds the VIN).
    public var plateColor: UInt8
    public var plate: String

    public init(province: UInt16, city: UInt16, makerID: String, model: String, terminalID: String,
                plateColor: UInt8, plate: String) {
        self.province = province
        self.city = city
        self.makerID = makerID
        self.model = model
        self.terminalID = terminalID
        self.plateColor = plateColor
        self.plate = plate
    }

    static func widths(_ is2019: Bool) -> (maker: Int, model: Int, terminal: Int) {
        is2019 ? (11, 30, 30) : (5, 20, 7)
    }

    public static func decode(_ b: ByteSpan, is2019: Bool) throws(JT808DecodeError) -> JT808Registration {
        let w = widths(is2019)
        var r = JT808ByteReader(b)
        let province = try r.u16("province")
        let city = try r.u16("city")
        let maker = JT808Text.decode(try r.bytes(w.maker, "maker id"))
        let model = JT808Text.decode(try r.bytes(w.model, "terminal model"))
        let terminal = JT808Text.decode(try r.bytes(w.terminal, "terminal id"))
        let color = try r.u8("plate colour")
        let plate = JT808Text.decode(r.rest())
        return JT808Registration(province: province, city: city, makerID: maker, model: model, terminalID: terminal,
                                 plateColor: color, plate: plate)
    }

    public func encode(is2019: Bool) -> [UInt8] {
        let w = Self.widths(is2019)
        var out: [UInt8] = []
        out.appendU16(province)
        out.appendU16(city)
        out.append(contentsOf: JT808Text.fixed(makerID, w.maker))
        out.append(contentsOf: JT808Text.fixed(model, w.model))
        out.append(contentsOf: JT808Text.fixed(terminalID, w.terminal))
        out.append(plateColor)
        out.append(contentsOf: JT808Text.encode(plate))
        return out
    }
}

/// 0x0102 terminal authentication (终端鉴权). 2013: the whole body is the auth code;
/// 2019: code length u8, code, IMEI BYTE[15], software version BYTE[20].
public struct JT808Authentication: Equatable, Sendable {
    public var code: String
    public var imei: String?
    public var softwareVersion: String?

    public init(code: String, imei: String? = nil, softwareVersion: String? = nil) {
        self.code = code
        self.imei = imei
        self.softwareVersion = softwareVersion
    }

    public static func decode(_ b: ByteSpan, is2019: Bool) throws(JT808DecodeError) -> JT808Authentication {
        var r = JT808ByteReader(b)
        guard is2019 else { return JT808Authentication(code: JT808Text.decode(r.rest())) }
        let n = Int(try r.u8("auth code length"))
        let code = JT808Text.decode(try r.bytes(n, "auth code"))
        let imei = JT808Text.decode(try r.bytes(15, "IMEI"))
        let sw = JT808Text.decode(try r.bytes(20, "software version"))
        return JT808Authentication(code: code, imei: imei, softwareVersion: sw)
    }

    public func encode(is2019: Bool) -> [UInt8] {
        let c = JT808Text.encode(code)
        guard is2019 else { return c }
        var out: [UInt8] = [UInt8(min(c.count, 255))]
        out.append(contentsOf: c.prefix(255))
        out.append(contentsOf: JT808Text.fixed(imei ?? "", 15))
        out.append(contentsOf: JT808Text.fixed(softwareVersion ?? "", 20))
        return out
    }
}

/// 0x8001 platform general response (平台通用应答), same layout as the terminal's 0x0001:
/// reply serial u16, reply message id u16, result u8 (0 ok, 1 failure, 2 bad message,
/// 3 unsupported, 4 alarm acknowledged).
public struct JT808GeneralAck: Equatable, Sendable {
    public var replySerial: UInt16
    public var replyMessageID: UInt16
    public var result: UInt8

    public init(replySerial: UInt16, replyMessageID: UInt16, result: UInt8 = 0) {
        self.replySerial = replySerial
        self.replyMessageID = replyMessageID
        self.result = result
    }

    public static func decode(_ b: ByteSpan) throws(JT808DecodeError) -> JT808GeneralAck {
        var r = JT808ByteReader(b)
        return JT808GeneralAck(replySerial: try r.u16("reply serial"), replyMessageID: try r.u16("reply message id"),
                               result: try r.u8("result"))
    }

    /// Body length: reply serial, reply message id, result.
    public static let byteCount = 5

    public func encode() -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    /// Appends the body (the gateway's acks are written straight into a reused buffer).
    public func encode(into out: inout [UInt8]) {
        out.appendU16(replySerial)
        out.appendU16(replyMessageID)
        out.append(result)
    }
}

/// 0x8100 registration response (终端注册应答): reply serial u16, result u8 (0 ok,
/// 1 vehicle already registered, 2 no such vehicle, 3 terminal already registered,
/// 4 no such terminal), then the auth code (only on success) to the end of the body.
public struct JT808RegistrationAck: Equatable, Sendable {
    public var replySerial: UInt16
    public var result: UInt8
    public var authCode: String?

    public init(replySerial: UInt16, result: UInt8, authCode: String?) {
        self.replySerial = replySerial
        self.result = result
        self.authCode = authCode
    }

    public static func decode(_ b: ByteSpan) throws(JT808DecodeError) -> JT808RegistrationAck {
        var r = JT808ByteReader(b)
        let serial = try r.u16("reply serial")
        let result = try r.u8("result")
        let code = r.remaining > 0 ? JT808Text.decode(r.rest()) : nil
        return JT808RegistrationAck(replySerial: serial, result: result, authCode: result == 0 ? code : nil)
    }

    public func encode() -> [UInt8] {
        var out: [UInt8] = []
        out.appendU16(replySerial)
        out.append(result)
        if result == 0, let c = authCode { out.append(contentsOf: JT808Text.encode(c)) }
        return out
    }
}

/// A decoded message body, by message id.
public enum JT808Message: Equatable, Sendable {
    case location(JT808LocationReport)
    case batchLocation(JT808BatchLocation)
    case heartbeat
    case registration(JT808Registration)
    case authentication(JT808Authentication)
    case terminalGeneralAck(JT808GeneralAck)
    case platformGeneralAck(JT808GeneralAck)
    case registrationAck(JT808RegistrationAck)
    /// Any other message id: the body as sent.
    case other(messageID: UInt16, body: [UInt8])

    /// Decodes a complete (reassembled, unencrypted) body for its header.
    public static func decode(header: JT808Header, body: [UInt8]) throws(JT808DecodeError) -> JT808Message {
        try body.withByteSpan { (b: ByteSpan) throws(JT808DecodeError) -> JT808Message in
            switch header.messageID {
            case JT808MessageID.location: return .location(try JT808LocationReport.decode(b))
            case JT808MessageID.batchLocation: return .batchLocation(try JT808BatchLocation.decode(body))
            case JT808MessageID.heartbeat: return .heartbeat
            case JT808MessageID.registration: return .registration(try JT808Registration.decode(b, is2019: header.is2019))
            case JT808MessageID.authentication:
                return .authentication(try JT808Authentication.decode(b, is2019: header.is2019))
            case JT808MessageID.terminalGeneralAck: return .terminalGeneralAck(try JT808GeneralAck.decode(b))
            case JT808MessageID.platformGeneralAck: return .platformGeneralAck(try JT808GeneralAck.decode(b))
            case JT808MessageID.registrationAck: return .registrationAck(try JT808RegistrationAck.decode(b))
            default: return .other(messageID: header.messageID, body: body)
            }
        }
    }
}
