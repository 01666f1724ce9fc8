import Testing
import MuckWatchCore
import MuckWatchTestSupport

/// The byte handle against plain array code: random bytes from a seeded generator, so a
/// failure names the seed that replays it.
@Suite struct ByteSpanPropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    /// Bytes drawn from `alphabet` (so separators and digits turn up often), of a random length.
    static func bytes(_ r: inout SeededRandom, _ alphabet: [UInt8], maxCount: Int = 80) -> [UInt8] {
        (0..<r.int(in: 0...maxCount)).map { _ in alphabet[r.int(in: 0...alphabet.count - 1)] }
    }

    static let text: [UInt8] = Array("ab,\n\r\" 0x".utf8)

    @Test(arguments: seeds) func searchesMatchArrayCode(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        let a = Self.bytes(&r, Self.text)
        let from = r.int(in: 0...a.count), to = r.int(in: from...a.count)
        a.withByteSpan { s in
            #expect(Array(s) == a, "seed \(seed)")
            #expect(s.firstIndex(of: 0x0A, from: from, to: to) == a[from..<to].firstIndex(of: 0x0A), "seed \(seed)")
            #expect(s.count(of: 0x2C, from: from, to: to) == a[from..<to].filter { $0 == 0x2C }.count, "seed \(seed)")
            #expect(s.lastIndex(of: 0x0A, from: from) == a[from...].lastIndex(of: 0x0A), "seed \(seed)")
            #expect(s.firstIndex(of: 0x2C, or: 0x0A, from: from)
                    == (a[from...].firstIndex { $0 == 0x2C || $0 == 0x0A } ?? a.count), "seed \(seed)")
            #expect(Array(s.extracting(from..<to)) == Array(a[from..<to]), "seed \(seed)")
            #expect(s.extracting(from..<to).text == String(decoding: a[from..<to], as: UTF8.self), "seed \(seed)")
        }
    }

    /// `isUTF8` says what `String(validating:)` says, on bytes drawn from ASCII, a plate's
    /// UTF-8 and GBK (渝 is 0xD3E5 there) cut anywhere.
    @Test(arguments: seeds) func utf8CheckMatchesTheStandardLibrary(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        let a = Self.bytes(&r, Array("渝F1,\"".utf8) + [0xD3, 0xE5, 0xFF])
        let from = r.int(in: 0...a.count), to = r.int(in: from...a.count)
        a.withByteSpan { s in
            let part = Array(a[from..<to])
            #expect(s.extracting(from..<to).isUTF8 == (String(validating: part, as: UTF8.self) != nil), "seed \(seed)")
        }
    }

    /// The same on record-like lines: long ASCII runs with a few bytes above it anywhere (a
    /// plate's, a lone continuation, a lead cut short, GBK), so the check's eight-byte
    /// steps from either end meet them at every offset.
    @Test(arguments: seeds) func utf8CheckOfMostlyASCIILinesMatchesTheStandardLibrary(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        var a = Self.bytes(&r, Array("{\"event_id\": \"G-1\", 0.5}".utf8), maxCount: 300)
        let pieces: [[UInt8]] = [Array("渝".utf8), [0xE6], [0x9D], [0xD3, 0xE5], [0xF0, 0x9F, 0x98, 0x80], [0xC0, 0xAF]]
        for _ in 0..<r.int(in: 0...3) {
            a.insert(contentsOf: pieces[r.int(in: 0...pieces.count - 1)], at: r.int(in: 0...a.count))
        }
        let from = r.int(in: 0...a.count), to = r.int(in: from...a.count)
        a.withByteSpan { s in
            #expect(s.isUTF8 == (String(validating: a, as: UTF8.self) != nil), "seed \(seed)")
            #expect(s.extracting(from..<to).isUTF8 == (String(validating: a[from..<to], as: UTF8.self) != nil),
                    "seed \(seed)")
        }
    }

    @Test(arguments: seeds) func comparisonsMatchArrayCode(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        let a = Self.bytes(&r, Array("ab".utf8), maxCount: 24)
        var b = a
        if !b.isEmpty, r.int(in: 0...1) == 1 { b[r.int(in: 0...b.count - 1)] ^= 1 }
        if r.int(in: 0...3) == 0 { b.append(0x61) }
        let n = min(a.count, b.count)
        let lo = r.int(in: 0...n), hi = r.int(in: lo...n)
        a.withByteSpan { s in
            #expect(s.equals(b) == (a == b), "seed \(seed)")
            #expect(s.sameBytes(as: b, in: lo..<hi) == (a[lo..<hi] == b[lo..<hi]), "seed \(seed)")
            let padded = Array(a.prefix(16)) + [UInt8](repeating: 0, count: 16 - min(a.count, 16))
            let word = { (k: Int) in (0..<8).reduce(UInt64(0)) { $0 | UInt64(padded[k * 8 + $1]) << (8 * $1) } }
            #expect(s.leadingWords == (word(0), word(1)), "seed \(seed)")
        }
    }

    @Test(arguments: seeds) func bigEndianWordsMatchArrayCode(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        let a = (0..<r.int(in: 0...12)).map { _ in UInt8(truncatingIfNeeded: r.next()) }
        a.withByteSpan { s in
            var cursor = ByteCursor(s)
            var i = 0
            while true {
                switch r.int(in: 0...3) {
                case 0:
                    let v = cursor.readU8()
                    #expect(v == (i + 1 <= a.count ? a[i] : nil), "seed \(seed)")
                    if v != nil { i += 1 }
                case 1:
                    let v = cursor.readU16BE()
                    #expect(v == (i + 2 <= a.count ? UInt16(a[i]) << 8 | UInt16(a[i + 1]) : nil), "seed \(seed)")
                    if v != nil { i += 2 }
                case 2:
                    let v = cursor.readU32BE()
                    let want = i + 4 <= a.count ? a[i..<i + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) } : nil
                    #expect(v == want, "seed \(seed)")
                    if v != nil { i += 4 }
                default:
                    let n = r.int(in: 0...3)
                    let v = cursor.read(n)
                    #expect(v.map(Array.init) == (i + n <= a.count ? Array(a[i..<i + n]) : nil), "seed \(seed)")
                    if v != nil { i += n }
                }
                #expect(cursor.position == i, "seed \(seed)")
                if cursor.isAtEnd || r.int(in: 0...7) == 0 { break }
            }
            #expect(Array(cursor.rest()) == Array(a[i...]), "seed \(seed)")
            #expect(cursor.isAtEnd && cursor.peek() == nil && cursor.readU8() == nil, "seed \(seed)")
        }
    }

    /// Lines cut by `scan(to:)` are the array's split on newlines, empty lines included.
    @Test(arguments: seeds) func lineScanningMatchesSplit(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        let a = Self.bytes(&r, Array("ab\n".utf8))
        a.withByteSpan { s in
            var cursor = ByteCursor(s)
            var lines: [[UInt8]] = []
            while let line = cursor.scan(to: 0x0A) { lines.append(Array(line)) }
            lines.append(Array(cursor.rest()))
            #expect(lines == a.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init), "seed \(seed)")
        }
    }

    /// Numbers: the fast parser agrees with the standard library's on random number-like
    /// text, whatever the layout of signs, digits, points and exponents.
    @Test(arguments: seeds) func numbersMatchTheStandardLibrary(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        for _ in 0..<50 {
            let pieces: [String] = ["", " ", "-", "+", "0", "7", "12", "3456", "000", "98765432109876543210", ".", ".5",
                                    "e", "E", "e-", "e+", "e3", "e22", "e-22", "e308", "e400", "\t", "\r"]
            let text = (0..<r.int(in: 1...6)).map { _ in pieces[r.int(in: 0...pieces.count - 1)] }.joined()
            let bytes = Array(text.utf8)
            let fast = bytes.withByteSpan { ByteNumber.parse($0, 0, $0.count) }
            let want = Self.reference(text)
            #expect(fast?.bitPattern == want?.bitPattern || (fast?.isNaN == true && want?.isNaN == true),
                    "seed \(seed): '\(text)' parsed \(String(describing: fast)), expected \(String(describing: want))")
        }
    }

    /// The standard library's parse of the text trimmed as a field is.
    static func reference(_ text: String) -> Double? {
        var u = Array(text.utf8)[...]
        while let c = u.first, c == 0x20 || c == 0x09 { u.removeFirst() }
        while let c = u.last, c == 0x20 || c == 0x09 || c == 0x0D { u.removeLast() }
        guard !u.isEmpty else { return nil }
        return Double(String(decoding: u, as: UTF8.self))
    }

    @Test func numbersRoundTripRandomValues() {
        var r = SeededRandom(seed: 18)
        for _ in 0..<2000 {
            let v = r.double(in: -180...180)
            let text = String(v)
            #expect(Array(text.utf8).withByteSpan { ByteNumber.parse($0, 0, $0.count) } == v, "\(text)")
        }
    }
}
