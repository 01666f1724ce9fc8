import MuckWatchCore
import MuckWatchIngest
import MuckWatchJT808

/// Builds a terminal's JT/T 808 frames into reused scratch arrays, from location bodies
/// encoded once per script (`EncodedScript`): the same bytes as `JT808Encoder.frame`
/// (checked at start-up, `selfCheck`) without its three allocations per frame, so the
/// simulator spends its share of the 2 cores on the sockets, not on encoding.
struct FrameBuilder {
    /// The frames built since the last `reset` (escaped, with flags): one socket write.
    private(set) var out: [UInt8] = []
    private var raw: [UInt8] = []
    private var batch: [UInt8] = []

    init() {
        out.reserveCapacity(1024)
        raw.reserveCapacity(512)
        batch.reserveCapacity(512)
    }

    mutating func reset() { out.removeAll(keepingCapacity: true) }

    /// Appends one frame: `header` (body length set here), `body`, check code, escaped.
    mutating func append(_ header: JT808Header, body: [UInt8]) {
        var h = header
        h.bodyLength = body.count
        raw.removeAll(keepingCapacity: true)
        h.encode(into: &raw)
        raw.append(contentsOf: body)
        raw.append(JT808CheckCode.compute(raw))
        out.append(JT808Escaping.flag)
        JT808Escaping.escape(raw, into: &out)
        out.append(JT808Escaping.flag)
    }

    /// Appends one 0x0704 batch of already encoded 0x0200 bodies (`JT808BatchLocation`, type 0).
    mutating func appendBatch(_ header: JT808Header, reports: ArraySlice<[UInt8]>) {
        batch.removeAll(keepingCapacity: true)
        batch.appendU16(UInt16(reports.count))
        batch.append(0)
        for r in reports {
            batch.appendU16(UInt16(r.count))
            batch.append(contentsOf: r)
        }
        let body = batch
        append(header, body: body)
    }

    /// Fails loudly if the builder's bytes differ from the reference encoder's.
    static func selfCheck(fixes: [Fix], phone: JT808Phone) {
        var b = FrameBuilder()
        let bodies = fixes.prefix(5).map { JT808LocationReport(fix: $0).encode() }
        let h = JT808Header(messageID: JT808MessageID.location, phone: phone, serial: 0x7E7D)
        b.append(h, body: bodies[0])
        precondition(b.out == JT808Encoder.frame(h, body: JT808LocationReport(fix: fixes[0]).encode()),
                     "FrameBuilder: 0x0200 differs from JT808Encoder")
        b.reset()
        let hb = JT808Header(messageID: JT808MessageID.batchLocation, phone: phone, serial: 7)
        b.appendBatch(hb, reports: bodies[...])
        let reference = JT808BatchLocation(type: 0, reports: fixes.prefix(5).map { JT808LocationReport(fix: $0) }).encode()
        precondition(b.out == JT808Encoder.frame(hb, body: reference), "FrameBuilder: 0x0704 differs from JT808Encoder")
    }
}

private extension Array where Element == UInt8 {
    mutating func appendU16(_ v: UInt16) {
        append(UInt8(v >> 8))
        append(UInt8(v & 0xFF))
    }
}
