import Foundation
import Testing
import MuckWatchCore
import MuckWatchTestSupport

/// `muckwatch --version`: what an operator's bug report needs, from the built binary.
struct VersionTests {
    static func run(_ executable: String, _ arguments: [String], in dir: String? = nil) throws -> String {
        try BuiltBinary.run(executable, arguments, in: dir).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: KillAndRerunTests.binary != nil, "the muckwatch binary is not built"))
    func versionNamesTheReleaseTheCommitAndTheContract() throws {
        let line = try Self.run(KillAndRerunTests.binary!, ["--version"])
        let parts = try #require(line.wholeMatch(of: /muckwatch (\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}|unknown)(\+changes)?, contract v(\d+)\)/),
                                 "unexpected --version: \(line)")
        #expect(Int(parts.4) == Contract.version)
        // Built from this clone: the commit is this clone's HEAD.
        let head = try? Self.run("/usr/bin/git", ["rev-parse", "--short=12", "HEAD"], in: SampleNight.root)
        if let head, head.count == 12 { #expect(String(parts.2) == head) }
    }
}
