public import MuckWatchCore

/// Cuts a byte stream into frame candidates and garbage runs, incrementally: a capture is
/// pushed whole, a TCP connection read by read, and both get the same pieces whatever the
/// read boundaries (offsets count from the stream's first byte).
///
/// Terminals either wrap each frame in its own pair of flags (`7e…7e 7e…7e`) or share
/// one flag between neighbours (`7e…7e…7e`). After a closing flag the splitter therefore
/// asks whether the bytes up to the next 0x7e look like a frame (the header's body
/// length matches the run's unescaped length): if so they are a frame that shares its
/// opening flag; if not they are garbage and the next 0x7e opens a frame. A frame cut
/// short is followed directly by the next frame's opening flag; the splitter reports
/// the cut piece (the decoder calls it `truncated`) and, since the next frame's content
/// then looks like a frame, loses nothing after it. Every non-empty run between flags is
/// one piece, so a valid frame is never lost to a neighbour's damage.
///
/// A run that ends inside the pushed bytes is handed over in place; only the run after
/// the last flag is kept between pushes, and it is bounded: a peer that sends more than
/// `maxRunBytes` without a flag is not speaking JT/T 808.
public struct JT808FrameSplitter {
    public enum Kind: Equatable, Sendable {
        /// Escaped frame content between flags: decode it (it may still be damaged).
        case frame
        /// Bytes between frames (or before the first, after the last) that are no frame.
        case garbage
    }

    /// One piece of the stream, lent to the caller for the duration of the callback.
    public struct Piece {
        public var kind: Kind
        /// Stream offset of a frame's opening 0x7e (its first byte when the stream starts
        /// without one), or of a garbage run's first byte.
        public var offset: Int
        /// False for a frame the stream ended inside (only `finish` reports one).
        public var closed: Bool
        /// The escaped bytes, without flags; valid only inside the callback.
        public var bytes: ByteSpan
    }

    /// Why a stream was given up: a peer that never sends a flag would hold memory for ever.
    public enum Overflow: Error, Equatable, CustomStringConvertible {
        /// `runBytes` arrived without a flag, more than the splitter's `maxRunBytes`.
        case runTooLong(runBytes: Int, maxRunBytes: Int)

        public var description: String {
            switch self {
            case .runTooLong(let run, let max):
                "\(run) bytes without a 0x7e flag (at most \(max) expected): not a JT/T 808 stream"
            }
        }
    }

    /// The largest unterminated run kept between pushes (a real frame is at most ~2 KB escaped).
    public let maxRunBytes: Int
    /// Bytes of the current run that arrived in earlier pushes (escaped, no flags).
    private var carried: [UInt8] = []
    /// Stream offset of the current run's first byte.
    private var runStart = 0
    /// Stream offset of the next byte pushed.
    private var position = 0
    /// Stream offset of the opening flag when inside a frame.
    private var openedAt: Int?

    public init(maxRunBytes: Int = .max) {
        self.maxRunBytes = maxRunBytes
    }

    /// Every piece of a whole capture, the run after its last flag included.
    public static func split(_ capture: ByteSpan, _ piece: (Piece) -> Void) {
        var splitter = JT808FrameSplitter()
        splitter.cut(capture, piece)
        splitter.finish(piece)
    }

    /// Cuts `bytes` (the stream's next bytes) and calls `piece` with every run they complete.
    public mutating func push(_ bytes: ByteSpan, _ piece: (Piece) -> Void) throws(Overflow) {
        cut(bytes, piece)
        if carried.count > maxRunBytes { throw .runTooLong(runBytes: carried.count, maxRunBytes: maxRunBytes) }
    }

    private mutating func cut(_ bytes: ByteSpan, _ piece: (Piece) -> Void) {
        let base = position
        let n = bytes.count
        var start = 0
        while true {
            guard let flag = bytes.firstIndex(of: JT808Escaping.flag, from: start, to: n) else { break }
            if carried.isEmpty {
                run(bytes.extracting(start..<flag), endingAt: base + flag, piece)
            } else {  // the run began in an earlier push: completed in `carried`, lent out of it
                var whole: [UInt8] = []
                swap(&whole, &carried)
                whole.append(contentsOf: bytes.extracting(start..<flag))
                whole.withByteSpan { run($0, endingAt: base + flag, piece) }
                whole.removeAll(keepingCapacity: true)
                swap(&whole, &carried)
            }
            start = flag + 1
            runStart = base + start
        }
        if start < n { carried.append(contentsOf: bytes.extracting(start..<n)) }
        position = base + n
    }

    /// The end of the stream: reports the run after the last flag (a frame cut short, or
    /// garbage) and starts over at offset 0.
    public mutating func finish(_ piece: (Piece) -> Void) {
        if !carried.isEmpty {
            let kind: Kind = openedAt == nil ? .garbage : .frame
            let offset = openedAt ?? runStart
            carried.withByteSpan { piece(Piece(kind: kind, offset: offset, closed: false, bytes: $0)) }
        }
        self = JT808FrameSplitter(maxRunBytes: maxRunBytes)
    }

    /// One run between flags, closed by the flag at stream offset `flag`.
    private mutating func run(_ bytes: ByteSpan, endingAt flag: Int, _ piece: (Piece) -> Void) {
        if bytes.isEmpty {
            openedAt = flag  // 7e 7e: the first flag closed (or opened) nothing; this one opens
        } else if let opening = openedAt {
            openedAt = nil
            piece(Piece(kind: .frame, offset: opening, closed: true, bytes: bytes))
        } else if Self.looksLikeFrame(bytes) {  // shares its opening flag with the frame before
            piece(Piece(kind: .frame, offset: runStart > 0 ? runStart - 1 : 0, closed: true, bytes: bytes))
        } else {
            piece(Piece(kind: .garbage, offset: runStart, closed: true, bytes: bytes))
            openedAt = flag
        }
    }

    /// A run is a frame when its unescaped length is exactly header + body + check code
    /// as its own attributes say (a random run passes with probability ~1/1000).
    static func looksLikeFrame(_ run: ByteSpan) -> Bool {
        let p = JT808Escaping.peekLengthAndAttributes(run)
        guard p.clean, let a = p.attributes else { return false }
        return p.count == JT808Header.byteCount(attributes: a) + Int(a & 0x3FF) + 1
    }
}
