public import MuckWatchCore

/// JT/T 808 transparent transmission: 0x7e delimits frames, so inside a frame
/// 0x7e is sent as 0x7d 0x02 and 0x7d as 0x7d 0x01. The check code is computed
/// before escaping and is escaped like any other byte.
public enum JT808Escaping {
    public static let flag: UInt8 = 0x7E
    public static let escape: UInt8 = 0x7D

    /// What went wrong while unescaping; the unescaped prefix is still usable (to read
    /// a header and tell a cut frame from a corrupt one).
    public enum Problem: Equatable, Sendable {
        /// 0x7d followed by a byte other than 0x01/0x02, at this index of the escaped input.
        case badSequence(index: Int, byte: UInt8)
        /// The input ends right after a 0x7d.
        case danglingEscape
    }

    /// Appends the unescaped form of `src` to `out`; returns the first problem met, if any.
    /// A bad pair `0x7d x` is kept as `x` so lengths stay meaningful.
    @discardableResult
    public static func unescape(_ src: ByteSpan, into out: inout [UInt8]) -> Problem? {
        let base = out.count
        out.append(contentsOf: repeatElement(0, count: src.count))
        let (written, problem) = unescape(src, into: &out, at: base)
        out.removeLast(src.count - written)
        return problem
    }

    /// Unescapes over `dst[start...]`, which must hold at least `src.count` bytes; returns
    /// the unescaped length and the first problem met. The capture reader's hot path: the
    /// caller's scratch array is reused, so nothing grows and nothing is allocated.
    public static func unescape(_ src: ByteSpan, into dst: inout [UInt8], at start: Int)
        -> (count: Int, problem: Problem?) {
        precondition(start >= 0 && dst.count - start >= src.count)
        var problem: Problem?
        var i = 0, o = start
        let n = src.count
        while i < n {
            let c = src[i]
            if c != escape {
                dst[o] = c
                o += 1
                i += 1
                continue
            }
            guard i + 1 < n else {
                if problem == nil { problem = .danglingEscape }
                break
            }
            let d = src[i + 1]
            switch d {
            case 0x02: dst[o] = flag
            case 0x01: dst[o] = escape
            default:
                if problem == nil { problem = .badSequence(index: i, byte: d) }
                dst[o] = d
            }
            o += 1
            i += 2
        }
        return (o - start, problem)
    }

    /// Convenience for tests and non-hot paths.
    public static func unescape(_ src: [UInt8]) -> (bytes: [UInt8], problem: Problem?) {
        var out: [UInt8] = []
        let p = src.withByteSpan { unescape($0, into: &out) }
        return (out, p)
    }

    /// Appends the escaped form of `src` to `out` (no flags). No `reserveCapacity` here:
    /// called once per frame on a buffer that collects many, it would defeat the
    /// array's doubling.
    public static func escape(_ src: [UInt8], into out: inout [UInt8]) {
        for c in src {
            if c == flag { out.append(escape); out.append(0x02) }
            else if c == escape { out.append(escape); out.append(0x01) }
            else { out.append(c) }
        }
    }

    public static func escape(_ src: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(src.count + 4)
        escape(src, into: &out)
        return out
    }

    /// Length once unescaped, and the unescaped bytes at indices 2 and 3 (the body
    /// attributes), without allocating: enough to judge whether a run of bytes is a frame.
    static func peekLengthAndAttributes(_ src: ByteSpan) -> (count: Int, attributes: UInt16?, clean: Bool) {
        var count = 0
        var attr: UInt16 = 0
        var clean = true
        var i = 0
        let n = src.count
        while i < n {
            var c = src[i]
            if c == escape {
                if i + 1 >= n { clean = false; break }
                let d = src[i + 1]
                if d == 0x02 { c = flag } else if d == 0x01 { c = escape } else { clean = false; c = d }
                i += 2
            } else {
                i += 1
            }
            if count == 2 { attr = UInt16(c) << 8 } else if count == 3 { attr |= UInt16(c) }
            count += 1
        }
        return (count, count >= 4 ? attr : nil, clean)
    }
}

/// The JT/T 808 check code: XOR of every header and body byte.
public enum JT808CheckCode {
    @inline(__always)
    public static func compute(_ b: ByteSpan) -> UInt8 {
        var x: UInt8 = 0
        for c in b { x ^= c }
        return x
    }

    public static func compute(_ b: [UInt8]) -> UInt8 {
        b.withByteSpan { compute($0) }
    }
}
