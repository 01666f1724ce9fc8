public import MuckWatchCore

/// Joins subpackaged (分包) messages: packages are keyed by (phone, message id, total)
/// and the body is released once every index 1…total has arrived, in index order.
/// A package sent again replaces the earlier copy (terminals resend on 0x8003).
public struct JT808Reassembler {
    public struct Key: Hashable, Sendable {
        public var phone: JT808Phone
        public var messageID: UInt16
        public var total: UInt16
    }

    /// A message whose packages have all arrived.
    public struct Complete: Sendable {
        public var header: JT808Header
        /// Capture offset of package 1 (where the message starts).
        public var offset: Int
        public var body: [UInt8]
    }

    /// What never completed: the packages 1…k that did arrive in a row (enough to salvage
    /// the complete items of a 0x0704), and how many of `total` arrived at all.
    public struct Incomplete: Sendable {
        public var header: JT808Header
        public var offset: Int
        public var received: Int
        public var total: Int
        public var prefixBody: [UInt8]
    }

    struct Pending {
        var header: JT808Header
        var offsets: [UInt16: Int] = [:]
        var parts: [UInt16: [UInt8]] = [:]
    }

    var pending: [Key: Pending] = [:]
    /// Keys in first-seen order, so leftovers are reported deterministically.
    var order: [Key] = []

    public init() {}

    /// Adds one package; returns the whole message when this package completes it.
    /// The caller has checked `1 <= index <= total`.
    public mutating func add(header: JT808Header, offset: Int, body: ByteSpan) -> Complete? {
        guard let sub = header.subpackage else { return Complete(header: header, offset: offset, body: Array(body)) }
        let key = Key(phone: header.phone, messageID: header.messageID, total: sub.total)
        if pending[key] == nil {
            pending[key] = Pending(header: header)
            order.append(key)
        }
        pending[key]!.parts[sub.index] = Array(body)
        pending[key]!.offsets[sub.index] = offset
        if sub.index == 1 { pending[key]!.header = header }
        guard pending[key]!.parts.count == Int(sub.total) else { return nil }
        let p = pending.removeValue(forKey: key)!
        order.removeAll { $0 == key }
        var whole: [UInt8] = []
        for k in 1...sub.total { whole.append(contentsOf: p.parts[k]!) }
        var h = p.header
        h.subpackage = nil
        h.bodyLength = whole.count
        return Complete(header: h, offset: p.offsets[1] ?? offset, body: whole)
    }

    /// Everything still waiting (at the end of a capture), oldest first; empties the buffer.
    public mutating func drain() -> [Incomplete] {
        var out: [Incomplete] = []
        for key in order {
            guard let p = pending[key] else { continue }
            var prefix: [UInt8] = []
            var k: UInt16 = 1
            while let part = p.parts[k] { prefix.append(contentsOf: part); k += 1 }
            var h = p.header
            h.subpackage = nil
            out.append(Incomplete(header: h, offset: p.offsets.values.min() ?? 0, received: p.parts.count,
                                  total: Int(key.total), prefixBody: prefix))
        }
        pending = [:]
        order = []
        return out
    }
}
