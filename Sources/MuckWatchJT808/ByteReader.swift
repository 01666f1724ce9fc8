/// Big-endian cursor over a message body (JT/T 808 words are network order).
///
/// Works on an `UnsafeBufferPointer` so decoding a location report reads bytes in place:
/// no copies, no allocation. Every read is bounds-checked and throws a typed error
/// naming the field, so a short body says which field was missing.
struct JT808ByteReader {
    let b: UnsafeBufferPointer<UInt8>
    var pos: Int

    init(_ b: UnsafeBufferPointer<UInt8>, at pos: Int = 0) {
        self.b = b
        self.pos = pos
    }

    var remaining: Int { b.count - pos }

    @inline(__always)
    mutating func need(_ n: Int, _ field: String) throws(JT808DecodeError) {
        if remaining < n { throw .tooShort(field: field, needed: n, available: remaining) }
    }

    @inline(__always)
    mutating func u8(_ field: String) throws(JT808DecodeError) -> UInt8 {
        try need(1, field)
        defer { pos += 1 }
        return b[pos]
    }

    @inline(__always)
    mutating func u16(_ field: String) throws(JT808DecodeError) -> UInt16 {
        try need(2, field)
        defer { pos += 2 }
        return UInt16(b[pos]) << 8 | UInt16(b[pos + 1])
    }

    @inline(__always)
    mutating func u32(_ field: String) throws(JT808DecodeError) -> UInt32 {
        try need(4, field)
        defer { pos += 4 }
        return UInt32(b[pos]) << 24 | UInt32(b[pos + 1]) << 16 | UInt32(b[pos + 2]) << 8 | UInt32(b[pos + 3])
    }

    /// `n` bytes in place (valid as long as the underlying buffer is).
    mutating func bytes(_ n: Int, _ field: String) throws(JT808DecodeError) -> UnsafeBufferPointer<UInt8> {
        try need(n, field)
        defer { pos += n }
        return UnsafeBufferPointer(rebasing: b[pos..<(pos + n)])
    }

    /// The rest of the body.
    mutating func rest() -> UnsafeBufferPointer<UInt8> {
        defer { pos = b.count }
        return UnsafeBufferPointer(rebasing: b[pos..<b.count])
    }
}

/// Big-endian appends for the encoders.
extension Array where Element == UInt8 {
    mutating func appendU16(_ v: UInt16) {
        append(UInt8(v >> 8)); append(UInt8(v & 0xFF))
    }

    mutating func appendU32(_ v: UInt32) {
        append(UInt8(v >> 24)); append(UInt8(v >> 16 & 0xFF)); append(UInt8(v >> 8 & 0xFF)); append(UInt8(v & 0xFF))
    }
}
