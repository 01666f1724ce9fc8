import MuckWatchIngest

/// Cuts a TCP byte stream into JT/T 808 frame candidates: every run of bytes between two
/// 0x7e flags. A frame with its own pair of flags (`7e…7e 7e…7e`) leaves an empty run
/// between the pair, which is skipped; neighbours sharing a flag (`7e…7e…7e`) need
/// nothing special. Garbage between frames, or a frame cut short by the next frame's
/// opening flag, is a run that fails validation: the caller counts it and goes on.
///
/// Only the run after the last flag is kept between reads, and it is bounded: a peer
/// that sends more than `maxRunBytes` without a flag is not speaking JT/T 808.
struct StreamFramer {
    /// The largest unterminated run kept (a real frame is at most ~2 KB escaped).
    let maxRunBytes: Int
    /// Bytes after the last flag seen (escaped, no flags).
    private(set) var run: [UInt8] = []

    init(maxRunBytes: Int) {
        self.maxRunBytes = maxRunBytes
        run.reserveCapacity(256)
    }

    enum Overflow: Error { case runTooLong(Int) }

    /// Appends `bytes` and calls `candidate` with each completed, non-empty run.
    mutating func push(_ bytes: UnsafeRawBufferPointer, _ candidate: ([UInt8]) -> Void) throws(Overflow) {
        var start = 0
        let n = bytes.count
        var i = 0
        while i < n {
            if bytes[i] == JT808Escaping.flag {
                if i > start { run.append(contentsOf: bytes[start..<i]) }
                if !run.isEmpty {
                    candidate(run)
                    run.removeAll(keepingCapacity: true)
                }
                start = i + 1
            }
            i += 1
        }
        if n > start { run.append(contentsOf: bytes[start..<n]) }
        if run.count > maxRunBytes { throw .runTooLong(run.count) }
    }
}
