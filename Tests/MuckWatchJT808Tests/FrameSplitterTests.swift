import Testing
import MuckWatchCore
@testable import MuckWatchJT808

/// A splitter's piece copied out of its callback, to compare.
struct SplitPiece: Equatable, CustomStringConvertible {
    var kind: JT808FrameSplitter.Kind
    var offset: Int
    var closed: Bool
    var bytes: [UInt8]

    init(kind: JT808FrameSplitter.Kind, offset: Int, closed: Bool, bytes: [UInt8]) {
        self.kind = kind
        self.offset = offset
        self.closed = closed
        self.bytes = bytes
    }

    init(_ p: JT808FrameSplitter.Piece) {
        self.init(kind: p.kind, offset: p.offset, closed: p.closed, bytes: Array(p.bytes))
    }

    var description: String { "\(kind)@\(offset)\(closed ? "" : " open") \(bytes.count) bytes" }
}

/// The same bytes split whole (as a capture) or pushed read by read (as a connection).
enum SplitPieces {
    static func whole(_ bytes: [UInt8]) -> [SplitPiece] {
        var out: [SplitPiece] = []
        bytes.withByteSpan { b in JT808FrameSplitter.split(b) { out.append(SplitPiece($0)) } }
        return out
    }

    /// Pushes the bytes between consecutive `cuts` (offsets, ascending) as separate reads, then finishes.
    static func fed(_ bytes: [UInt8], cuts: [Int], maxRunBytes: Int = .max) throws(JT808FrameSplitter.Overflow)
        -> [SplitPiece] {
        var splitter = JT808FrameSplitter(maxRunBytes: maxRunBytes)
        var out: [SplitPiece] = []
        let bounds = [0] + cuts + [bytes.count]
        for k in 0..<(bounds.count - 1) {
            let read = Array(bytes[bounds[k]..<bounds[k + 1]])
            try read.withByteSpan { (b: ByteSpan) throws(JT808FrameSplitter.Overflow) in
                try splitter.push(b) { out.append(SplitPiece($0)) }
            }
        }
        splitter.finish { out.append(SplitPiece($0)) }
        return out
    }

    static func fed(_ bytes: [UInt8], readsOf size: Int) throws(JT808FrameSplitter.Overflow) -> [SplitPiece] {
        try fed(bytes, cuts: Array(stride(from: size, to: bytes.count, by: size)))
    }
}

@Suite struct FrameSplitterTests {
    typealias F = JT808Fixtures

    static let f1 = F.locationFrame(F.report(0))
    static let f2 = F.locationFrame(F.report(1))
    /// Serial 0x7e7d: its header holds both bytes that must be escaped.
    static let escaped = F.locationFrame(F.report(2), serial: 0x7E7D)
    static let garbage: [UInt8] = [0x41, 0x54, 0x0D]

    /// Garbage, a frame, a neighbour sharing its flag, a doubled flag, a frame with
    /// escapes, garbage, a frame cut short by the next one's flag, and one cut by the
    /// end of the stream.
    static let stream: [UInt8] = garbage + f1 + f2.dropFirst() + [0x7E] + escaped + garbage
        + f1.prefix(20) + f2 + f1.prefix(15)

    /// The pieces of `stream`, worked out by hand.
    static var expected: [SplitPiece] {
        func content(_ f: [UInt8]) -> [UInt8] { Array(f.dropFirst().dropLast()) }
        var o = 0
        func at(_ n: Int) -> Int { defer { o += n }; return o }
        let g1 = at(garbage.count)
        let frame1 = at(f1.count - 1)            // f1's closing flag opens nothing: f2 shares it
        let frame2 = at(f2.count)                // from that shared flag to f2's closing flag
        _ = at(1)                                // the doubled flag
        let frame3 = at(escaped.count)
        let g2 = at(garbage.count)
        let cut = at(20)
        let frame4 = at(f2.count)
        let tail = at(15)
        return [
            SplitPiece(kind: .garbage, offset: g1, closed: true, bytes: garbage),
            SplitPiece(kind: .frame, offset: frame1, closed: true, bytes: content(f1)),
            SplitPiece(kind: .frame, offset: frame2, closed: true, bytes: content(f2)),
            SplitPiece(kind: .frame, offset: frame3, closed: true, bytes: content(escaped)),
            SplitPiece(kind: .garbage, offset: g2, closed: true, bytes: garbage),
            SplitPiece(kind: .frame, offset: cut, closed: true, bytes: Array(f1[1..<20])),
            SplitPiece(kind: .frame, offset: frame4, closed: true, bytes: content(f2)),
            SplitPiece(kind: .frame, offset: tail, closed: false, bytes: Array(f1[1..<15])),
        ]
    }

