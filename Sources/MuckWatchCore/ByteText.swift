extension Array where Element == UInt8 {
    /// Appends `String(v)`'s bytes without making the String: for writers of millions of numbers.
    public mutating func appendDecimal(_ v: Int64) {
        if v < 0 { append(0x2D) }
        var m = v.magnitude
        // Inline room for the 20 digits of the largest magnitude, filled backwards.
        var digits = SIMD32<UInt8>()
        var n = 0
        repeat { digits[n] = 0x30 + UInt8(m % 10); m /= 10; n += 1 } while m > 0
        for k in stride(from: n - 1, through: 0, by: -1) { append(digits[k]) }
    }
}
