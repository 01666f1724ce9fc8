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
public final class ChunkBytes: Sendable {
    /// Filled by the stream before the piece is handed out, only read after.
    private let memory: SharedBuffer<UInt8>
    private let filled = Locked(0)
    private let pool: ChunkBytesPool?

    var base: UnsafeMutablePointer<UInt8> { memory.buffer.baseAddress! }
    var capacity: Int { memory.buffer.count }
    /// Bytes filled; fixed once the piece is handed out.
    public internal(set) var count: Int {
        get { filled.withLock { $0 } }
        set { filled.withLock { $0 = newValue } }
    }

    init(capacity: Int, pool: ChunkBytesPool?, reusing memory: UnsafeMutablePointer<UInt8>? = nil) {
        let base = memory ?? .allocate(capacity: max(capacity, 1))
        self.memory = SharedBuffer(UnsafeMutableBufferPointer(start: base, count: capacity))
        self.pool = pool
    }

    /// A piece holding `bytes` (a whole JT/T 808 capture), outside any pool.
    convenience init(_ bytes: [UInt8]) {
        self.init(capacity: bytes.count, pool: nil)
        append(bytes)
    }

    deinit {
        if let pool { pool.give(memory) } else { base.deallocate() }
    }

    /// A copy as an array (for the JT/T 808 decoder, which takes whole captures).
    public var array: [UInt8] { withBytes { Array($0) } }
}

/// Memory for a stream's pieces, handed back and forth between the reader and the threads
/// that parse: at most `keep` spare blocks are kept (the rest is freed, so spares do not
/// add to the peak memory of the run); all of it is freed with the stream.
final class ChunkBytesPool: Sendable {
    private struct Spares {
        var blocks: [SharedBuffer<UInt8>] = []
        var keep: Int
    }
    private let spares: Locked<Spares>

    init(keep: Int = 2) { spares = Locked(Spares(keep: keep)) }

    /// No more pieces will be taken (the file has ended): free the spares now, and every
    /// piece's memory as it comes back, so none is held at the run's peak.
    func close() {
        spares.withLock { s in
            s.keep = 0
            for b in s.blocks { b.buffer.deallocate() }
            s.blocks = []
        }
    }

    deinit { spares.withLock { s in for b in s.blocks { b.buffer.deallocate() } } }

    /// An empty piece with room for at least `capacity` bytes; new memory, when no spare
    /// block is large enough, is `allocating` bytes (at least `capacity`).
    func take(atLeast capacity: Int, allocating: Int = 0) -> ChunkBytes {
        let reused = spares.withLock { s in
            s.blocks.firstIndex { $0.buffer.count >= capacity }.map { s.blocks.remove(at: $0) }
        }
        if let reused { return ChunkBytes(capacity: reused.buffer.count, pool: self, reusing: reused.buffer.baseAddress) }
        return ChunkBytes(capacity: max(capacity, allocating), pool: self)
    }

    fileprivate func give(_ block: SharedBuffer<UInt8>) {
        spares.withLock { s in
            if s.blocks.count < s.keep { s.blocks.append(block) } else { block.buffer.deallocate() }
        }
    }
}
