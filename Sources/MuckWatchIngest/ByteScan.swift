import Foundation

/// Byte searches over whole chunks, through libc's vectorised `memchr`: the reader's
/// serial work per chunk (finding record ends, counting lines) stays far below parsing.
enum ByteScan {
    /// Number of `byte` in `b[from..<to]`.
    static func count(_ byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int {
        guard from < to, let base = b.baseAddress else { return 0 }
        var n = 0
        var p = UnsafeRawPointer(base + from)
        let end = UnsafeRawPointer(base + to)
        while p < end, let hit = memchr(p, Int32(byte), end - p) {
            n += 1
            p = UnsafeRawPointer(hit) + 1
        }
        return n
    }
}
