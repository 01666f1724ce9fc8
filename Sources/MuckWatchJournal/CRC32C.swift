/// CRC-32C (Castagnoli), the checksum of every journal record: it catches a torn write
/// (a record cut by a crash) and a flipped bit with the same test. Table-driven, one
/// table built once; at ~80 bytes a fix it costs far less than the write itself.
public enum CRC32C {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// The checksum of `bytes[range]`.
    public static func checksum(_ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
        extend(0, bytes, range)
    }

    /// The checksum of the bytes `crc` covered followed by `bytes[range]`.
    public static func extend(_ crc: UInt32, _ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
        var c = ~crc
        for i in range { c = table[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8) }
        return ~c
    }
}
