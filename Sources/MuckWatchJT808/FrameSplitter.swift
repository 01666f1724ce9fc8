/// Cuts a raw capture into frame candidates and garbage runs.
///
/// Terminals either wrap each frame in its own pair of flags (`7e…7e 7e…7e`) or share
/// one flag between neighbours (`7e…7e…7e`). After a closing flag the splitter therefore
/// asks whether the bytes up to the next 0x7e look like a frame (the header's body
/// length matches the run's unescaped length): if so they are a frame that shares its
/// opening flag; if not they are garbage and the next 0x7e opens a frame. A frame cut
/// short is followed directly by the next frame's opening flag; the splitter reports
/// the cut piece (the decoder calls it `truncated`) and, since the next frame's content
/// then looks like a frame, loses nothing after it.
///
/// Holds an `UnsafeBufferPointer`: use it inside `withUnsafeBufferPointer` only.
public struct JT808FrameSplitter {
    public enum Piece: Equatable, Sendable {
        /// Escaped frame content `range` (no flags); `offset` is its opening 0x7e (or
        /// its first byte when the capture starts without one); `closed` is false when
        /// the capture ended before a closing 0x7e.
        case frame(offset: Int, range: Range<Int>, closed: Bool)
        /// `count` bytes from `offset` that are no frame.
        case garbage(offset: Int, count: Int)
    }

    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    /// Offset of the opening flag when inside a frame, else nil.
    var openedAt: Int?

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        b = bytes
    }

    @inline(__always)
    func nextFlag(from k: Int) -> Int {
        var j = k
        let n = b.count
        while j < n, b[j] != 0x7E { j += 1 }
        return j
    }

    public mutating func next() -> Piece? {
        let n = b.count
        while i < n {
            if let o = openedAt {
                let j = nextFlag(from: i)
                if j == i {  // 7e 7e: the first flag closed nothing; this one opens
                    openedAt = j
                    i = j + 1
                    continue
                }
                openedAt = nil
                let closed = j < n
                let piece = Piece.frame(offset: o, range: i..<j, closed: closed)
                i = closed ? j + 1 : n
                return piece
            }
            if b[i] == 0x7E {
                openedAt = i
                i += 1
                continue
            }
            // Bytes after a closing flag (or at the start): a frame sharing its flag, or garbage.
            let j = nextFlag(from: i)
            let start = i
            if j < n, Self.looksLikeFrame(UnsafeBufferPointer(rebasing: b[start..<j])) {
                i = j + 1
                return .frame(offset: start > 0 ? start - 1 : start, range: start..<j, closed: true)
            }
            i = j  // the flag (if any) opens the next frame
            return .garbage(offset: start, count: j - start)
        }
        openedAt = nil  // a lone opening flag at the very end carries nothing
        return nil
    }

    /// A run is a frame when its unescaped length is exactly header + body + check code
    /// as its own attributes say (a random run passes with probability ~1/1000).
    static func looksLikeFrame(_ run: UnsafeBufferPointer<UInt8>) -> Bool {
        let p = JT808Escaping.peekLengthAndAttributes(run)
        guard p.clean, let a = p.attributes else { return false }
        return p.count == JT808Header.byteCount(attributes: a) + Int(a & 0x3FF) + 1
    }
}
