import MuckWatchCore

/// Big-endian reads over a message body (JT/T 808 words are network order) that throw a
/// typed error naming the field, so a short body says which field was missing.
///
/// A thin layer over Core's `ByteCursor`, which reads in place (no copies, no
/// allocation) and owns the bounds; this type only turns its `nil` into the field's name.
struct JT808ByteReader {
    var cursor: ByteCursor

    init(_ b: ByteSpan) {
        cursor = ByteCursor(b)
    }

    var remaining: Int { cursor.remaining }

    @inline(__always)
    mutating func u8(_ field: String) throws(JT808DecodeError) -> UInt8 {
        guard let v = cursor.readU8() else { throw .tooShort(field: field, needed: 1, available: remaining) }
        return v
    }

    @inline(__always)
    mutating func u16(_ field: String) throws(JT808DecodeError) -> UInt16 {
        guard let v = cursor.readU16BE() else { throw .tooShort(field: field, needed: 2, available: remaining) }
        return v
    }

    @inline(__always)
    mutating func u32(_ field: String) throws(JT808DecodeError) -> UInt32 {
        guard let v = cursor.readU32BE() else { throw .tooShort(field: field, needed: 4, available: remaining) }
        return v
    }

    /// `n` bytes in place (valid as long as the span they come from is).
    @inline(__always)
    mutating func bytes(_ n: Int, _ field: String) throws(JT808DecodeError) -> ByteSpan {
        guard let v = cursor.read(n) else { throw .tooShort(field: field, needed: n, available: remaining) }
        return v
    }

    /// The rest of the body.
    mutating func rest() -> ByteSpan { cursor.rest() }
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
