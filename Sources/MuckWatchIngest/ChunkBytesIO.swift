import Foundation
public import MuckWatchCore

/// The I/O side of the input buffers: the only code in this module that writes through a
/// pointer (reading a file straight into a buffer's memory). Parsers see the bytes only as
/// a `ByteSpan`.
extension ChunkBytes {
    /// Lends the filled bytes as a span for the duration of `body`.
    public func withBytes<R, E: Error>(_ body: (ByteSpan) throws(E) -> R) throws(E) -> R {
        try body(ByteSpan(unsafeBorrowing: UnsafeBufferPointer(start: base, count: count)))
    }

    /// Appends `bytes` after the filled part (which must leave room for them).
    func append(_ bytes: [UInt8]) {
        precondition(count + bytes.count <= capacity, "piece too small for the bytes carried over")
        bytes.withUnsafeBufferPointer { if let p = $0.baseAddress { (base + count).update(from: p, count: $0.count) } }
        count += bytes.count
    }

    /// Appends the filled bytes of `other` (a piece grown into a larger one).
    func append(_ other: ChunkBytes) {
        precondition(count + other.count <= capacity, "piece too small for the bytes carried over")
        (base + count).update(from: other.base, count: other.count)
        count += other.count
    }

    /// One `read(2)` of at most `limit` bytes into the free room; what `read` returns.
    func read(from fd: Int32, limit: Int) -> Int {
        let n = Foundation.read(fd, base + count, min(limit, capacity - count))
        if n > 0 { count += n }
        return n
    }
}

extension Array where Element == UInt8 {
    /// One `read(2)` into `self[offset...]`; what `read` returns.
    mutating func read(from fd: Int32, at offset: Int) -> Int {
        precondition(offset >= 0 && offset <= count, "read offset outside the buffer")
        return withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + offset, $0.count - offset) }
    }
}
