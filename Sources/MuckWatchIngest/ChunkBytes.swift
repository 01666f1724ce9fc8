import Foundation
import MuckWatchCore

/// The bytes of one piece of a traces file.
///
/// A city night is read in 8 MB pieces, each parsed on another thread and then dropped.
/// Fresh memory for every piece cost the kernel a page fault and a zeroed page per 4 KB
/// (or per 2 MB huge page) of input, twice over with the old `Data` then `[UInt8]` copy:
/// ~1.5 of ~21 CPU-seconds at 10M fixes. So a piece's memory goes back to its stream's
/// `ChunkBytesPool` when the last reference to the piece goes, and the next piece is read
/// straight into it.
public final class ChunkBytes: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    /// Bytes filled; fixed once the piece is handed out.
    public internal(set) var count = 0
    private let pool: ChunkBytesPool?

    init(capacity: Int, pool: ChunkBytesPool?, reusing memory: UnsafeMutablePointer<UInt8>? = nil) {
        self.capacity = capacity
        base = memory ?? .allocate(capacity: max(capacity, 1))
        self.pool = pool
    }

    /// A piece holding `bytes` (a whole JT/T 808 capture), outside any pool.
    convenience init(_ bytes: [UInt8]) {
        self.init(capacity: bytes.count, pool: nil)
        append(bytes)
    }

    deinit {
        if let pool { pool.give(base, capacity) } else { base.deallocate() }
    }

    /// A copy as an array (for the JT/T 808 decoder, which takes whole captures).
    public var array: [UInt8] { withBytes { Array($0) } }
}

/// Memory for a stream's pieces, handed back and forth between the reader and the threads
/// that parse: at most `keep` spare blocks are kept (the rest is freed, so spares do not
/// add to the peak memory of the run); all of it is freed with the stream.
final class ChunkBytesPool: @unchecked Sendable {
    private let lock = NSLock()
    private var spare: [(memory: UnsafeMutablePointer<UInt8>, capacity: Int)] = []
    private var keep: Int

    init(keep: Int = 2) { self.keep = keep }

    /// No more pieces will be taken (the file has ended): free the spares now, and every
    /// piece's memory as it comes back, so none is held at the run's peak.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        keep = 0
        for s in spare { s.memory.deallocate() }
        spare = []
    }

    deinit { for s in spare { s.memory.deallocate() } }

    /// An empty piece with room for at least `capacity` bytes; new memory, when no spare
    /// block is large enough, is `allocating` bytes (at least `capacity`).
    func take(atLeast capacity: Int, allocating: Int = 0) -> ChunkBytes {
        lock.lock()
        let k = spare.firstIndex { $0.capacity >= capacity }
        let reused = k.map { spare.remove(at: $0) }
        lock.unlock()
        if let reused { return ChunkBytes(capacity: reused.capacity, pool: self, reusing: reused.memory) }
        return ChunkBytes(capacity: max(capacity, allocating), pool: self)
    }

    fileprivate func give(_ memory: UnsafeMutablePointer<UInt8>, _ capacity: Int) {
        lock.lock()
        defer { lock.unlock() }
        if spare.count < keep { spare.append((memory, capacity)) } else { memory.deallocate() }
    }
}
