import Foundation
import Testing
import MuckWatchCore
@testable import MuckWatchBatch

/// `RunProgress` with a pinned clock: what a terminal and a log are sent, to the character.
struct RunProgressTests {
    /// A progress reporter whose clock the test moves and whose output it keeps.
    struct Harness {
        let now = Locked(Date(timeIntervalSince1970: 1_000_000))
        let written = Locked<[String]>([])
        let progress: RunProgress
        init(_ style: RunProgress.Style) {
            let (now, written) = (now, written)
            progress = RunProgress(style: style, write: { s in written.withLock { $0.append(s) } },
                                   clock: { now.withLock { $0 } })
        }
        func at(_ seconds: Double) { now.withLock { $0 = Date(timeIntervalSince1970: 1_000_000 + seconds) } }
        func take() -> [String] { written.withLock { w in defer { w = [] }; return w } }
    }

    @Test func aTerminalSeesPercentRateAndTimeLeftRedrawnInPlace() {
        let h = Harness(.terminal)
        let p = h.progress
        p.start("read a.csv", total: 100_000_000, unit: .bytes)
        #expect(h.take() == ["read a.csv  0 %"])
        h.at(1)
        p.update("read a.csv", done: 25_000_000)
        #expect(h.take() == ["\r\u{1B}[2Kread a.csv  25 %  25.0 MB/s  0:03 left"])
        h.at(1.05)
        p.update("read a.csv", done: 26_000_000)
        #expect(h.take().isEmpty, "at most ten redraws a second")
        h.at(4)
        p.finish("read a.csv", note: "1000 fixes")
        #expect(h.take() == ["\r\u{1B}[2Kread a.csv: 4.00 s, 100.0 MB (25.0 MB/s), 1000 fixes\n"])
    }

    @Test func stagesSideBySideShareTheLineAndEachFinishesOnItsOwn() {
        let h = Harness(.terminal)
        let p = h.progress
        p.start("outputs", total: 4, unit: .files)
        h.at(1)
        p.start("store", total: 200, unit: .records)
        h.at(2)
        p.advance("outputs")
        p.advance("store", by: 50)
        h.at(2.5)
        p.advance("store", by: 50)
        let screen = h.take()
        #expect(screen.last == "\r\u{1B}[2Koutputs  25 %  0.4 files/s  0:08 left  |  store  50 %  67 records/s  0:02 left")
        p.finish("outputs")
        #expect(h.take() == ["\r\u{1B}[2Koutputs: 2.50 s, 4 files (1.6 files/s)\nstore  50 %  67 records/s  0:02 left"])
    }

    @Test func aLogSeesOneLinePerFinishedStageAndNoControlCodes() {
        let h = Harness(.log)
        let p = h.progress
        p.start("analyze", total: 20, unit: .vehicles)
        h.at(0.5)
        p.advance("analyze", by: 10)
        h.at(2)
        p.finish("analyze", note: "1 bucket(s)")
        #expect(h.take() == ["analyze: 2.00 s, 20 vehicles (10 vehicles/s), 1 bucket(s)\n"])
    }

    @Test func aStoppedRunEndsTheLineSoItsErrorStandsAlone() {
        let h = Harness(.terminal)
        let p = h.progress
        p.start("read a.csv", total: 10, unit: .bytes)
        p.stop()
        #expect(h.take() == ["read a.csv  0 %", "\n"])
        p.stop()
        #expect(h.take().isEmpty, "nothing shown, nothing to end")
    }

    @Test func quietWritesNothing() {
        let h = Harness(.silent)
        let p = h.progress
        p.start("analyze", total: 20, unit: .vehicles)
        p.finish("analyze")
        #expect(h.take().isEmpty)
    }

    @Test func workersReportFromManyThreadsAndNoneIsLost() {
        let h = Harness(.log)
        let p = h.progress
        p.start("analyze", total: 0, unit: .vehicles)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<1000 { p.advance("analyze") }
        }
        h.at(1)
        p.finish("analyze")
        #expect(h.take() == ["analyze: 1.00 s, 8000 vehicles (8000 vehicles/s)\n"])
    }

    @Test func longEstimatesShowHours() {
        #expect(RunProgress.duration(3725) == "1:02:05")
        #expect(RunProgress.duration(59.2) == "1:00")
        #expect(RunProgress.duration(0.3) == "0:01")
    }
}
