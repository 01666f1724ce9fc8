import Testing
import MuckWatchCore
import MuckWatchTestSupport
@testable import MuckWatchIngest

/// CSV records cut by the cursor against splitting arrays: random layouts of fields,
/// blank lines and CRs from a seeded generator, so a failure names the seed that replays it.
@Suite struct CSVFieldPropertyTests {
    /// Records as plain array code sees them: lines (no record after a final newline),
    /// fields split on commas, one CR before each field's end dropped.
    static func reference(_ bytes: [UInt8]) -> [[[UInt8]]] {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { line in
            line.split(separator: 0x2C, omittingEmptySubsequences: false).map { f in
                Array(f.last == 0x0D ? f.dropLast() : f)
            }
        }
    }

    @Test(arguments: Array(UInt64(1)...300)) func recordsMatchArraySplitting(seed: UInt64) {
        var r = SeededRandom(seed: seed)
        let alphabet: [UInt8] = Array("ab7.,,\n\r 渝".utf8)
        let bytes = (0..<r.int(in: 0...120)).map { _ in alphabet[r.int(in: 0...alphabet.count - 1)] }
        let want = Self.reference(bytes)
        let width = r.int(in: 1...6)
        let columnOf = (0..<width).map { _ in r.int(in: -1...8) }
        bytes.withByteSpan { b in
            var general = CSVCursor(b, 0), plain = CSVCursor(b, 0)
            var starts: [Int] = [], ends: [Int] = []
            var k = 0
            var row = FixRow()
            while general.nextRecord(&starts, &ends) {
                row.clear()
                let n = plain.nextPlainRecord(into: &row, columnOf: columnOf)
                guard k < want.count else { Issue.record("seed \(seed): extra record \(k)"); return }
                let fields = zip(starts, ends).map { Array(b.extracting($0..<$1)) }
                #expect(fields == want[k], "seed \(seed), record \(k)")
                #expect(n == want[k].count, "seed \(seed), record \(k)")
                #expect(Array(b.extracting(plain.firstField)) == want[k][0], "seed \(seed), record \(k)")
                for (f, c) in columnOf.enumerated() where c >= 0 && f < n && !columnOf[(f + 1)..<min(n, width)].contains(c) {
                    #expect(Array(b.extracting(row.start[c]..<row.end[c])) == want[k][f], "seed \(seed), record \(k)")
                }
                #expect(plain.position == general.position && plain.line == general.line, "seed \(seed), record \(k)")
                k += 1
            }
            #expect(k == want.count, "seed \(seed)")
            #expect(plain.nextPlainRecord(into: &row, columnOf: columnOf) == CSVCursor.endOfData, "seed \(seed)")
        }
    }
}
