/// Why a JT/T 808 message body (or header) could not be decoded.
///
/// Body-level problems are typed so a caller can tell a short body from a bad BCD
/// time; the capture reader turns each into a `BadFrame` with the frame's byte offset.
public enum JT808DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field ran past the end of the body (or header).
    case tooShort(field: String, needed: Int, available: Int)
    /// A BCD field holds a nibble above 9.
    case badBCD(field: String)
    /// A BCD time that is not a calendar instant (month 13, minute 61, ...).
    case invalidTime(String)
    /// An additional item (or batch item) whose length runs past the body.
    case itemOverrun(id: UInt16, length: Int, available: Int)
    /// The body says one thing and holds another (e.g. a batch count with fewer items).
    case inconsistent(String)

    public var description: String {
        switch self {
        case .tooShort(let f, let n, let a): return "\(f) needs \(n) bytes, only \(a) left"
        case .badBCD(let f): return "\(f) is not valid BCD"
        case .invalidTime(let t): return "time \(t) is not a valid date"
        case .itemOverrun(let id, let l, let a):
            return "item 0x\(JT808Hex.byte(UInt8(truncatingIfNeeded: id))) declares \(l) bytes, only \(a) left"
        case .inconsistent(let s): return s
        }
    }
}

/// What kind of damage a capture held at one place. The raw values are the words used in
/// reports (`bad_frames`, rejects, the `jt808 decode` summary).
public enum BadFrameKind: String, Sendable, CaseIterable, Comparable {
    /// Bytes between frames (or before the first, after the last) that are no frame.
    case garbage
    /// A frame shorter than its header says, usually cut off before its closing 0x7e.
    case truncated
    /// A frame longer than its header's body length says.
    case lengthMismatch = "length_mismatch"
    /// XOR check code differs from the one computed over header and body.
    case badCheck = "bad_check"
    /// 0x7d followed by something other than 0x01/0x02.
    case badEscape = "bad_escape"
    /// A body that does not fit its message type (short body, bad BCD time, ...).
    case malformed
    /// A location whose latitude/longitude is outside ±90/±180 after the south/west bits.
    case outOfRange = "out_of_range"
    /// An encrypted location body (RSA): the key is not ours, the fix cannot be read.
    case encrypted
    /// A subpackaged message whose packages did not all arrive.
    case incompleteSubpackage = "incomplete_subpackage"

    public static func < (a: BadFrameKind, b: BadFrameKind) -> Bool { a.rawValue < b.rawValue }
}

/// One damaged place in a capture: counted, reported and skipped; decoding resumes at
/// the next 0x7e, so one bad frame never costs the frames around it.
public struct BadFrame: Sendable, Equatable {
    /// Byte offset in the capture: the frame's opening 0x7e, or the first garbage byte.
    public var offset: Int
    public var kind: BadFrameKind
    /// Message id when the header could be read.
    public var messageID: UInt16?
    /// Human-readable specifics ("check code 0x55, computed 0x34").
    public var detail: String

    public init(offset: Int, kind: BadFrameKind, messageID: UInt16? = nil, detail: String) {
        self.offset = offset
        self.kind = kind
        self.messageID = messageID
        self.detail = detail
    }

    /// The sentence used in rejects and summaries.
    public var reason: String {
        let id = messageID.map { " (message 0x\(JT808Hex.word($0)))" } ?? ""
        return "JT/T 808 \(kind.rawValue) at byte offset \(offset)\(id): \(detail)"
    }
}

/// Hex formatting without Foundation.
enum JT808Hex {
    static let digits: [Character] = Array("0123456789abcdef")
    static func byte(_ b: UInt8) -> String { String([digits[Int(b >> 4)], digits[Int(b & 15)]]) }
    static func word(_ w: UInt16) -> String { byte(UInt8(w >> 8)) + byte(UInt8(w & 0xFF)) }
}
