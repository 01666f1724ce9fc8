import MuckWatchCore
@testable import MuckWatchJT808

/// Small builders shared by the JT/T 808 tests: every byte of a test capture is known.
enum JT808Fixtures {
    static func hex(_ s: String) -> [UInt8] {
        let c = Array(s.utf8.filter { $0 != 0x20 && $0 != 0x0A })
        return stride(from: 0, to: c.count, by: 2).map { UInt8(String(decoding: c[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
    }

    static let phone2013 = JT808Phone(digits: "013800000001")!
    static let phoneB = JT808Phone(digits: "40021679287")!

    static func header(_ id: UInt16, phone: JT808Phone = phone2013, serial: UInt16 = 1,
                       version: JT808Version = .v2013) -> JT808Header {
        JT808Header(messageID: id, version: version, phone: phone, serial: serial)
    }

    /// 2026-11-20 22:00:00 +08:00 plus `seconds`.
    static func time(_ seconds: Int64 = 0) -> JT808Time {
        JT808Time(unixSeconds: 1_795_183_200 + seconds)
    }

    static func report(_ k: Int = 0, lat: UInt32 = 30_802_884, lon: UInt32 = 108_381_426, status: UInt32 = 0x2,
                       lift: UInt8? = nil, lid: UInt8? = nil, load: UInt16? = nil) -> JT808LocationReport {
        JT808LocationReport(status: status, latitude: lat + UInt32(k), longitude: lon, altitude: 200, speed: 626,
                            direction: 23, time: time(Int64(k) * 30), lift: lift, lid: lid, loadCell: load)
    }

    static func locationFrame(_ r: JT808LocationReport, phone: JT808Phone = phone2013, serial: UInt16 = 1,
                              version: JT808Version = .v2013) -> [UInt8] {
        JT808Encoder.frame(header(JT808MessageID.location, phone: phone, serial: serial, version: version), body: r.encode())
    }

    static let registry = ["13800000001": "渝F12345", "40021679287": "渝F23456"]

    struct Decoded {
        var summary: JT808ReadSummary
        var fixes: [Fix]
        var rejects: [Reject]
        var plates: PlateTable
    }

    static func read(_ bytes: [UInt8], terminals: [String: String] = registry) -> Decoded {
        var plates = PlateTable()
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        let s = JT808CaptureReader.read(bytes, path: "cap.bin", fileIndex: 3, terminals: terminals, plates: &plates,
                                        fixes: &fixes, rejects: &rejects)
        return Decoded(summary: s, fixes: fixes, rejects: rejects, plates: plates)
    }

    /// Raw header+body with its check code (unescaped, no flags), and that check code.
    static func raw(_ header: JT808Header, body: [UInt8]) -> [UInt8] {
        var h = header
        h.bodyLength = body.count
        var out: [UInt8] = []
        h.encode(into: &out)
        out += body
        out.append(JT808CheckCode.compute(out))
        return out
    }

    /// A flagged, escaped frame from raw (unescaped, checked) bytes.
    static func wrap(_ raw: [UInt8]) -> [UInt8] {
        [0x7E] + JT808Escaping.escape(raw) + [0x7E]
    }
}

extension Array where Element == BadFrame {
    var kindsAndOffsets: [String] { map { "\($0.kind.rawValue)@\($0.offset)" } }
}
