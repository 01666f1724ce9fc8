import Foundation
import Testing
@testable import MuckWatchLive

/// `LiveAlert.quote` writes its string literals by hand now: the same text as the
/// `JSONSerialization` it replaced, for every character class that needs care.
@Suite struct LiveAlertJSONTests {
    static func reference(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        let array = String(data: data, encoding: .utf8)!
        return String(array.dropFirst().dropLast())
    }

    @Test func quoteMatchesJSONSerialization() throws {
        var samples = ["", "C-20261120-0001", "渝F50056", "a/b", "say \"hi\"", "back\\slash", "tab\there",
                       "line\nbreak\r\n", "emoji 🚛 and é", "\u{7F}del", "\u{2028}\u{2029}", "\u{FEFF}bom"]
        samples += (0..<0x20).map { "x" + String(UnicodeScalar(UInt8($0))) + "y" }
        for s in samples {
            #expect(LiveAlert.quote(s) == Self.reference(s), "\(Array(s.unicodeScalars))")
            // And it parses back to the same string (Foundation's parser drops a U+FEFF, so not that one).
            guard !s.unicodeScalars.contains("\u{FEFF}") else { continue }
            let back = try JSONSerialization.jsonObject(with: Data(("[" + LiveAlert.quote(s) + "]").utf8)) as? [String]
            #expect(back == [s])
        }
    }
}
