/// Decimal numbers parsed straight from bytes (no String, no Foundation per field).
public enum ByteNumber {
    @usableFromInline static let powers: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
                                           1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22]

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]`, surrounding spaces allowed.
    /// Exact (correctly rounded) on the fast path: at most 15 significant digits and a
    /// power of ten up to 22, where one IEEE division or multiplication is exact;
    /// everything else goes through the standard library's parser. `nil` when the bytes
    /// are not a number; NaN and infinities come back as such for the caller to reject.
    @inlinable
    public static func parse(_ b: ByteSpan, _ from: Int, _ to: Int) -> Double? {
        var lo = from, hi = to
        while lo < hi, b[lo] == 0x20 || b[lo] == 0x09 { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x09 || b[hi - 1] == 0x0D { hi -= 1 }
        guard lo < hi else { return nil }
        var i = lo
        var negative = false
        if b[i] == 0x2D { negative = true; i += 1 } else if b[i] == 0x2B { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fracDigits = 0
        var sawDigit = false
        while i < hi, b[i] >= 0x30, b[i] <= 0x39 {
            sawDigit = true
            if digits < 19 { mantissa = mantissa * 10 + UInt64(b[i] - 0x30); if mantissa > 0 { digits += 1 } } else { return slow(b, lo, hi) }
            i += 1
        }
        if i < hi, b[i] == 0x2E {
            i += 1
            while i < hi, b[i] >= 0x30, b[i] <= 0x39 {
                sawDigit = true
                if digits < 19 { mantissa = mantissa * 10 + UInt64(b[i] - 0x30); if mantissa > 0 { digits += 1 }; fracDigits += 1 } else { return slow(b, lo, hi) }
                i += 1
            }
        }
        guard sawDigit else { return slow(b, lo, hi) }
        var exp = 0
        if i < hi, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            var eNeg = false
            if i < hi, b[i] == 0x2D { eNeg = true; i += 1 } else if i < hi, b[i] == 0x2B { i += 1 }
            guard i < hi else { return nil }
            var e = 0
            while i < hi, b[i] >= 0x30, b[i] <= 0x39 {
                if e < 10_000 { e = e * 10 + Int(b[i] - 0x30) }
                i += 1
            }
            exp = eNeg ? -e : e
        }
        guard i == hi else { return nil }
        let p = exp - fracDigits
        guard digits <= 15, p >= -22, p <= 22 else { return slow(b, lo, hi) }
        var v = Double(mantissa)
        v = p < 0 ? v / powers[-p] : v * powers[p]
        return negative ? -v : v
    }

    @usableFromInline
    static func slow(_ b: ByteSpan, _ lo: Int, _ hi: Int) -> Double? {
        let s = b.extracting(lo..<hi).text
        switch s.lowercased() {
        case "nan", "+nan", "-nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return Double(s)
        }
    }
}
