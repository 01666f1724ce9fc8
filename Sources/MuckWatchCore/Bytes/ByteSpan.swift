#if canImport(Glibc)
public import Glibc
#elseif canImport(Musl)
public import Musl
#elseif canImport(Darwin)
public import Darwin
#endif

/// Read-only bytes borrowed from a buffer someone else keeps alive: the one type in the
/// project that reads input through a pointer.
///
/// Parsing a city night is the hottest path of a run, so parsers work on bytes in place,
/// never on `String`s or copies. Before this type, each parser carried its own
/// `(UnsafeBufferPointer, start, end)` arithmetic; now every pointer read, vectorised
/// search and comparison lives here, each index checked (in debug builds, as the standard
/// library's buffers check theirs) before memory is touched, and everything else is
/// safe code on integer positions. A span is only valid inside the closure that lent it
/// (`withByteSpan`, `ChunkBytes.withBytes`): never store one beyond that.
@frozen
public struct ByteSpan {
    @usableFromInline let base: UnsafePointer<UInt8>?
    public let count: Int

    /// Lends bytes whose owner outlives every use of the span (I/O buffers, arrays inside
    /// `withUnsafeBufferPointer`). The only way in besides `withByteSpan`.
    @inlinable
    public init(unsafeBorrowing buffer: UnsafeBufferPointer<UInt8>) {
        base = buffer.baseAddress
        count = buffer.count
    }

    @inlinable @inline(__always)
    init(_ base: UnsafePointer<UInt8>?, _ count: Int) {
        self.base = base
        self.count = count
    }

    @inlinable @inline(__always)
    public subscript(_ i: Int) -> UInt8 {
        assert(i >= 0 && i < count, "byte index out of range")
        return base.unsafelyUnwrapped[i]
    }

    /// `self[r]` as a span of its own, indexed from 0.
    @inlinable @inline(__always)
    public func extracting(_ r: Range<Int>) -> ByteSpan {
        assert(r.lowerBound >= 0 && r.upperBound <= count, "byte range out of range")
        return r.isEmpty ? ByteSpan(base, 0) : ByteSpan(base.unsafelyUnwrapped + r.lowerBound, r.count)
    }

    // MARK: Searching

    /// The first `byte` in `self[from..<to]` (libc's vectorised `memchr`).
    @inlinable
    public func firstIndex(of byte: UInt8, from: Int, to: Int) -> Int? {
        assert(from >= 0 && to <= count, "byte range out of range")
        guard from < to, let base else { return nil }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }

    /// Number of `byte` in `self[from..<to]`.
    @inlinable
    public func count(of byte: UInt8, from: Int, to: Int) -> Int {
        var n = 0
        var i = from
        while let hit = firstIndex(of: byte, from: i, to: to) {
            n += 1
            i = hit + 1
        }
        return n
    }

    /// The last `byte` in `self[from..<count]`.
    @inlinable
    public func lastIndex(of byte: UInt8, from: Int) -> Int? {
        var i = count
        while i > from { if self[i - 1] == byte { return i - 1 }; i -= 1 }
        return nil
    }

    /// The first `a` or `b` at or after `from`, or `count`: eight bytes at a time, where a
    /// byte equal to the one sought becomes zero after the XOR and the classic "has a
    /// zero byte" test flags it; the lowest flag is always a true match.
    @inlinable @inline(__always)
    public func firstIndex(of a: UInt8, or b: UInt8, from: Int) -> Int {
        assert(from >= 0 && from <= count, "byte index out of range")
        var i = from
        if let base {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            let wa = ones &* UInt64(a), wb = ones &* UInt64(b)
            while i + 8 <= count {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let x = w ^ wa, y = w ^ wb
                let hit = ((x &- ones) & ~x | (y &- ones) & ~y) & highs
                if hit != 0 { return i + hit.trailingZeroBitCount / 8 }
                i += 8
            }
        }
        while i < count, self[i] != a, self[i] != b { i += 1 }
        return i
    }

    // MARK: Comparing

    /// Whether `self[r]` and `other[r]` hold the same bytes (`memcmp`).
    @inlinable @inline(__always)
    public func sameBytes(as other: [UInt8], in r: Range<Int>) -> Bool {
        assert(r.lowerBound >= 0 && r.upperBound <= count && r.upperBound <= other.count, "byte range out of range")
        guard !r.isEmpty, let base else { return true }
        return other.withUnsafeBufferPointer { memcmp(base + r.lowerBound, $0.baseAddress! + r.lowerBound, r.count) == 0 }
    }

