public import MuckWatchCore

/// A terminal phone number (终端手机号) as its BCD digits, right-aligned in 20 nibbles.
///
/// The 2013 header carries 6 BCD bytes (12 digits), the 2019 header 10 (20 digits), both
/// left-padded with zeros, and registries write the number without them. Right-aligning
/// makes "compare without leading zeros" plain integer equality: `013800000001`,
/// `00000000013800000001` and `13800000001` are one key, hashed without a String.
public struct JT808Phone: Hashable, Sendable, CustomStringConvertible {
    /// First 2 of the 10 BCD bytes.
    public var high: UInt16
    /// Last 8 of the 10 BCD bytes.
    public var low: UInt64

    public init(high: UInt16, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// From 6 (2013) or 10 (2019) raw BCD bytes; any count up to 10 is accepted.
    public init(bcd: ByteSpan) {
        var h: UInt16 = 0, l: UInt64 = 0
        for c in bcd {
            h = h << 8 | UInt16(l >> 56)
            l = l << 8 | UInt64(c)
        }
        high = h
        low = l
    }

    public init(bcd: [UInt8]) {
        self = bcd.withByteSpan { JT808Phone(bcd: $0) }
    }

    /// From a registry's text: decimal digits only, at most 20, surrounding spaces
    /// ignored. `nil` for anything else (such a terminal id can never match a header).
    public init?(digits text: String) {
        var h: UInt16 = 0, l: UInt64 = 0
        var n = 0
        for c in text.utf8 where c != 0x20 {
            guard c >= 0x30, c <= 0x39, n < 20 else { return nil }
            h = h << 4 | UInt16(l >> 60)
            l = l << 4 | UInt64(c - 0x30)
            n += 1
        }
        guard n > 0 else { return nil }
        high = h
        low = l
    }

    /// `true` when every nibble is a decimal digit (a well-formed BCD number).
    public var isDecimal: Bool {
        for i in 0..<20 where nibble(i) > 9 { return false }
        return true
    }

    /// Nibble `i` counted from the most significant (0) to the least (19).
    func nibble(_ i: Int) -> UInt8 {
        i < 4 ? UInt8(high >> UInt16((3 - i) * 4) & 0xF) : UInt8(low >> UInt64((19 - i) * 4) & 0xF)
    }

    /// The number without leading zeros (`"0"` when all zero), as registries write it.
    public var digits: String {
        var s = ""
        var started = false
        for i in 0..<20 {
            let d = nibble(i)
            if d == 0 && !started { continue }
            started = true
            s.append(JT808Hex.digits[Int(d)])
        }
        return started ? s : "0"
    }

    public var description: String { digits }

    /// The `count` (6 or 10) BCD bytes for a header, zero-padded on the left.
    public func bcd(count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        appendBCD(count: count, to: &out)
        return out
    }

    /// Appends the `count` BCD bytes: headers are written without an array per phone.
    public func appendBCD(count: Int, to out: inout [UInt8]) {
        for i in 0..<count {
            let k = count - 1 - i  // byte k from the end: of `low` below 8, then of `high`
            if k >= 10 {
                out.append(0)
            } else if k < 8 {
                out.append(UInt8(truncatingIfNeeded: low >> UInt64(k * 8)))
            } else {
                out.append(UInt8(truncatingIfNeeded: high >> UInt16((k - 8) * 8)))
            }
        }
    }
}
