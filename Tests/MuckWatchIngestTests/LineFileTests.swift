import Foundation
import Testing
import MuckWatchCore
@testable import MuckWatchIngest

/// Reading a JSON Lines file piece by piece must give exactly the lines, and the physical
/// line numbers, of reading it whole, wherever the pieces cut.
@Suite struct LineFileTests {
    static let text = "\u{FEFF}{\"a\":1}\n\n  {\"b\":\"渝F12345\"}\r\n{\"c\":\"" + String(repeating: "x", count: 40)
        + "\"}\n   \n{\"d\":4}"

    func lines(_ path: String, piece: Int) throws -> [String] {
        var out: [String] = []
        try LineFile.forEachLine(path, pieceBytes: piece) { b, line, s, e in
            out.append("\(line): " + b.extracting(s..<e).text)
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 5, 7, 16, 33, 1 << 20])
    func piecesGiveTheWholeFilesLines(piece: Int) throws {
        let path = TempDir().file("l.jsonl", Self.text)
        let expected = ["1: {\"a\":1}", "3: {\"b\":\"渝F12345\"}", "4: {\"c\":\"" + String(repeating: "x", count: 40) + "\"}",
                        "6: {\"d\":4}"]
        #expect(try lines(path, piece: piece) == expected)
    }

    @Test func missingFileAndFolderAreNamed() throws {
        #expect(throws: IngestError.fileNotFound(path: "/nonexistent/c.jsonl")) {
            try LineFile.forEachLine("/nonexistent/c.jsonl") { _, _, _, _ in }
        }
        let dir = TempDir().path
        #expect(throws: IngestError.unreadable(path: dir, reason: "is a directory, expected a file")) {
            try LineFile.forEachLine(dir) { _, _, _, _ in }
        }
    }
}