    @Test func wholeStreamGivesTheExpectedPieces() {
        #expect(Self.escaped.contains(0x7D))
        #expect(SplitPieces.whole(Self.stream) == Self.expected)
    }

    @Test func everySplitPointGivesTheSamePieces() throws {
        for cut in 0...Self.stream.count {
            #expect(try SplitPieces.fed(Self.stream, cuts: [cut]) == Self.expected, "cut at \(cut)")
        }
    }

    @Test func everyPairOfSplitPointsGivesTheSamePieces() throws {
        let n = Self.stream.count
        for a in 0...n {
            for b in a...n where try SplitPieces.fed(Self.stream, cuts: [a, b]) != Self.expected {
                Issue.record("cuts at \(a) and \(b)")
            }
        }
    }

    @Test(arguments: 1...9)
    func readsOfAnySizeGiveTheSamePieces(size: Int) throws {
        #expect(try SplitPieces.fed(Self.stream, readsOf: size) == Self.expected)
    }

    @Test func flagsAloneAndEmptyStreamsGiveNothing() throws {
        #expect(SplitPieces.whole([]).isEmpty)
        #expect(SplitPieces.whole([0x7E, 0x7E, 0x7E]).isEmpty)
        #expect(try SplitPieces.fed([0x7E, 0x7E, 0x7E, 0x7E], readsOf: 1).isEmpty)
    }

    /// A stream that starts inside a frame: the first run is a frame if it looks like one.
    @Test func streamStartingWithoutAFlag() {
        #expect(SplitPieces.whole(Array(Self.f1.dropFirst())) == [
            SplitPiece(kind: .frame, offset: 0, closed: true, bytes: Array(Self.f1.dropFirst().dropLast())),
        ])
    }

    /// Only the run carried over between reads is bounded; the frames completed before it
    /// are handed over first.
    @Test func overflowWhenTheCarriedRunExceedsTheBound() {
        let noFlag = [UInt8](repeating: 0x30, count: 100)
        var splitter = JT808FrameSplitter(maxRunBytes: 64)
        var pieces: [SplitPiece] = []
        let bytes = Self.f1 + noFlag
        #expect(throws: JT808FrameSplitter.Overflow.runTooLong(runBytes: 100, maxRunBytes: 64)) {
            try bytes.withByteSpan { (b: ByteSpan) throws(JT808FrameSplitter.Overflow) in
                try splitter.push(b) { pieces.append(SplitPiece($0)) }
            }
        }
        #expect(pieces == [SplitPiece(kind: .frame, offset: 0, closed: true, bytes: Array(Self.f1.dropFirst().dropLast()))])
        #expect("\(JT808FrameSplitter.Overflow.runTooLong(runBytes: 100, maxRunBytes: 64))".contains("not a JT/T 808 stream"))
    }

    @Test func runsCompletedWithinOneReadMayExceedTheBound() throws {
        #expect(Self.f1.count > 40)
        #expect(try SplitPieces.fed(Self.f1 + Self.f2, cuts: [], maxRunBytes: 16).count == 2)
        #expect(throws: JT808FrameSplitter.Overflow.self) { try SplitPieces.fed(Self.f1, cuts: [30], maxRunBytes: 16) }
    }

    @Test func finishStartsANewStreamAtOffsetZero() throws {
        var splitter = JT808FrameSplitter()
        var pieces: [SplitPiece] = []
        for _ in 0..<2 {
            try Self.f1.withByteSpan { (b: ByteSpan) throws(JT808FrameSplitter.Overflow) in
                try splitter.push(b) { pieces.append(SplitPiece($0)) }
            }
            splitter.finish { pieces.append(SplitPiece($0)) }
        }
        #expect(pieces.map(\.offset) == [0, 0])
    }
}
