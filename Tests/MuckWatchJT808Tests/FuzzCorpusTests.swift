import Foundation
import MuckWatchCore
import Testing
import MuckWatchJT808

/// The `jt808` fuzzer's seed corpus and every capture that ever crashed the reader
/// (fuzz/regressions/jt808/), replayed on each test run: the reader may reject their
/// frames, never crash or hang on them, and a stream cut into reads splits them alike.
@Suite("JT/T 808 fuzz corpus and regressions")
struct FuzzCorpusTests {
    static let inputs: [String] = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return ["corpus", "regressions"].flatMap { folder -> [String] in
            let dir = url.path + "/fuzz/" + folder + "/jt808"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            return names.sorted().map { dir + "/" + $0 }
        }
    }()

    @Test func everyInputIsReadAndSplitAlikeInReads() throws {
        #expect(!Self.inputs.isEmpty, "no seed corpus for jt808")
        for path in Self.inputs {
            let bytes = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
            var plates = PlateTable(), fixes: [Fix] = [], rejects: [Reject] = []
            let summary = JT808CaptureReader.read(bytes, path: path, fileIndex: 0, terminals: ["13800000001": "渝F12345"],
                                                  plates: &plates, fixes: &fixes, rejects: &rejects)
            #expect(summary.badFrames.count + summary.unknownTerminals.values.reduce(0, +) == rejects.count)
            #expect(try SplitPieces.fed(bytes, readsOf: 7) == SplitPieces.whole(bytes))
        }
    }
}
