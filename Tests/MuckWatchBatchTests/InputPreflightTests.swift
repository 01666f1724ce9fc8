import Foundation
import Testing
import MuckWatchJudge
@testable import MuckWatchBatch

/// Bad paths are found before any data is read, all of them at once (issue #25's first item).
@Suite struct InputPreflightTests {
    @Test func everyBadPathIsReportedAtOnce() throws {
        let dir = SampleNight.tempDir()
        let outFile = dir + "/out.txt"
        FileManager.default.createFile(atPath: outFile, contents: Data("x".utf8))
        var o = SampleNight.options(out: outFile, traces: [SampleNight.root + "/traces/traces.csv", dir + "/second.csv"])
        o.fences = dir + "/no-fences"
        o.permits = dir  // a folder where a file belongs
        do {
            _ = try Analysis.run(o)
            Issue.record("the run started")
        } catch {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.first == "4 problems with the inputs (nothing was read):")
            #expect(lines.dropFirst() == [
                "  \(dir)/no-fences: no such file or directory (--fences): correct the path",
                "  \(dir): is a folder, expected a file (--permits): name a file inside it",
                "  \(dir)/second.csv: no such file or directory (--traces): correct the path",
                "  \(outFile): the output folder is a file (--out): name a folder, or move the file away",
            ])
        }
    }

    /// A missing fences file beside a 64 GB traces file (sparse: no disk used) fails at once:
    /// the run never reads the traces, or it would take minutes.
    @Test func aMissingInputIsFoundWithoutReadingTheOthers() throws {
        let dir = SampleNight.tempDir()
        let huge = dir + "/huge.csv"
        FileManager.default.createFile(atPath: huge, contents: Data("vehicle_id,time,lon,lat\n".utf8))
        let handle = try #require(FileHandle(forWritingAtPath: huge))
        try handle.truncate(atOffset: 64 << 30)
        try handle.close()
        var o = SampleNight.options(out: dir + "/out", traces: [huge])
        o.fences = dir + "/no-fences"
        #expect(throws: AnalysisError.self) { try Analysis.run(o) }
        do { _ = try Analysis.run(o) } catch {
            #expect(error.description == "\(dir)/no-fences: no such file or directory (--fences): correct the path")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    @Test func anOutputFolderIsMadeWhereItsParentIsAFolder() {
        let dir = SampleNight.tempDir()
        var o = SampleNight.options(out: dir + "/a/b/c")
        #expect(InputPreflight.problems(o).isEmpty)
        FileManager.default.createFile(atPath: dir + "/file", contents: Data())
        o.out = dir + "/file/c"
        #expect(InputPreflight.problems(o) == ["\(dir)/file/c: cannot create the output folder: \(dir)/file is a file (--out): name a folder elsewhere"])
    }
}
