/// A read position moving forward through a `ByteSpan`: what a binary decoder needs
/// (big-endian words, fixed-size fields, the rest) and what a text scanner needs (peek,
/// advance, scan to a byte). Every read says by `nil` that the bytes ran out, so a short
/// message never reads past its end and the caller names the missing field.
@frozen
public struct ByteCursor {
    public let bytes: ByteSpan
    @usableFromInline var offset: Int

    /// How many bytes have been consumed.
    @inlinable public var position: Int { offset }

    @inlinable
    public init(_ bytes: ByteSpan, at position: Int = 0) {
        precondition(position >= 0 && position <= bytes.count, "cursor position outside its bytes")
        self.bytes = bytes
        offset = position
    }

    @inlinable public var remaining: Int { bytes.count - position }
    @inlinable public var isAtEnd: Bool { position >= bytes.count }

    /// The next byte, not consumed.
    @inlinable @inline(__always)
    public func peek() -> UInt8? { isAtEnd ? nil : bytes[position] }

    /// Moves forward `n` bytes (at most to the end).
    @inlinable @inline(__always)
    public mutating func advance(by n: Int = 1) { offset = min(offset + max(n, 0), bytes.count) }

    @inlinable @inline(__always)
    public mutating func readU8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return bytes[position]
    }

    @inlinable @inline(__always)
    public mutating func readU16BE() -> UInt16? {
        guard remaining >= 2 else { return nil }
        defer { offset += 2 }
        return bytes.u16BE(at: position)
    }

    @inlinable @inline(__always)
    public mutating func readU32BE() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset += 4 }
        return bytes.u32BE(at: position)
    }

    /// The next `n` bytes in place.
    @inlinable
    public mutating func read(_ n: Int) -> ByteSpan? {
        guard n >= 0, remaining >= n else { return nil }
        defer { offset += n }
        return bytes.extracting(position..<position + n)
    }

    /// Everything left.
    @inlinable
    public mutating func rest() -> ByteSpan {
        defer { offset = bytes.count }
        return bytes.extracting(position..<bytes.count)
    }

    /// The bytes up to the next `byte` (consumed with it), or `nil`, consuming nothing,
    /// when no `byte` is left.
    @inlinable
    public mutating func scan(to byte: UInt8) -> ByteSpan? {
        guard let hit = bytes.firstIndex(of: byte, from: position, to: bytes.count) else { return nil }
        defer { offset = hit + 1 }
        return bytes.extracting(position..<hit)
    }
}