    /// Whether the span holds exactly `other`'s bytes.
    @inlinable @inline(__always)
    public func equals(_ other: [UInt8]) -> Bool {
        count == other.count && sameBytes(as: other, in: 0..<count)
    }

    /// The first 16 bytes as two little-endian words, zero-padded: a short key to hash and
    /// compare in one step.
    @inlinable
    public var leadingWords: (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (0, 0)
        if let base { withUnsafeMutableBytes(of: &words) { $0.baseAddress!.copyMemory(from: base, byteCount: Swift.min(count, 16)) } }
        return (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1))
    }

    // MARK: Big-endian words (network order, as in JT/T 808)

    @inlinable @inline(__always)
    public func u8(at i: Int) -> UInt8 { self[i] }

    @inlinable @inline(__always)
    public func u16BE(at i: Int) -> UInt16 {
        assert(i >= 0 && i + 2 <= count, "byte index out of range")
        return UInt16(self[i]) << 8 | UInt16(self[i + 1])
    }

    @inlinable @inline(__always)
    public func u32BE(at i: Int) -> UInt32 {
        assert(i >= 0 && i + 4 <= count, "byte index out of range")
        return UInt32(self[i]) << 24 | UInt32(self[i + 1]) << 16 | UInt32(self[i + 2]) << 8 | UInt32(self[i + 3])
    }

    // MARK: Leaving the span

    /// The bytes decoded as UTF-8 (invalid sequences become U+FFFD).
    @inlinable
    public var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// The bytes as a string, `nil` when they are not UTF-8.
    @inlinable
    public var validatedText: String? { String(validating: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// Whether the bytes are UTF-8, checked where they lie: no string is made (a city
    /// night's JSON records are each checked once before their fields are read).
    ///
    /// Only the stretch from the first byte above ASCII to the last is validated: an ASCII
    /// byte is UTF-8 on its own and never part of a longer sequence, so the bytes around that
    /// stretch cannot make it valid or invalid. A manifest's or gate record's line is ASCII
    /// but for its plate, and validating all of it was an eighth of reading them (issue #19).
    @inlinable
    public var isUTF8: Bool {
        guard let base, let first = firstNonASCII() else { return true }
        let last = lastNonASCII(after: first)
        let stretch = UnsafeBufferPointer(start: base + first, count: last + 1 - first)
        return (try? UTF8Span(validating: Span(_unsafeElements: stretch))) != nil
    }

    /// The first byte above 0x7F, eight at a time.
    @inlinable
    func firstNonASCII() -> Int? {
        guard let base else { return nil }
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = 0
        while i + 8 <= count {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & highs
            if w != 0 { return i + UInt64(littleEndian: w).trailingZeroBitCount / 8 }
            i += 8
        }
        while i < count {
            if base[i] > 0x7F { return i }
            i += 1
        }
        return nil
    }

    /// The last byte above 0x7F, searched back to `first` (one, known).
    @inlinable
    func lastNonASCII(after first: Int) -> Int {
        guard let base else { return first }
        let highs: UInt64 = 0x8080_8080_8080_8080
        var end = count
        while end - 8 > first {
            let w = UnsafeRawPointer(base + end - 8).loadUnaligned(as: UInt64.self) & highs
            if w != 0 { return end - 1 - UInt64(littleEndian: w).leadingZeroBitCount / 8 }
            end -= 8
        }
        while end - 1 > first {
            if base[end - 1] > 0x7F { return end - 1 }
            end -= 1
        }
        return first
    }

    /// Feeds the bytes to a hasher in one call.
    @inlinable
    public func hash(into h: inout Hasher) { h.combine(bytes: UnsafeRawBufferPointer(start: base, count: count)) }
}

extension ByteSpan: RandomAccessCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }
    @inlinable public var isEmpty: Bool { count == 0 }

    /// Lets `Array.append(contentsOf:)`, `String(decoding:)` and friends copy in one step.
    @inlinable
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try body(UnsafeBufferPointer(start: base, count: count))
    }
}

extension Array where Element == UInt8 {
    /// Lends the array's bytes as a span for the duration of `body`.
    @inlinable
    public func withByteSpan<R, E: Error>(_ body: (ByteSpan) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBufferPointer { b in
            do throws(E) { return .success(try body(ByteSpan(unsafeBorrowing: b))) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension String {
    /// Lends the string's UTF-8 bytes as a span for the duration of `body` (making the
    /// string contiguous first, as `withUTF8` does).
    @inlinable
    public mutating func withByteSpan<R>(_ body: (ByteSpan) -> R) -> R {
        withUTF8 { body(ByteSpan(unsafeBorrowing: $0)) }
    }
}
